package dev.globalevents.canary;

import java.io.IOException;
import java.util.List;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The real kubectl, offline: its output on success, its summary line in the error on failure. */
class KubectlTest {

	@BeforeAll
	static void kubectl() {
		assumeTrue(Repository.kubectlAvailable(), "kubectl is not installed");
	}

	@Test
	void answersTheOutput() throws IOException {
		assertThat(Kubectl.onPath().run(List.of("version", "--client", "-o", "json"))).contains("\"clientVersion\"");
	}

	@Test
	void failsWithTheCommandAndKubectlsSummary() {
		assertThatThrownBy(() -> Kubectl.onPath().run(List.of("no-such-command"))).isInstanceOf(IOException.class)
				.hasMessageStartingWith("kubectl no-such-command exited 1: ").hasMessageContaining("unknown command").hasMessageNotContaining("\n");
	}

	@Test
	void theSummaryIsTheLastLine() {
		assertThat(Kubectl.lastLine("E1202 memcache.go:265 couldn't get ...\nE1202 again\nThe connection to the server localhost:8080 was refused\n"))
				.isEqualTo("The connection to the server localhost:8080 was refused");
	}
}
