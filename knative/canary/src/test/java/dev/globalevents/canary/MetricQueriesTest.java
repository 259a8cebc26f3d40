package dev.globalevents.canary;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The exact PromQL (docs/release.md quotes it), with the default labels and with others. */
class MetricQueriesTest {

	static final Duration WINDOW = Duration.ofMinutes(2);

	@Test
	void theDefaultsReadTheFunctionsRequestHistogramByRevision() {
		MetricQueries queries = MetricQueries.defaults();

		assertThat(queries.requests("validate-00002", WINDOW))
				.isEqualTo("sum(increase(http_server_requests_seconds_count{revision=\"validate-00002\",uri!~\"/actuator.*|/healthz\"}[120s]))");
		assertThat(queries.errors("validate-00002", WINDOW))
				.isEqualTo("sum(increase(http_server_requests_seconds_count{revision=\"validate-00002\",uri!~\"/actuator.*|/healthz\",status=~\"5..\"}[120s]))");
		assertThat(queries.p99("validate-00002", WINDOW)).isEqualTo(
				"histogram_quantile(0.99, sum by (le) (rate(http_server_requests_seconds_bucket{revision=\"validate-00002\",uri!~\"/actuator.*|/healthz\"}[120s])))");
	}

	@Test
	void everyLabelIsASetting() {
		MetricQueries queries = new MetricQueries("requests_seconds", "serving_knative_dev_revision", "code", "5..|429", "route", "",
				"namespace=\"globalevents-eu-west\"");

		assertThat(queries.errors("aggregate-00007", Duration.ofSeconds(90))).isEqualTo(
				"sum(increase(requests_seconds_count{serving_knative_dev_revision=\"aggregate-00007\",namespace=\"globalevents-eu-west\",code=~\"5..|429\"}[90s]))");
	}

	@Test
	void labelValuesAreQuoted() {
		assertThat(MetricQueries.quote("a\"b\\c")).isEqualTo("\"a\\\"b\\\\c\"");
	}

	@Test
	void aWindowUnderASecondIsRefused() {
		assertThatThrownBy(() -> MetricQueries.defaults().requests("v", Duration.ofMillis(500))).isInstanceOf(IllegalArgumentException.class);
	}
}
