package dev.globalevents.events;

import java.util.List;

import dev.globalevents.events.testing.TestEvents;
import dev.globalevents.events.testing.TestEvents.Scenario;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

class JsonSchemasTest {

	static List<Scenario> valid() {
		return TestEvents.valid().toList();
	}

	@ParameterizedTest
	@MethodSource("valid")
	void goldenValidatedEventsConformToTheEventSchema(Scenario scenario) {
		assertThat(JsonSchemas.load(JsonSchemas.EVENT).validate(scenario.validated(), "")).isEmpty();
	}

	@ParameterizedTest
	@MethodSource("valid")
	void validGoldenEnvelopesConformToTheWireSchema(Scenario scenario) {
		assertThat(JsonSchemas.load(JsonSchemas.CLOUDEVENT).validate(scenario.structured(), "")).isEmpty();
	}

	@Test
	void eventRecordSerializesToTheSchemaItIsDescribedBy() {
		Event event = Json.MAPPER.treeToValue(TestEvents.ORDER_CREATED_FULL.validated(), Event.class);

		var violations = JsonSchemas.load(JsonSchemas.EVENT).validate(Json.MAPPER.valueToTree(event), "");

		assertThat(violations).isEmpty();
		assertThat((JsonNode) Json.MAPPER.valueToTree(event)).isEqualTo(TestEvents.ORDER_CREATED_FULL.validated());
	}

	@Test
	void metricsRecordSerializesToTheMetricsSchema() {
		Metrics metrics = new Metrics("2026-06-01T00:00:10Z", "eu-west",
				new Metrics.Values(120, 3.5, 0.025, 4, 1.5e8, 0.12), new Metrics.Tags("demo", "aggregate", "0.1.0"));

		JsonNode json = Json.MAPPER.valueToTree(metrics);

		assertThat(JsonSchemas.load(JsonSchemas.METRICS).validate(json, "")).isEmpty();
		assertThat(json.at("/metrics/event_count").asLong()).isEqualTo(120);
		assertThat(Json.MAPPER.treeToValue(json, Metrics.class)).isEqualTo(metrics);
	}

	@Test
	void metricsRecordWithPerTypeFiguresSerializesToTheMetricsSchemaAndOmitsAbsentTypes() {
		Metrics.Values totals = new Metrics.Values(3, 2.0, 1 / 3.0, 0, 1.5e8, 0.12);
		Metrics.Tags tags = new Metrics.Tags("demo", "aggregate", "0.1.0");
		Metrics.Window window = new Metrics.Window("2026-06-01T00:00:00Z", "2026-06-01T00:00:10Z");
		Metrics metrics = new Metrics("2026-06-01T00:00:00Z", "eu-west", totals, tags, window, new Metrics.Latency(8, 16, 16),
				List.of(new Metrics.TypeMetrics("order.created", 2, 0, 1.5, new Metrics.Latency(8, 8, 8)),
						new Metrics.TypeMetrics("payment.processed", 1, 1, 3.0, new Metrics.Latency(16, 16, 16))));

		JsonNode json = Json.MAPPER.valueToTree(metrics);

		assertThat(JsonSchemas.load(JsonSchemas.METRICS).validate(json, "")).isEmpty();
		assertThat(json.at("/types/0/event_type").asString()).isEqualTo("order.created");
		assertThat(json.at("/types/1/event_count").asLong()).isEqualTo(1);
		assertThat(json.at("/types/1/error_rate").asDouble()).isEqualTo(1.0);
		assertThat(json.at("/types/1/processing_time").asDouble()).isEqualTo(3.0);
		assertThat(json.at("/types/1/latency/p99").asDouble()).isEqualTo(16.0);
		assertThat(Json.MAPPER.treeToValue(json, Metrics.class)).isEqualTo(metrics);
		JsonNode withoutTypes = Json.MAPPER.valueToTree(new Metrics("2026-06-01T00:00:00Z", "eu-west", totals, tags, window, null));
		assertThat(withoutTypes.has("types")).isFalse();
		assertThat(withoutTypes.has("latency")).isFalse();
	}

	@Test
	void metricsSchemaRejectsPerTypeEntriesWithoutATypeWithMissingFiguresOrWithUnknownFields() {
		JsonNode metrics = Json.MAPPER.readTree("""
				{"timestamp":"2026-06-01T00:00:00Z","region":"eu-west",
				 "metrics":{"event_count":3,"processing_time":1.5,"error_rate":0.0,"queue_depth":0,"memory_usage":1e8,"cpu_usage":0.1},
				 "tags":{"environment":"test","service":"aggregate","version":"0.1.0"},
				 "types":[{"event_type":"","event_count":1,"error_rate":0,"processing_time":1,"latency":{"p50":1,"p95":1,"p99":1}},
				          {"event_type":"a","event_count":1,"error_rate":2,"processing_time":1,"latency":{"p50":1,"p95":1}},
				          {"event_type":"b","event_count":1,"error_rate":0,"processing_time":1,"latency":{"p50":1,"p95":1,"p99":1},"x":1},
				          {"event_type":"c","error_rate":0,"processing_time":1,"latency":{"p50":1,"p95":1,"p99":1}}]}""");

		var violations = JsonSchemas.load(JsonSchemas.METRICS).validate(metrics, "");

		assertThat(violations).extracting(Violation::field)
				.contains("/types/0/event_type", "/types/1/error_rate", "/types/1/latency", "/types/2", "/types/3");
	}

	@Test
	void metricsSchemaRejectsAnErrorRateAboveOne() {
		Metrics metrics = new Metrics("2026-06-01T00:00:10Z", "eu-west",
				new Metrics.Values(1, 1, 1.5, 0, 0, 0), new Metrics.Tags("demo", "aggregate", "0.1.0"));

		var violations = JsonSchemas.load(JsonSchemas.METRICS).validate(Json.MAPPER.valueToTree(metrics), "");

		assertThat(violations).extracting(Violation::field).containsExactly("/metrics/error_rate");
	}

	@Test
	void summaryRecordRoundTripsThroughTheSummarySchema() {
		JsonNode golden = TestEvents.summary("eu_west_two_types");

		WindowSummary summary = Json.MAPPER.treeToValue(golden, WindowSummary.class);

		assertThat(JsonSchemas.load(JsonSchemas.SUMMARY).validate(golden, "")).isEmpty();
		assertThat(summary.types().get("order.created").e2e()).containsEntry(13, 3L).containsEntry(14, 2L);
		assertThat(Json.MAPPER.readTree(Json.MAPPER.writeValueAsString(summary))).isEqualTo(golden);
	}

	@ParameterizedTest
	@org.junit.jupiter.params.provider.CsvSource({
			"bucket_out_of_range, /types/order.created/e2e",
			"region_unknown, /region" })
	void summarySchemaRejectsBadSummariesAndResolvesItsReferencesToTheEventSchema(String scenario, String field) {
		var violations = JsonSchemas.load(JsonSchemas.SUMMARY).validate(TestEvents.summary(scenario), "");

		assertThat(violations).extracting(Violation::field).contains(field);
	}

	@Test
	void regionsComeFromTheSchemaAndAcceptCommonSpellings() {
		assertThat(Regions.all()).containsExactly("us-east", "eu-west", "ap-south");
		assertThat(Regions.canonical("US_East")).isEqualTo("us-east");
		assertThat(Regions.canonical("eu west")).isEqualTo("eu-west");
		assertThat(Regions.canonical("APSOUTH")).isEqualTo("ap-south");
		assertThat(Regions.canonical("mars-north")).isNull();
	}

	@Test
	void reservedTypesAreThePipelineNamespaces() {
		assertThat(CloudEventTypes.isReserved(CloudEventTypes.EVENT_VALIDATED)).isTrue();
		assertThat(CloudEventTypes.isReserved("dev.knative.sources.ping")).isTrue();
		assertThat(CloudEventTypes.isReserved("order.created")).isFalse();
	}
}
