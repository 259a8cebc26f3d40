package dev.globalevents.local;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The READMEs are executable: every {@code curl} in their {@code bash} blocks runs against the packaged stack as
 * written, with the {@code <… port>} placeholders replaced by the stack's ports (and the block's variable
 * assignments before it), and must succeed (exit 0, a 2xx answer, or the status its comment says it answers: a
 * README that demonstrates a refusal ends the line with {@code # answers 400 …}); one that starts a process (a new
 * revision) runs after the others. The top README's example event, sent exactly as
 * shown, is answered 202 and counted in the region's windows read through the gateway within 15 s.
 */
class ReadmeIT extends StackTest {

	private static final Pattern BLOCK = Pattern.compile("```bash\\n(.*?)```", Pattern.DOTALL);
	private static final Pattern PLACEHOLDER = Pattern.compile("<([a-z -]+) port>");
	/** A line that only sets a shell variable (G='…'), not one that runs a command with variables before it. */
	private static final Pattern ASSIGNMENT = Pattern.compile("[A-Z_][A-Z0-9_]*=('[^']*'|\"[^\"]*\"|[^\\s'\"]*)(\\s+#.*)?");

	/** One README command: where it is, the assignments before it in its block, the command itself. */
	record Command(Path readme, List<String> assignments, String line) {

		@Override
		public String toString() {
			return PackagedStack.ROOT.relativize(readme) + ": " + line;
		}
	}

	@Test
	void theExampleEventOfTheReadmeIsAcceptedAndCountedThroughTheGatewayWithin15Seconds() throws Exception {
		List<Command> commands = curls(PackagedStack.ROOT.resolve("README.md"));
		Command send = commands.stream().filter(c -> c.line().contains("/v1/events")).findFirst().orElseThrow();
		Command windows = commands.stream().filter(c -> c.line().contains("/windows")).findFirst().orElseThrow();
		// the README's event carries the time it is sent: it lands in the window(s) of [from, to]; other windows of the
		// last minute change as earlier tests' events are counted or age out of the answer
		java.time.Instant from = java.time.Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
		long before = counted(json(run(windows)), from, from.plusSeconds(20));

		Result sent = run(send);
		java.time.Instant to = java.time.Instant.now();

		assertThat(sent.status()).as(sent.output()).isEqualTo(202);
		await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> assertThat(counted(json(run(windows)), from, to)).isEqualTo(before + 1));
	}

	/** The events counted in the windows that start within 10 s before {@code from} up to {@code to}. */
	private static long counted(JsonNode answer, java.time.Instant from, java.time.Instant to) {
		long total = 0;
		for (JsonNode window : answer.get("windows")) {
			java.time.Instant start = java.time.Instant.parse(window.get("start").asText());
			if (start.isAfter(from.minusSeconds(10)) && !start.isAfter(to)) {
				total += window.at("/total/count").asLong();
			}
		}
		return total;
	}

	@Test
	void everyCurlInEveryReadmeWorksAsShown() throws Exception {
		long quarantined = client.quarantined();
		List<Command> all = new ArrayList<>();
		try (Stream<Path> files = Files.walk(PackagedStack.ROOT)) {
			for (Path readme : files.filter(p -> p.getFileName().toString().equals("README.md"))
					.filter(p -> !p.toString().contains("node_modules") && !p.toString().contains("/.local/") && !p.toString().contains("/target/")).toList()) {
				all.addAll(curls(readme));
			}
		}
		assertThat(all).as("curl examples in the READMEs").hasSizeGreaterThanOrEqualTo(10);
		// a command that starts a process (a Service's new revision, local/README.md) runs last: a JVM starting on a
		// small machine slows the others' Redis calls for a while
		all.sort(java.util.Comparator.comparing(command -> command.line().contains("/revisions")));
		for (Command command : all) {
			Result result = run(command);
			assertThat(result.exit()).as(command + "\n" + result.output()).isZero();
			Matcher expected = Pattern.compile("#[^'\"]*answers (\\d{3})").matcher(command.line());
			if (expected.find()) { // a README that shows a refusal says so: "# answers 400 ..."
				assertThat(result.status()).as(command + "\n" + result.output()).isEqualTo(Integer.parseInt(expected.group(1)));
				assertThat(result.output()).as(command.toString()).contains("application/problem+json");
			}
			else {
				assertThat(result.status()).as(command + "\n" + result.output()).isBetween(200, 299);
			}
		}
		// a README replays quarantined events: they fail validation again and return; wait until they are back
		await().atMost(Duration.ofSeconds(60)).until(() -> client.quarantined() == quarantined);
	}

	/** The curl commands of a README's bash blocks, continuation lines joined, with the assignments before them. */
	static List<Command> curls(Path readme) throws IOException {
		List<Command> commands = new ArrayList<>();
		Matcher block = BLOCK.matcher(Files.readString(readme));
		while (block.find()) {
			List<String> assignments = new ArrayList<>();
			for (String line : block.group(1).replace("\\\n", " ").split("\n")) {
				String trimmed = line.strip();
				if (ASSIGNMENT.matcher(trimmed).matches()) {
					assignments.add(trimmed);
				}
				else if (trimmed.startsWith("curl ")) {
					commands.add(new Command(readme, List.copyOf(assignments), trimmed));
				}
			}
		}
		return commands;
	}

	record Result(int exit, int status, String output) {
	}

	/** Runs a command with bash as a user would, placeholders replaced; the HTTP status comes from curl's -w. */
	static Result run(Command command) throws IOException, InterruptedException {
		Map<String, URI> ports = new LinkedHashMap<>();
		ports.put("gateway", stack.gateway());
		ports.put("broker", stack.broker());
		ports.put("zipkin", stack.zipkin());
		ports.put("live page", stack.dashboard());
		for (String function : List.of("validate", "aggregate", "generate", "export-metrics", "quarantine")) {
			ports.put(function, stack.function(function));
			ports.put(PackagedStack.REGION + " " + function, stack.function(function));
		}
		StringBuilder script = new StringBuilder();
		command.assignments().forEach(a -> script.append(a).append('\n'));
		String line = command.line();
		Matcher placeholder = PLACEHOLDER.matcher(line);
		StringBuilder resolved = new StringBuilder();
		while (placeholder.find()) {
			URI uri = ports.get(placeholder.group(1));
			assertThat(uri).as("a port for <" + placeholder.group(1) + " port> in " + command).isNotNull();
			placeholder.appendReplacement(resolved, Integer.toString(uri.getPort()));
		}
		placeholder.appendTail(resolved);
		// curl -w adds the status after the output; a trailing comment is kept out of the way
		String withoutComment = resolved.toString().replaceFirst("\\s+#[^'\"]*$", "");
		script.append(withoutComment).append(" -w '\\n__status=%{http_code}'\n");
		Path log = Files.createTempFile("readme-command", ".out");
		Process process = new ProcessBuilder("bash", "-c", script.toString()).directory(PackagedStack.ROOT.toFile())
				.redirectErrorStream(true).redirectOutput(log.toFile()).start();
		if (!process.waitFor(60, TimeUnit.SECONDS)) {
			process.descendants().forEach(ProcessHandle::destroyForcibly);
			process.destroyForcibly();
			throw new AssertionError(command + " did not finish within 60 s:\n" + script);
		}
		String output = new String(Files.readAllBytes(log), StandardCharsets.UTF_8);
		Files.delete(log);
		Matcher status = Pattern.compile("__status=(\\d{3})").matcher(output);
		return new Result(process.exitValue(), status.find() ? Integer.parseInt(status.group(1)) : -1,
				output.replaceFirst("\\n?__status=\\d{3}\\s*$", ""));
	}

	private static JsonNode json(Result result) throws IOException {
		assertThat(result.status()).as(result.output()).isEqualTo(200);
		return Client.JSON.readTree(result.output());
	}
}
