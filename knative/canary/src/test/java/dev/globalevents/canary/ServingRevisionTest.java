package dev.globalevents.canary;

import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/** Where a release starts from, read from a Service's status.traffic as Knative reports it. */
class ServingRevisionTest {

	static final JsonMapper JSON = JsonMapper.builder().build();

	static Stream<Arguments> services() {
		return Stream.of(
				arguments("never had a canary (Knative's default traffic)",
						"[{\"latestRevision\":true,\"percent\":100,\"revisionName\":\"validate-00003\"}]", "validate-00003"),
				arguments("promoted", "[{\"latestRevision\":true,\"percent\":100,\"revisionName\":\"validate-00004\"}]", "validate-00004"),
				arguments("rolled back: stable, the canary kept at 0 %",
						"[{\"revisionName\":\"validate-00003\",\"percent\":100,\"tag\":\"stable\",\"latestRevision\":false},"
								+ "{\"revisionName\":\"validate-00004\",\"percent\":0,\"tag\":\"canary\",\"latestRevision\":false}]",
						"validate-00003"),
				arguments("a release cut off half-way",
						"[{\"revisionName\":\"validate-00003\",\"percent\":75,\"tag\":\"stable\"},{\"revisionName\":\"validate-00004\",\"percent\":25,\"tag\":\"canary\"}]",
						"validate-00003"),
				arguments("pinned", "[{\"revisionName\":\"validate-00003\",\"percent\":100,\"tag\":\"stable\"}]", "validate-00003"));
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("services")
	void findsTheRevisionServingNow(String description, String traffic, String revision) {
		assertThat(ServingRevision.of(service(traffic))).isEqualTo(revision);
	}

	@ParameterizedTest
	@ValueSource(strings = {
			"[{\"revisionName\":\"validate-00003\",\"percent\":50},{\"revisionName\":\"validate-00004\",\"percent\":50}]",
			"[]" })
	void refusesToGuessASplitSetByHand(String traffic) {
		assertThatThrownBy(() -> ServingRevision.of(service(traffic))).isInstanceOf(IllegalStateException.class)
				.hasMessageContaining("ksvc validate has no single serving revision");
	}

	static tools.jackson.databind.JsonNode service(String traffic) {
		return JSON.readTree("{\"metadata\":{\"name\":\"validate\"},\"status\":{\"traffic\":" + traffic + "}}");
	}
}
