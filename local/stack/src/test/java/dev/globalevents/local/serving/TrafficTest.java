package dev.globalevents.local.serving;

import java.util.List;
import java.util.Set;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TrafficTest {

	static final ObjectMapper JSON = new ObjectMapper();
	static final Set<String> REVISIONS = Set.of("validate-00001", "validate-00002");

	static Traffic parse(String json) throws Exception {
		return Traffic.parse(JSON.readTree(json), REVISIONS);
	}

	@ParameterizedTest(name = "{0}")
	@CsvSource(delimiter = '|', value = {
			"[{\"revisionName\":\"validate-00001\",\"percent\":90},{\"revisionName\":\"validate-00001\",\"percent\":20}]|total 110, not 100",
			"[{\"revisionName\":\"validate-00009\",\"percent\":100}]|no revision validate-00009",
			"[{\"revisionName\":\"validate-00001\",\"latestRevision\":true,\"percent\":100}]|either revisionName or latestRevision",
			"[{\"percent\":100}]|either revisionName or latestRevision",
			"[{\"latestRevision\":true,\"percent\":101}]|whole number 0..100",
			"[{\"latestRevision\":true,\"percent\":\"all\"}]|whole number 0..100",
			"[{\"revisionName\":\"validate-00001\",\"percent\":50,\"tag\":\"a\"},{\"latestRevision\":true,\"percent\":50,\"tag\":\"a\"}]|tag a is used twice",
			"[]|non-empty list",
			"{}|non-empty list" })
	void anInvalidSplitIsRefusedWithItsReason(String traffic, String reason) {
		assertThatThrownBy(() -> parse(traffic)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining(reason);
	}

	@Test
	void requestsAreDividedByThePercentsInOrder() throws Exception {
		Traffic split = parse("[{\"revisionName\":\"validate-00001\",\"percent\":90,\"tag\":\"stable\"},{\"revisionName\":\"validate-00002\",\"percent\":10,\"tag\":\"canary\"}]");

		assertThat(List.of(split.pick(0, "x"), split.pick(89.99, "x"), split.pick(90, "x"), split.pick(99.99, "x")))
				.containsExactly("validate-00001", "validate-00001", "validate-00002", "validate-00002");
		assertThat(split.tagged("canary", "x")).isEqualTo("validate-00002");
		assertThat(split.tagged("other", "x")).isNull();
	}

	@Test
	void theLatestRevisionIsResolvedWhenARequestComesAndInTheStatus() throws Exception {
		Traffic split = parse("[{\"revisionName\":\"validate-00001\",\"percent\":0,\"tag\":\"stable\"},{\"latestRevision\":true,\"percent\":100}]");

		assertThat(split.pick(0, "validate-00002")).isEqualTo("validate-00002");
		assertThat(split.status("validate-00002").get(1)).containsEntry("revisionName", "validate-00002").containsEntry("latestRevision", true);
		assertThat(Traffic.latest().pick(42, "validate-00001")).isEqualTo("validate-00001");
	}
}
