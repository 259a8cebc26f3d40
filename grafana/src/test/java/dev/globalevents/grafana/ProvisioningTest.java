package dev.globalevents.grafana;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The provisioning files are what Grafana reads at start (§2 of the plugin's and Grafana's provisioning formats): the
 * TrafficPeak data source from the environment, the dashboards' provider, and alert rules A → B → C with annotations,
 * a runbook that exists, a contact point and a policy that routes to it.
 */
class ProvisioningTest {

	/** The repository's runbooks, relative to this module's folder. */
	static final Path RUNBOOKS = Path.of("../docs/runbooks");

	@Test
	void theDataSourceIsTrafficPeakOverNativeTlsWithCredentialsFromTheEnvironment() {
		JsonNode file = AlertRules.provisioning("datasources/trafficpeak.yaml");
		JsonNode source = file.at("/datasources/0");

		assertThat(file.path("datasources").size()).isEqualTo(1);
		assertThat(source.path("type").asString()).isEqualTo("grafana-clickhouse-datasource");
		assertThat(source.path("uid").asString()).isEqualTo("trafficpeak");
		assertThat(source.at("/jsonData/protocol").asString()).isEqualTo("native");
		assertThat(source.at("/jsonData/port").asInt()).isEqualTo(9440);
		assertThat(source.at("/jsonData/secure").asBoolean()).isTrue();
		assertThat(source.at("/jsonData/host").asString()).isEqualTo("${TRAFFICPEAK_HOST}");
		assertThat(source.at("/jsonData/username").asString()).isEqualTo("${TRAFFICPEAK_USER}");
		assertThat(source.at("/secureJsonData/password").asString()).isEqualTo("$TRAFFICPEAK_PASSWORD");
	}

	@Test
	void theDashboardsProviderLoadsTheMountedFolder() {
		JsonNode provider = AlertRules.provisioning("dashboards/globalevents.yaml").at("/providers/0");

		assertThat(provider.path("type").asString()).isEqualTo("file");
		assertThat(provider.at("/options/path").asString()).isEqualTo("/var/lib/grafana/dashboards/globalevents");
		assertThat(provider.path("folder").asString()).isNotBlank();
		assertThat(provider.has("folderUid") && provider.at("/options/foldersFromFilesStructure").asBoolean(false))
				.as("Grafana refuses folder/folderUid with foldersFromFilesStructure").isFalse();
	}

	@Test
	void theSevenRulesAreTheOnesTheRunbooksDescribe() {
		assertThat(AlertRules.all()).extracting(AlertRule::title).containsExactly("EventErrorRateHigh", "ProcessingLatencyHigh", "RegionStale",
				"BacklogGrowing", "QuarantineGrowing", "ExportSpillNotEmpty", "RegionNoData");
		assertThat(AlertRules.all()).extracting(AlertRule::uid).doesNotHaveDuplicates()
				.allSatisfy(uid -> assertThat(uid).matches("[a-z0-9-]{1,40}"));
	}

	static Stream<Named<JsonNode>> rules() {
		List<Named<JsonNode>> rules = new ArrayList<>();
		for (JsonNode group : AlertRules.provisioning("alerting/rules.yaml").path("groups")) {
			assertThat(group.path("folder").asString()).isNotBlank();
			assertThat(group.path("interval").asString()).isEqualTo("1m");
			group.path("rules").forEach(rule -> rules.add(Named.of(rule.path("title").asString(), rule)));
		}
		return rules.stream();
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("rules")
	void aRuleIsAQueryThenReduceThenThresholdOnTrafficPeak(JsonNode rule) {
		List<String> refIds = rule.path("data").valueStream().map(d -> d.path("refId").asString()).toList();
		assertThat(refIds).containsExactly("A", "B", "C");
		assertThat(rule.path("condition").asString()).isEqualTo("C");
		for (JsonNode step : rule.path("data")) {
			assertThat(step.at("/model/refId").asString()).isEqualTo(step.path("refId").asString());
		}
		JsonNode a = rule.at("/data/0");
		assertThat(a.path("datasourceUid").asString()).isEqualTo("trafficpeak");
		assertThat(a.at("/model/datasource/uid").asString()).isEqualTo("trafficpeak");
		assertThat(a.at("/model/format").asInt()).as("table: a number per region").isEqualTo(1);
		assertThat(a.at("/relativeTimeRange/from").asInt()).as("a data source query may not have 0/0").isGreaterThan(a.at("/relativeTimeRange/to").asInt());
		assertThat(rule.at("/data/1/datasourceUid").asString()).isEqualTo("__expr__");
		assertThat(rule.at("/data/1/model/type").asString()).isEqualTo("reduce");
		assertThat(rule.at("/data/1/model/expression").asString()).isEqualTo("A");
		assertThat(rule.at("/data/2/datasourceUid").asString()).isEqualTo("__expr__");
		assertThat(rule.at("/data/2/model/type").asString()).isEqualTo("threshold");
		assertThat(rule.at("/data/2/model/expression").asString()).isEqualTo("B");
		assertThat(List.of("NoData", "Alerting", "OK", "KeepLast")).contains(rule.path("noDataState").asString());
		assertThat(List.of("Error", "Alerting", "OK", "KeepLast")).contains(rule.path("execErrState").asString());
		assertThat(rule.path("for").asString()).matches("\\d+[smh]");
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("rules")
	void aRulesSqlUsesNoDashboardVariableAndReadsTheEvaluationTime(JsonNode rule) {
		String sql = rule.at("/data/0/model/rawSql").asString();

		assertThat(Macros.expandForAlert(sql, Instant.EPOCH, Instant.EPOCH.plusSeconds(300), 1)).doesNotContain("$");
		assertThat(sql).contains("$__timeFilter(timestamp)").doesNotContainIgnoringCase("now()").doesNotContainPattern("(?i)\\bFINAL\\b");
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("rules")
	void aRuleIsLabelledAnnotatedAndLinksItsRunbookAndPanel(JsonNode rule) throws IOException {
		String title = rule.path("title").asString();
		assertThat(List.of("critical", "warning")).contains(rule.at("/labels/severity").asString());
		rule.path("labels").properties().forEach(label -> assertThat(label.getValue().asString())
				.as("labels are expanded for environment variables when provisioned: no $").doesNotContain("$"));
		assertThat(rule.at("/annotations/summary").asString()).isNotBlank();
		assertThat(rule.at("/annotations/description").asString()).isNotBlank();
		rule.path("annotations").properties().forEach(annotation -> assertThat(annotation.getValue().asString())
				.as("annotations are expanded for ${VAR} when provisioned").doesNotContain("${"));

		String runbook = rule.at("/annotations/runbook_url").asString();
		assertThat(runbook).matches("docs/runbooks/[a-z-]+\\.md");
		Path file = RUNBOOKS.resolve(Path.of(runbook).getFileName());
		assertThat(file).exists();
		assertThat(Files.readString(file)).as("%s says how to check %s from Grafana", runbook, title)
				.contains("From Grafana / TrafficPeak").contains(title);

		Dashboards.panelModel(rule.path("dashboardUid").asString(), rule.path("panelId").asInt()); // the linked panel exists
	}

	@Test
	void theRegionsTheRulesListAreTheDashboards() {
		Pattern list = Pattern.compile("arrayJoin\\(\\[([^]]*)]\\)");
		for (AlertRule rule : AlertRules.all()) {
			Matcher regions = list.matcher(rule.query().rawSql());
			while (regions.find()) {
				assertThat(regions.group(1).replace("'", "").replace(" ", "")).as(rule.title()).isEqualTo(String.join(",", Dashboards.regions()));
			}
		}
		for (PanelQuery query : Dashboards.queries()) {
			Matcher regions = list.matcher(query.rawSql());
			while (regions.find()) {
				assertThat(regions.group(1).replace("'", "").replace(" ", "")).as(query.title()).isEqualTo(String.join(",", Dashboards.regions()));
			}
		}
	}

	@Test
	void alertsGoToAWebhookFromTheEnvironmentThroughThePolicy() {
		JsonNode receiver = AlertRules.provisioning("alerting/contact-points.yaml").at("/contactPoints/0/receivers/0");
		String contactPoint = AlertRules.provisioning("alerting/contact-points.yaml").at("/contactPoints/0/name").asString();
		JsonNode policy = AlertRules.provisioning("alerting/policies.yaml").at("/policies/0");

		assertThat(receiver.path("type").asString()).isEqualTo("webhook");
		assertThat(receiver.at("/settings/url").asString()).isEqualTo("${GLOBALEVENTS_ALERT_WEBHOOK_URL}");
		assertThat(receiver.at("/settings/authorization_credentials").asString()).startsWith("$");
		assertThat(policy.path("receiver").asString()).isEqualTo(contactPoint);
		assertThat(policy.path("routes").valueStream().map(r -> r.path("receiver").asString())).containsOnly(contactPoint);
		List<String> severities = AlertRules.all().stream().map(r -> r.labels().get("severity")).distinct().toList();
		assertThat(policy.path("routes").valueStream().map(r -> r.at("/object_matchers/0/2").asString())).containsAll(severities);
	}
}
