package dev.globalevents.architecture;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The limits both entries apply are defined once per side and agree: the functions' (the runtime's
 * {@code function-defaults.properties}, validate's {@code ValidateProperties}) and the gateway's (its policies and
 * modules); no manifest overrides them.
 */
class LimitsAgreementTest {

	static final Path ROOT = ArchitectureTest.ROOT;

	@Test
	void theGatewayAndTheFunctionsRefuseAtTheSameLimits() throws IOException {
		Properties defaults = new Properties();
		try (Reader in = Files.newBufferedReader(ROOT.resolve("functions/runtime/src/main/resources/function-defaults.properties"))) {
			defaults.load(in);
		}
		String policies = Files.readString(ROOT.resolve("zuplo/config/policies.json"));
		String limits = Files.readString(ROOT.resolve("zuplo/modules/limits.ts"));
		String rules = Files.readString(ROOT.resolve("zuplo/modules/rules.ts"));
		String validate = Files.readString(ROOT.resolve("functions/validate/src/main/java/dev/globalevents/validate/ValidateProperties.java"));

		long eventBytes = Long.parseLong(defaults.getProperty("function.max-event-bytes"));
		assertThat(number(policies, "\"name\": \"size-limit\"[\\s\\S]*?\"maxSizeInBytes\": (\\d+)")).as("one event's body").isEqualTo(eventBytes);
		assertThat(number(policies, "\"name\": \"batch-size-limit\"[\\s\\S]*?\"maxSizeInBytes\": (\\d+)")).as("an outside batch's body")
				.isLessThanOrEqualTo(Long.parseLong(defaults.getProperty("function.max-batch-bytes")));
		assertThat(kib(defaults.getProperty("server.max-http-request-header-size")))
				.as("headers").isEqualTo(product(limits, "HEADER_LIMIT_BYTES = ([\\d *]+);"));
		assertThat(kib(defaults.getProperty("server.netty.max-initial-line-length")))
				.as("request line / URL").isEqualTo(product(limits, "URL_LIMIT_BYTES = ([\\d *]+);"));
		assertThat(minutes(text(validate, "@DefaultValue\\(\"(\\w+)\"\\) Duration maxFutureSkew")) * 60_000)
				.as("clock skew").isEqualTo(product(rules, "MAX_FUTURE_SKEW_MS = ([\\d *]+);"));
	}

	@Test
	void theLocalBrokerAnswersWithinTheGatewaysDeadlineSoAnEventItCouldNotStoreGetsItsOwn503() throws IOException {
		String ingest = Files.readString(ROOT.resolve("zuplo/modules/ingest.ts"));
		String broker = Files.readString(ROOT.resolve("local/stack/src/main/java/dev/globalevents/local/broker/KafkaBroker.java"));

		long gatewayDeadline = product(ingest, "TIMEOUT_MS = ([\\d *_]+);");
		long appendTimeout = Long.parseLong(text(broker, "APPEND_TIMEOUT = Duration.ofMillis\\((\\d+)\\)"));
		// the receiver waits 200 ms past the producer's own timeout for its verdict (TopicWriter.timeout)
		assertThat(appendTimeout + 200).as("the broker's append timeout and verdict margin, in ms").isLessThan(gatewayDeadline);
	}

	@Test
	void noManifestOverridesTheLimits() throws IOException {
		try (var files = Files.walk(ROOT.resolve("knative"))) {
			for (Path file : files.filter(f -> f.toString().endsWith(".yaml")).toList()) {
				assertThat(Files.readString(file)).as(file.toString())
						.doesNotContainIgnoringCase("MAXEVENTBYTES").doesNotContainIgnoringCase("MAX_EVENT_BYTES")
						.doesNotContainIgnoringCase("MAXHTTPREQUESTHEADERSIZE").doesNotContainIgnoringCase("MAXFUTURESKEW");
			}
		}
	}

	private static String text(String source, String regex) {
		Matcher m = Pattern.compile(regex).matcher(source);
		assertThat(m.find()).as(regex).isTrue();
		return m.group(1);
	}

	private static long number(String source, String regex) {
		return Long.parseLong(text(source, regex));
	}

	/** A TypeScript constant written as a product ({@code 16 * 1024}). */
	private static long product(String source, String regex) {
		long value = 1;
		for (String factor : text(source, regex).split("\\*")) {
			value *= Long.parseLong(factor.trim());
		}
		return value;
	}

	private static long kib(String size) {
		assertThat(size).endsWith("KB");
		return Long.parseLong(size.substring(0, size.length() - 2)) * 1024;
	}

	private static long minutes(String duration) {
		assertThat(duration).endsWith("m");
		return Long.parseLong(duration.substring(0, duration.length() - 1));
	}
}
