package dev.globalevents.grafana;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Each alert rule, evaluated as Grafana evaluates it (query A over its relative range at the evaluation time on
 * ClickHouse 18.16, B reduce, C threshold, held over its pending period at the group's interval), stays quiet on the
 * normal data set and fires on its breach set, for the breached region only; and no other rule fires there unless the
 * breach implies it.
 */
@ExtendWith(TrafficPeakStandIn.Extension.class)
class AlertRulesTest {

	static TrafficPeakStandIn standIn;

	@BeforeAll
	static void start(TrafficPeakStandIn started) {
		standIn = started;
	}

	static Stream<Named<AlertRule>> rules() {
		return AlertRules.all().stream().map(r -> Named.of(r.title(), r));
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("rules")
	void staysQuietOnTheNormalDataSet(AlertRule rule) {
		AlertEvaluation.Evaluation evaluation = AlertEvaluation.evaluate(standIn.clickhouse, rule, standIn.normal.now());

		assertThat(evaluation.values().keySet()).as("a value for every region: " + evaluation.sql())
				.containsExactlyInAnyOrderElementsOf(Dashboards.regions().stream().map(region -> Map.of("region", region)).toList());
		assertThat(AlertEvaluation.firing(standIn.clickhouse, rule, standIn.normal.now())).as(evaluation.values().toString()).isEmpty();
	}

	static Stream<Arguments> rulesOnBreaches() {
		return DataSet.breaches().stream().flatMap(set -> AlertRules.all().stream()
				.map(rule -> Arguments.of(Named.of(rule.title(), rule), Named.of(set.name(), set.name().substring(0, set.name().indexOf(':'))))));
	}

	@ParameterizedTest(name = "{0} on {1}")
	@MethodSource("rulesOnBreaches")
	void firesOnItsBreachForTheBreachedRegionOnly(AlertRule rule, String dataSet) {
		DataSet set = standIn.breach(dataSet);
		Set<Map<String, String>> expected = set.firing().getOrDefault(rule.uid(), List.of()).stream()
				.map(region -> Map.of("region", region)).collect(Collectors.toSet());

		Set<Map<String, String>> firing = AlertEvaluation.firing(standIn.clickhouse, rule, set.now());

		assertThat(firing).as("values at %s: %s", set.now(), AlertEvaluation.evaluate(standIn.clickhouse, rule, set.now()).values())
				.isEqualTo(expected);
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("rules")
	void readsARowDeliveredTwiceAsOnce(AlertRule rule) {
		DataSet twice = standIn.breach("normal-redelivered");
		DataSet once = standIn.normal;

		Map<Map<String, String>, Double> values = AlertEvaluation.evaluate(standIn.clickhouse, rule, twice.now()).values();
		Map<Map<String, String>, Double> expected = AlertEvaluation.evaluate(standIn.clickhouse, rule, once.now()).values();

		if (rule.uid().equals("globalevents-region-no-data")) { // counts rows: twice as many, as far from 0 as before
			values.replaceAll((labels, rows) -> rows / 2);
		}
		assertThat(values.keySet()).isEqualTo(expected.keySet());
		values.forEach((labels, value) -> assertThat(value).as(labels.toString()).isCloseTo(expected.get(labels), org.assertj.core.data.Offset.offset(1e-9)));
	}
}
