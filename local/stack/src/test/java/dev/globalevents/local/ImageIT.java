package dev.globalevents.local;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What a function's image holds starts the way the image starts it, with the AOT cache it carries taken: the layers Jib
 * built when the tests run ({@code target/image-layers.tar}, the root pom's image-layers execution; the same layers as
 * the pushed image, on no base) are unpacked into a directory standing for the container's root; the image's
 * entrypoint runs there with {@code -XX:AOTMode=on}, which stops the JVM when it cannot use the cache (another Java
 * runtime, a jar of another size or time). The cache's classes then come from the archive it mapped. And bench/ starts
 * a function as the local stack does (the same runtime, app and cache).
 */
class ImageIT {

	static final ObjectMapper JSON = new ObjectMapper();

	@ParameterizedTest
	@ValueSource(strings = { "validate", "aggregate", "generate", "export-metrics", "quarantine", "edge" })
	void theImageStartsItsFunctionOnItsOwnJavaWithTheAotCacheItCarries(String function, @TempDir Path root) throws Exception {
		Path image = PackagedStack.ROOT.resolve("functions").resolve(function).resolve("target/image-layers.tar");
		assertThat(image).as("built by mvn verify (the image-layers execution of the root pom)").isRegularFile();
		run(root, "tar", "-xf", image.toString());
		JsonNode config = JSON.readTree(root.resolve("config.json").toFile());
		for (JsonNode layer : JSON.readTree(root.resolve("manifest.json").toFile()).get(0).get("Layers")) {
			run(root, "tar", "-xzf", layer.asText());
		}
		assertThat(config.at("/config/User").asText()).isEqualTo("65532");
		assertThat(root.resolve("opt/java/bin/java")).isExecutable();

		List<String> command = new ArrayList<>();
		for (JsonNode arg : config.at("/config/Entrypoint")) {
			// the container's /opt/java and /app are under root here (a cache finds its jars when the app moves)
			command.add(arg.asText().replaceFirst("^(-XX:AOTCache=)?/(opt/java|app)/", "$1" + root + "/$2/"));
		}
		assertThat(command.getFirst()).isEqualTo(root + "/opt/java/bin/java");
		command.add(1, "-XX:AOTMode=on");
		int port = Infrastructure.freePort();
		String edgeKey = UUID.randomUUID().toString();
		ProcessBuilder builder = new ProcessBuilder(command).directory(root.resolve("app").toFile()).redirectErrorStream(true)
				.redirectOutput(root.resolve("out.log").toFile());
		builder.environment().remove("JAVA_TOOL_OPTIONS");
		builder.environment().putAll(java.util.Map.of("PORT", Integer.toString(port), "REDIS_URL", "redis://127.0.0.1:1",
				"EDGE_KEY", edgeKey, "BROKER_INGRESS", "http://127.0.0.1:1/", "AGGREGATE_URL", "http://127.0.0.1:1/", "REGION", "us-east"));
		Process process = builder.start();
		try (HttpClient http = HttpClient.newHttpClient()) {
			HttpRequest liveness = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/actuator/health/liveness"))
					.header("x-edge-key", edgeKey).timeout(Duration.ofSeconds(2)).build();
			await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(200)).ignoreExceptionsInstanceOf(IOException.class).untilAsserted(() -> {
				assertThat(process.isAlive()).as("%s exited: %s", function, log(root)).isTrue();
				assertThat(http.send(liveness, HttpResponse.BodyHandlers.discarding()).statusCode()).isEqualTo(200);
			});
			assertThat(log(root)).doesNotContain("[error").contains("Starting AOT-processed");
		}
		finally {
			process.destroy();
			process.waitFor();
		}
	}

	/** bench/ (local/lib.sh function_command) starts a function as the local stack does, so both measure the image. */
	@ParameterizedTest
	@ValueSource(strings = { "validate", "aggregate", "edge" })
	void theBenchmarksStartAFunctionAsTheLocalStackDoes(String function) throws Exception {
		Process bash = new ProcessBuilder("bash", "-c", "source local/lib.sh && function_command \"$0\" && printf '%s\\n' \"${function_cmd[@]}\"",
				function).directory(PackagedStack.ROOT.toFile()).redirectError(ProcessBuilder.Redirect.DISCARD).start();
		List<String> bench = new String(bash.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).lines().toList();
		assertThat(bash.waitFor()).isZero();
		Path jar;
		try (var jars = Files.list(PackagedStack.ROOT.resolve("functions").resolve(function).resolve("target"))) {
			jar = jars.filter(p -> p.getFileName().toString().matches(function + "-[0-9].*\\.jar")).findFirst().orElseThrow();
		}
		assertThat(bench).isEqualTo(FunctionProcess.launch(jar)).first().asString()
				.endsWith("/functions/" + function + "/target/java/bin/java");
	}

	private static String log(Path root) throws IOException {
		return Files.readString(root.resolve("out.log"));
	}

	private static void run(Path directory, String... command) throws Exception {
		Process process = new ProcessBuilder(command).directory(directory.toFile()).redirectErrorStream(true)
				.redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
		assertThat(process.waitFor()).as(String.join(" ", command)).isZero();
	}

}
