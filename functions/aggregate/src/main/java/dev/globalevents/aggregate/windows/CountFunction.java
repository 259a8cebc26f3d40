package dev.globalevents.aggregate.windows;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

import dev.globalevents.events.CloudEventAttributes;
import dev.globalevents.events.CloudEventTypes;
import dev.globalevents.events.Event;
import dev.globalevents.events.Json;
import dev.globalevents.runtime.web.CloudEventCodec.Inbound;
import dev.globalevents.runtime.web.Outcome;
import dev.globalevents.runtime.web.Problem;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.messaging.Message;
import reactor.core.publisher.Mono;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * Counts validated events ({@code event.validated}, the data an {@link Event}) into their event-time windows
 * ({@link WindowStore}). The answer is 200 with no body only once everything is stored; Redis unreachable gives 503
 * so the broker retries (the store is idempotent on (source, id), so a retry never double counts). A replayed event
 * is measured at its original arrival time, so replaying it into an empty store rebuilds the same window.
 */
public final class CountFunction implements Function<Inbound, Mono<Outcome>> {

	private static final Log log = LogFactory.getLog(CountFunction.class);

	private final WindowStore store;
	private final CountMetrics metrics;
	private final Windows windows;
	private final ErrorClassifier errors;
	private final Clock clock;

	public CountFunction(WindowStore store, CountMetrics metrics, Windows windows, ErrorClassifier errors, Clock clock) {
		this.store = store;
		this.metrics = metrics;
		this.windows = windows;
		this.errors = errors;
		this.clock = clock;
	}

	@Override
	public Mono<Outcome> apply(Inbound inbound) {
		long now = clock.millis();
		List<Observation> observations = new ArrayList<>(inbound.events().size());
		for (Message<JsonNode> message : inbound.events()) {
			String type = header(message, CloudEventAttributes.TYPE);
			if (!CloudEventTypes.EVENT_VALIDATED.equals(type)) {
				return Mono.just(new Outcome.Rejected(Problem.of(400, "unexpected-type", "Unexpected event type",
						"this route counts " + CloudEventTypes.EVENT_VALIDATED + ", not " + type)));
			}
			try {
				observations.add(observe(message, now));
			}
			catch (JacksonException | IllegalArgumentException | NullPointerException | java.time.DateTimeException e) {
				return Mono.just(new Outcome.Rejected(Problem.of(400, "invalid-validated-event", "Not a validated event",
						"data is not a normalized event: " + e.getMessage())));
			}
		}
		var sample = metrics.start();
		return store.add(observations).doOnNext(metrics::recorded)
				.thenReturn(Outcome.ACK)
				.onErrorResume(e -> {
					log.warn("cannot store " + observations.size() + " event(s), answering 503: " + e);
					metrics.unavailable(observations.size());
					return Mono.just(new Outcome.Unavailable(Problem.of(503, "store-unavailable",
							"Window store unavailable", "Redis cannot be reached; retry later")));
				})
				.doFinally(signal -> metrics.stop(sample));
	}

	private Observation observe(Message<JsonNode> message, long now) {
		Event event = Json.MAPPER.treeToValue(message.getPayload(), Event.class);
		long eventTime = Instant.parse(event.timestamp()).toEpochMilli();
		long windowStart = windows.start(eventTime);
		boolean replayed = "true".equals(header(message, CloudEventAttributes.REPLAYED));
		String arrivedAt = header(message, CloudEventAttributes.ARRIVED_AT);
		long arrival = replayed && arrivedAt != null ? Long.parseLong(arrivedAt) : now;
		String validatedAt = header(message, CloudEventAttributes.VALIDATED_AT);
		double transit = validatedAt == null ? -1 : Math.max(0, arrival - Instant.parse(validatedAt).toEpochMilli());
		return new Observation(event.dedupKey(), event.type(), windowStart, windows.closeAt(windowStart),
				errors.test(event.type(), event.payload()), arrival - eventTime, transit, arrival,
				replayed ? null : Json.MAPPER.writeValueAsString(event), validatedAt, sequence(message));
	}

	private static long sequence(Message<JsonNode> message) {
		String sequence = header(message, CloudEventAttributes.VALIDATED_SEQ);
		return sequence != null && sequence.matches("\\d{1,18}") ? Long.parseLong(sequence) : 0;
	}

	private static String header(Message<?> message, String attribute) {
		Object value = message.getHeaders().get(CloudEventAttributes.HEADER_PREFIX + attribute);
		return value == null ? null : value.toString();
	}
}
