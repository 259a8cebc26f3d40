package dev.globalevents.export;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

import dev.globalevents.events.CloudEventAttributes;
import dev.globalevents.events.CloudEventTypes;
import dev.globalevents.events.JsonSchemas;
import dev.globalevents.events.Violation;
import dev.globalevents.runtime.web.CloudEventCodec.Inbound;
import dev.globalevents.runtime.web.Outcome;
import dev.globalevents.runtime.web.Problem;
import org.springframework.messaging.Message;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The export step: takes {@code metrics.sample} and {@code metrics.window} CloudEvents (binary, structured or batch),
 * checks their data against {@code metrics.schema.json}, turns each into rows ({@link MetricsRows}: one, and for a
 * window with {@code types} one more per event type) and acknowledges with 200 once the rows are delivered. A sample that does not fit the schema is refused with 400 and every violation (the broker
 * dead-letters it); a store that cannot take the rows gives 503 so the broker retries.
 */
final class ExportFunction implements Function<Inbound, Mono<Outcome>> {

	private static final JsonSchemas.CompiledSchema SCHEMA = JsonSchemas.load(JsonSchemas.METRICS);

	private final Batcher batcher;

	ExportFunction(Batcher batcher) {
		this.batcher = batcher;
	}

	@Override
	public Mono<Outcome> apply(Inbound inbound) {
		List<ObjectNode> rows = new ArrayList<>(inbound.events().size());
		for (Message<JsonNode> message : inbound.events()) {
			String type = header(message, CloudEventAttributes.TYPE);
			String kind = CloudEventTypes.METRICS_SAMPLE.equals(type) ? "sample"
					: CloudEventTypes.METRICS_WINDOW.equals(type) ? "window" : null;
			if (kind == null) {
				return Mono.just(new Outcome.Rejected(Problem.of(400, "unexpected-type", "Unexpected event type",
						"export-metrics takes " + CloudEventTypes.METRICS_SAMPLE + " and " + CloudEventTypes.METRICS_WINDOW + ", not " + type)));
			}
			List<Violation> violations = SCHEMA.validate(message.getPayload(), "/data");
			if (!violations.isEmpty()) {
				return Mono.just(new Outcome.Rejected(Problem.invalid(violations)));
			}
			rows.addAll(MetricsRows.rows(message.getPayload(), kind, header(message, CloudEventAttributes.SOURCE),
					header(message, CloudEventAttributes.ID)));
		}
		return batcher.submit(rows)
				.thenReturn(Outcome.ACK)
				.onErrorResume(e -> Mono.just(e instanceof HttpDelivery.Undelivered u && !u.transientFailure()
						? new Outcome.Rejected(Problem.of(400, "store-refused", "The store refused the rows", e.getMessage()))
						: new Outcome.Unavailable(Problem.of(503, "store-unavailable", "Metrics store unavailable", e.getMessage()))));
	}

	private static String header(Message<?> message, String attribute) {
		Object value = message.getHeaders().get(CloudEventAttributes.HEADER_PREFIX + attribute);
		return value == null ? null : value.toString();
	}
}
