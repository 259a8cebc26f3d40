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
import dev.globalevents.events.WindowSummary;
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
 * The aggregate step. Validated events are counted into event-time windows (see {@link WindowStore}); window
 * summaries from peer regions ({@code sync.summary}) are merged into the global view (see {@link GlobalStore}); a
 * PingSource tick ({@code dev.knative.sources.ping}) closes due windows. The answer is 200 with no body only once
 * everything is stored; Redis unreachable gives 503 so the broker retries (both stores are idempotent, so a retry
 * never double counts). A replayed event is measured at its original arrival time, so replaying it into an empty
 * store rebuilds the same window.
 */
public final class AggregateFunction implements Function<Inbound, Mono<Outcome>> {

	static final String PING = "dev.knative.sources.ping";
	private static final Log log = LogFactory.getLog(AggregateFunction.class);

	private final WindowStore store;
	private final GlobalStore global;
	private final WindowEmitter emitter;
	private final AggregateMetrics metrics;
	private final Windows windows;
	private final ErrorClassifier errors;
	private final Clock clock;
	private final SummaryReader summaries;

	AggregateFunction(WindowStore store, GlobalStore global, WindowEmitter emitter, AggregateMetrics metrics,
			Windows windows, ErrorClassifier errors, Clock clock) {
		this.store = store;
		this.global = global;
		this.emitter = emitter;
		this.metrics = metrics;
		this.windows = windows;
		this.errors = errors;
		this.clock = clock;
		this.summaries = new SummaryReader(windows);
	}

	@Override
	public Mono<Outcome> apply(Inbound inbound) {
		long now = clock.millis();
		List<Observation> observations = new ArrayList<>(inbound.events().size());
		List<WindowSummary> peers = new ArrayList<>();
		for (Message<JsonNode> message : inbound.events()) {
			String type = header(message, CloudEventAttributes.TYPE);
			try {
				if (CloudEventTypes.EVENT_VALIDATED.equals(type)) {
					observations.add(observe(message, now));
				}
				else if (CloudEventTypes.SYNC_SUMMARY.equals(type)) {
					peers.add(summaries.read(message.getPayload()));
				}
				else if (!PING.equals(type)) {
					return rejected(Problem.of(400, "unexpected-type", "Unexpected event type", "aggregate takes "
							+ CloudEventTypes.EVENT_VALIDATED + ", " + CloudEventTypes.SYNC_SUMMARY + " and " + PING + ", not " + type));
				}
			}
			catch (RejectedInput e) {
				return rejected(e.problem());
			}
			catch (JacksonException | IllegalArgumentException | java.time.DateTimeException e) {
				return rejected(Problem.of(400, "invalid-validated-event", "Not a validated event",
						"data is not a normalized event: " + e.getMessage()));
			}
		}
		if (observations.isEmpty() && peers.isEmpty()) {
			return emitter.tick().thenReturn(Outcome.ACK);
		}
		var sample = metrics.start();
		Mono<?> counted = observations.isEmpty() ? Mono.empty() : store.add(observations).doOnNext(metrics::recorded);
		Mono<?> merged = peers.isEmpty() ? Mono.empty() : global.merge(peers, now).doOnNext(metrics::merged);
		return Mono.when(counted, merged)
				.thenReturn(Outcome.ACK)
				.onErrorResume(e -> {
					log.warn("cannot store " + observations.size() + " event(s) and " + peers.size()
							+ " summaries, answering 503: " + e);
					metrics.unavailable(observations.size());
					return Mono.just(new Outcome.Unavailable(Problem.of(503, "store-unavailable",
							"Window store unavailable", "Redis cannot be reached; retry later")));
				})
				.doFinally(signal -> metrics.stop(sample));
	}

	private static Mono<Outcome> rejected(Problem problem) {
		return Mono.just(new Outcome.Rejected(problem));
	}

	private Observation observe(Message<JsonNode> message, long now) {
		JsonNode event = message.getPayload();
		String type = required(event, "/type");
		String dedupKey = Event.dedupKey(EventSourceUri.format(required(event, "/source/region"),
				required(event, "/source/instance")), required(event, "/id"));
		long eventTime = Instant.parse(required(event, "/timestamp")).toEpochMilli();
		long windowStart = windows.start(eventTime);
		boolean replayed = "true".equals(header(message, CloudEventAttributes.REPLAYED));
		String arrivedAt = header(message, CloudEventAttributes.ARRIVED_AT);
		long arrival = replayed && arrivedAt != null ? Long.parseLong(arrivedAt) : now;
		String validatedAt = header(message, CloudEventAttributes.VALIDATED_AT);
		double transit = validatedAt == null ? -1 : Math.max(0, arrival - Instant.parse(validatedAt).toEpochMilli());
		return new Observation(dedupKey, type, windowStart, windows.closeAt(windowStart),
				errors.test(type, event.get("payload")), arrival - eventTime, transit, arrival,
				replayed ? null : Json.MAPPER.writeValueAsString(event), validatedAt, sequence(message));
	}

	private static long sequence(Message<JsonNode> message) {
		String sequence = header(message, CloudEventAttributes.VALIDATED_SEQ);
		return sequence != null && sequence.matches("\\d{1,18}") ? Long.parseLong(sequence) : 0;
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
