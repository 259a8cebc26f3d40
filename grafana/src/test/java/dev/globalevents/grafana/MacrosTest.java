package dev.globalevents.grafana;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Macros expands a panel's SQL into exactly what grafana-clickhouse-datasource 4.x (pkg/macros/macros.go, stable since
 * 4.0.3) and Grafana's browser side (variables, $__conditionalAll) hand to ClickHouse; the golden strings are the
 * plugin's, for F = 1780315200 (2026-06-01T12:00:00Z) and T = 1780318800 (13:00:00Z).
 */
class MacrosTest {

	static final Instant FROM = Instant.parse("2026-06-01T12:00:00Z");
	static final Instant TO = Instant.parse("2026-06-01T13:00:00Z");
	static final Map<String, List<String>> ALL = Map.of("region", List.of(Macros.ALL));

	@ParameterizedTest(name = "{0}")
	@CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
			$__timeFilter(timestamp)                | timestamp >= toDateTime(1780315200) AND timestamp <= toDateTime(1780318800)
			$__timeFilter( timestamp )              | timestamp >= toDateTime(1780315200) AND timestamp <= toDateTime(1780318800)
			$__fromTime                             | toDateTime(1780315200)
			$__toTime                               | toDateTime(1780318800)
			$__timeFrom(ts)                         | ts >= toDateTime(1780315200)
			$__timeTo(ts)                           | ts <= toDateTime(1780318800)
			$__dateFilter(day)                      | day >= toDate('2026-06-01') AND day <= toDate('2026-06-01')
			$__dateTimeFilter(day, ts)              | (day >= toDate('2026-06-01') AND day <= toDate('2026-06-01')) AND (ts >= toDateTime(1780315200) AND ts <= toDateTime(1780318800))
			$__dt(day, ts)                          | (day >= toDate('2026-06-01') AND day <= toDate('2026-06-01')) AND (ts >= toDateTime(1780315200) AND ts <= toDateTime(1780318800))
			$__interval_s                           | 30
			$__interval_ms                          | 30000
			""")
	void thePluginsMacrosExpandToItsStrings(String macro, String expanded) {
		assertThat(Macros.expand(macro, FROM, TO, 30, ALL)).isEqualTo(expanded);
	}

	@Test
	void theIntervalIsAtLeastOneSecond() {
		assertThat(Macros.expand("$__interval_s", FROM, TO, 0, ALL)).isEqualTo("1");
	}

	@Test
	void conditionalAllIsTrueForAllAndTheConditionForChosenValues() {
		String sql = "WHERE $__conditionalAll(region IN (${region:singlequote}), $region)";

		assertThat(Macros.expand(sql, FROM, TO, 10, ALL)).isEqualTo("WHERE 1=1");
		assertThat(Macros.expand(sql, FROM, TO, 10, Map.of())).isEqualTo("WHERE 1=1");
		assertThat(Macros.expand(sql, FROM, TO, 10, Map.of("region", List.of("")))).isEqualTo("WHERE 1=1");
		assertThat(Macros.expand(sql, FROM, TO, 10, Map.of("region", List.of("eu-west")))).isEqualTo("WHERE region IN ('eu-west')");
		assertThat(Macros.expand(sql, FROM, TO, 10, Map.of("region", List.of("us-east", "ap-south"))))
				.isEqualTo("WHERE region IN ('us-east','ap-south')");
	}

	@Test
	void variablesExpandInGrafanasFormats() {
		Map<String, List<String>> variables = Map.of("region", List.of("us-east", "o'hare"), "capacity", List.of("2000"));

		assertThat(Macros.expand("${region:singlequote} ${region:raw} $region ${region} $capacity", FROM, TO, 10, variables))
				.isEqualTo("'us-east','o\\'hare' us-east,o'hare us-east,o'hare us-east,o'hare 2000");
	}

	@ParameterizedTest(name = "{0}")
	@ValueSource(strings = {"$__timeInterval(timestamp)", "$__timeInterval_ms(timestamp)", "$__timeGroup(timestamp, 5m)",
			"$__timeFilter_ms(timestamp)", "$__fromTime_ms", "$__toTime_ms", "$__interval", "$__columns", "$__rateColumns",
			"$__perSecondColumns", "$__increaseColumns", "$__lttb"})
	void macrosThatDoNotRunOnClickHouse1816AreRefused(String macro) {
		assertThatThrownBy(() -> Macros.expand("SELECT " + macro, FROM, TO, 10, ALL)).hasMessageContaining("18.16");
	}

	@Test
	void aMacroThePluginDoesNotKnowIsRefused() {
		assertThatThrownBy(() -> Macros.expand("SELECT $__unixEpochFilter(t)", FROM, TO, 10, ALL)).hasMessageContaining("does not know");
	}

	@Test
	void aVariableTheDashboardDoesNotHaveIsRefused() {
		assertThatThrownBy(() -> Macros.expand("WHERE service = '$service'", FROM, TO, 10, ALL)).hasMessageContaining("$service");
	}

	@ParameterizedTest(name = "{0}")
	@ValueSource(strings = {"WHERE region IN (${region:singlequote})", "WHERE region = '$region'", "WHERE $__conditionalAll(1=1, $region)"})
	void anAlertRulesSqlCannotUseDashboardVariables(String sql) {
		assertThatThrownBy(() -> Macros.expandForAlert(sql, FROM, TO, 1)).hasMessageContaining("dashboard variables");
	}

	@Test
	void anAlertRulesSqlGetsTheMacrosOfItsRange() {
		assertThat(Macros.expandForAlert("WHERE $__timeFilter(timestamp) AND x < $__toTime", FROM, TO, 1))
				.isEqualTo("WHERE timestamp >= toDateTime(1780315200) AND timestamp <= toDateTime(1780318800) AND x < toDateTime(1780318800)");
	}
}
