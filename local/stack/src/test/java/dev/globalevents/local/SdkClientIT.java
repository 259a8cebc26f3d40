package dev.globalevents.local;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An outside client in a second language against the packaged stack: {@code local/sdk-client} (the official
 * CloudEvents JavaScript SDK, run with Node's test runner) sends every registered type through the gateway in binary,
 * structured and batch mode, duplicates and invalid events, and reconciles with the counts (see its test file).
 */
class SdkClientIT extends StackTest {

	@Test
	void theOfficialJavaScriptSdkGetsEveryValidEventCountedOnceAndEveryInvalidOneRefusedWithAReason() throws Exception {
		ProcessBuilder node = new ProcessBuilder("node", "--test", "--test-reporter=tap", "sdk-client.test.mjs")
				.directory(PackagedStack.ROOT.resolve("local/sdk-client").toFile()).redirectErrorStream(true);
		node.environment().put("GATEWAY_URL", stack.gateway().toString());
		node.environment().put("PRODUCER_KEY", stack.producerKey());
		node.environment().put("ADMIN_KEY", stack.adminKey());
		node.environment().put("REGION", PackagedStack.REGION);
		node.environment().put("VALIDATE_URL", stack.function("validate").toString());
		Process process = node.start();
		String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		assertThat(process.waitFor(5, TimeUnit.MINUTES)).isTrue();

		assertThat(process.exitValue()).as(output).isZero();
		assertThat(output).contains("# pass 2").contains("# fail 0");
	}
}
