package dev.globalevents.local.broker;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The broker's counters in Prometheus' text format, as {@code GET /metrics} serves them. */
class BrokerStatsTest {

	@Test
	void theCountersAndEachTriggersLagAreServedWithTheBrokersLabels() {
		BrokerStats stats = new BrokerStats();
		stats.accepted();
		stats.accepted();
		stats.refused();
		BrokerStats.Trigger validate = stats.trigger("validate-incoming");
		validate.delivered.addAndGet(5);
		validate.deadLettered.incrementAndGet();
		validate.retried.addAndGet(3);
		validate.replyRetried.addAndGet(4);
		validate.lag = () -> 42;
		stats.trigger("aggregate-validated");

		String text = new String(stats.prometheus("globalevents-us-east", "events"), StandardCharsets.UTF_8);

		String broker = "namespace=\"globalevents-us-east\",broker=\"events\"";
		assertThat(text.lines()).contains(
				"# TYPE broker_events_total counter",
				"broker_events_total{" + broker + ",result=\"accepted\"} 2",
				"broker_events_total{" + broker + ",result=\"refused\"} 1",
				"broker_events_total{" + broker + ",result=\"not_stored\"} 0",
				"broker_trigger_events_total{" + broker + ",trigger=\"validate-incoming\",result=\"delivered\"} 5",
				"broker_trigger_events_total{" + broker + ",trigger=\"validate-incoming\",result=\"dead_lettered\"} 1",
				"broker_trigger_retries_total{" + broker + ",trigger=\"validate-incoming\"} 3",
				"broker_trigger_reply_retries_total{" + broker + ",trigger=\"validate-incoming\"} 4",
				"# TYPE broker_trigger_lag gauge",
				"broker_trigger_lag{" + broker + ",trigger=\"validate-incoming\"} 42",
				"broker_trigger_lag{" + broker + ",trigger=\"aggregate-validated\"} 0");
		assertThat(text).endsWith("\n");
		// every sample line is name{labels} value, and every family is declared once before its samples
		assertThat(text.lines().filter(l -> !l.startsWith("#"))).allMatch(l -> l.matches("[a-z_]+\\{[^}]*} -?[0-9]+"));
		assertThat(text.lines().filter(l -> l.startsWith("# TYPE"))).doesNotHaveDuplicates().hasSize(7);
	}

	@Test
	void labelValuesAreEscaped() {
		String text = new String(new BrokerStats().prometheus("ns\"with\\quotes", "events"), StandardCharsets.UTF_8);

		assertThat(text).contains("namespace=\"ns\\\"with\\\\quotes\"");
	}
}
