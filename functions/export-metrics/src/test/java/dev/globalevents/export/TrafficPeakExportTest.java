package dev.globalevents.export;

import java.time.Duration;
import java.util.List;

import dev.globalevents.runtime.web.Outcome;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/** The TrafficPeak sink against a local receiver speaking the Hydrolix streaming ingest protocol. */
class TrafficPeakExportTest {

	HydrolixReceiver receiver;

	@BeforeEach
	void start() {
		receiver = new HydrolixReceiver("s3cret");
	}

	@AfterEach
	void stop() {
		receiver.close();
	}

	ExportFixture export(String token) {
		return new ExportFixture(metrics -> new TrafficPeakSink(receiver.url(), "globalevents.metrics", "metrics_json",
				"Bearer " + token, ExportFixture.delivery(metrics, 3), metrics), 10, Duration.ofMillis(100));
	}

	@Test
	void rowsGoAsAGzippedJsonArrayWithTableTransformAndToken() {
		try (ExportFixture export = export("s3cret")) {
			Outcome outcome = export.function.apply(ExportFixture.batch(List.of(ExportFixture.sample("s-1", "eu-west", 4),
					ExportFixture.window("w-1")))).block();

			assertThat(outcome).isInstanceOf(Outcome.Ack.class);
			HydrolixReceiver.Request request = receiver.requests().getFirst();
			assertThat(request.headers()).containsEntry("x-hdx-table", "globalevents.metrics")
					.containsEntry("x-hdx-transform", "metrics_json").containsEntry("content-encoding", "gzip");
			assertThat(request.rows().isArray()).isTrue();
			assertThat(request.rows()).hasSize(2);
			assertThat(request.rows().get(0).get("event_count").asLong()).isEqualTo(4);
			assertThat(request.rows().get(1).get("latency_p99").asDouble()).isEqualTo(38.05);
		}
	}

	@Test
	void aWindowWithTypesGoesAsItsTotalRowPlusOneRowPerTypeAndEveryRowNamesItsEventType() {
		try (ExportFixture export = export("s3cret")) {
			Outcome outcome = export.function.apply(ExportFixture.batch(List.of(ExportFixture.sample("s-1", "eu-west", 4),
					ExportFixture.windowWithTypes("w-1")))).block();

			assertThat(outcome).isInstanceOf(Outcome.Ack.class);
			JsonNode rows = receiver.requests().getFirst().rows();
			assertThat(rows).hasSize(4);
			assertThat(rows).extracting(r -> r.get("id").asString())
					.containsExactly("s-1", "w-1", "w-1/payment.processed", "w-1/order.created");
			assertThat(rows).extracting(r -> r.get("event_type").asString()).containsExactly("", "", "payment.processed", "order.created");
			assertThat(rows).extracting(r -> r.get("kind").asString()).containsExactly("sample", "window", "window", "window");
			assertThat(rows).extracting(r -> r.get("event_count").asLong()).containsExactly(4L, 42L, 2L, 40L);
			assertThat(export.registry.get("export.rows").tag("result", "sent").counter().count()).isEqualTo(4);
		}
	}

	@Test
	void retryAfterIsHonouredAnd503IsRetried() {
		receiver.script(n -> switch (n) {
			case 0 -> new HydrolixReceiver.Answer(429, "1");
			case 1 -> new HydrolixReceiver.Answer(503, null);
			default -> new HydrolixReceiver.Answer(200, null);
		});
		try (ExportFixture export = export("s3cret")) {
			Outcome outcome = export.function.apply(ExportFixture.single(ExportFixture.sample("s-1", "eu-west", 1))).block();

			assertThat(outcome).isInstanceOf(Outcome.Ack.class);
			List<HydrolixReceiver.Request> requests = receiver.requests();
			assertThat(requests).hasSize(3);
			assertThat(Duration.ofNanos(requests.get(1).nanos() - requests.get(0).nanos())).isGreaterThanOrEqualTo(Duration.ofSeconds(1));
			assertThat(export.registry.get("export.retries").counter().count()).isEqualTo(2);
			assertThat(export.registry.get("export.rows").tag("result", "sent").counter().count()).isEqualTo(1);
		}
	}

	@Test
	void aPartlyTakenBatch207IsAcknowledgedAndCountedAsRejectedNotRetried() {
		receiver.script(n -> new HydrolixReceiver.Answer(207, null));
		try (ExportFixture export = export("s3cret")) {
			Outcome outcome = export.function.apply(ExportFixture.single(ExportFixture.sample("s-1", "eu-west", 1))).block();

			assertThat(outcome).isInstanceOf(Outcome.Ack.class);
			assertThat(receiver.requests()).hasSize(1);
			assertThat(export.registry.get("export.rows").tag("result", "rejected").counter().count()).isEqualTo(1);
		}
	}

	@Test
	void aRefusedBatchIsNotRetriedAndAWrongTokenIsNotRetriedEither() {
		receiver.script(n -> new HydrolixReceiver.Answer(400, null));
		try (ExportFixture export = export("s3cret"); ExportFixture wrongToken = export("wrong")) {
			Outcome refused = export.function.apply(ExportFixture.single(ExportFixture.sample("s-1", "eu-west", 1))).block();
			Outcome forbidden = wrongToken.function.apply(ExportFixture.single(ExportFixture.sample("s-2", "eu-west", 1))).block();

			assertThat(refused).isInstanceOfSatisfying(Outcome.Rejected.class, r -> assertThat(r.problem().code()).isEqualTo("store-refused"));
			assertThat(forbidden).isInstanceOf(Outcome.Rejected.class);
			assertThat(receiver.requests()).hasSize(2);
			assertThat(export.registry.get("export.rows").tag("result", "rejected").counter().count()).isEqualTo(1);
		}
	}
}
