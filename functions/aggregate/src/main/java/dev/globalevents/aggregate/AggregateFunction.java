package dev.globalevents.aggregate;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

import dev.globalevents.events.CloudEventAttributes;
import dev.globalevents.events.CloudEventTypes;
import dev.globalevents.events.Event;
import dev.globalevents.events.EventSourceUri;
import dev.globalevents.events.Json;
import dev.globalevents.events.web.CloudEventCodec.Inbound;
import dev.globalevents.events.web.Outcome;
import dev.globalevents.events.web.Problem;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.messaging.Message;
import reactor.core.publisher.Mono;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * The aggregate step: counts validated events into event-time windows (see {@link WindowStore}) and acknowledges
 * with 200 and no body only once they are stored; Redis unreachable gives 503 so the broker retries (the store is
 * idempotent, so a retry never double counts). A PingSource tick ({@code dev.knative.sources.ping}) closes due
 * windows instead.
 */
public final class AggregateFunction implements Function<Inbound, Mono<Outcome>> {

	static final String PING = "dev.knative.sources.ping";
	private static final Log log = LogFactory.getLog(AggregateFunction.class);

	private final WindowStore store;
	private final WindowEmitter emitter;
	private final AggregateMetrics metrics;
	private final Windows windows;
	private final ErrorClassifier errors;
	private final Clock clock;

	AggregateFunction(WindowStore store, WindowEmitter emitter, AggregateMetrics metrics, Windows windows,
			ErrorClassifier errors, Clock clock) {
		this.store = store;
		this.emitter = emitter;
		this.metrics = metrics;
		this.windows = windows;
		this.errors = errors;
		this.clock = clock;
	}

	@Override
	public Mono<Outcome> apply(Inbound inbound) {
		var sample = metrics.start();
		long now = clock.millis();
		List<Observation> observations = new ArrayList<>(inbound.events().size());
		for (Message<JsonNode> message : inbound.events()) {
			String type = header(message, CloudEventAttributes.TYPE);
			if (PING.equals(type)) {
				continue;
			}
			if (!CloudEventTypes.EVENT_VALIDATED.equals(type)) {
				return Mono.just(new Outcome.Rejected(Problem.of(400, "unexpected-type", "Unexpected event type",
						"aggregate takes " + CloudEventTypes.EVENT_VALIDATED + " and " + PING + ", not " + type)));
			}
			try {
				observations.add(observe(message, now));
			}
			catch (JacksonException | IllegalArgumentException | java.time.DateTimeException e) {
				return Mono.just(new Outcome.Rejected(Problem.of(400, "invalid-validated-event",
						"Not a validated event", "data is not a normalized event: " + e.getMessage())));
			}
		}
		if (observations.isEmpty()) {
			return emitter.tick().thenReturn(Outcome.ACK);
		}
		return store.add(observations)
				.<Outcome>map(results -> {
					metrics.recorded(results);
					return Outcome.ACK;
				})
				.onErrorResume(e -> {
					log.warn("cannot store " + observations.size() + " event(s), answering 503: " + e);
					metrics.unavailable(observations.size());
					return Mono.just(new Outcome.Unavailable(Problem.of(503, "store-unavailable",
							"Window store unavailable", "Redis cannot be reached; retry later")));
				})
				.doFinally(signal -> metrics.stop(sample));
	}

	private Observation observe(Message<JsonNode> message, long now) {
		JsonNode event = message.getPayload();
		String type = required(event, "/type");
		String dedupKey = Event.dedupKey(EventSourceUri.format(required(event, "/source/region"),
				required(event, "/source/instance")), required(event, "/id"));
		long eventTime = Instant.parse(required(event, "/timestamp")).toEpochMilli();
		long windowStart = windows.start(eventTime);
		boolean replayed = "true".equals(header(message, CloudEventAttributes.REPLAYED));
		String validatedAt = header(message, CloudEventAttributes.VALIDATED_AT);
		double transit = validatedAt == null ? -1 : Math.max(0, now - Instant.parse(validatedAt).toEpochMilli());
		String arrivedAt = header(message, CloudEventAttributes.ARRIVED_AT);
		long lateReference = replayed && arrivedAt != null ? Long.parseLong(arrivedAt) : now;
		return new Observation(dedupKey, type, windowStart, windows.closeAt(windowStart),
				errors.test(type, event.get("payload")), now - eventTime, transit, lateReference,
				replayed ? null : Json.MAPPER.writeValueAsString(event));
	}

	private static String required(JsonNode event, String pointer) {
		JsonNode node = event.at(pointer);
		if (!node.isString() || node.asString().isEmpty()) {
			throw new IllegalArgumentException(pointer + " is missing");
		}
		return node.asString();
	}

	private static String header(Message<?> message, String attribute) {
		Object value = message.getHeaders().get(CloudEventAttributes.HEADER_PREFIX + attribute);
		return value == null ? null : value.toString();
	}
}
