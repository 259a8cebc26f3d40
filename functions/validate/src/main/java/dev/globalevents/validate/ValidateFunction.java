package dev.globalevents.validate;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

import dev.globalevents.events.Event;
import dev.globalevents.runtime.ValidatedEvents;
import dev.globalevents.events.Violation;
import dev.globalevents.runtime.web.CloudEventCodec.Inbound;
import dev.globalevents.runtime.web.Outcome;
import dev.globalevents.runtime.web.Problem;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.messaging.Message;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;

/**
 * The validate step. One event: invalid → 400 with every violation; valid → reply with the validated CloudEvent,
 * counted as accepted the first time its (source, id) is seen and as a duplicate after; Redis unreachable → 503 so
 * the broker retries. A duplicate is answered with the validated event again (an idempotent reply), not only
 * acknowledged: when the reply to the first delivery was lost after the de-duplication mark was set (a timeout, a
 * crash), the broker's retry would otherwise be swallowed and the event never counted. aggregate counts each
 * (source, id) once, so forwarding a duplicate changes no count. A batch is all or nothing: if any entry is invalid,
 * the whole batch is rejected (violations point at {@code /<index>/...}) and nothing is marked as seen; otherwise
 * every event is answered in the batch reply.
 */
public final class ValidateFunction implements Function<Inbound, Mono<Outcome>> {

	private static final Log log = LogFactory.getLog(ValidateFunction.class);

	private final EventValidator validator;
	private final Deduplicator deduplicator;
	private final ValidateMetrics metrics;
	private final Clock clock;

	public ValidateFunction(EventValidator validator, Deduplicator deduplicator, ValidateMetrics metrics, Clock clock) {
		this.validator = validator;
		this.deduplicator = deduplicator;
		this.metrics = metrics;
		this.clock = clock;
	}

	@Override
	public Mono<Outcome> apply(Inbound inbound) {
		var sample = metrics.start();
		List<Message<JsonNode>> messages = inbound.events();
		List<Event> events = new ArrayList<>(messages.size());
		List<Violation> violations = new ArrayList<>();
		for (int i = 0; i < messages.size(); i++) {
			switch (validator.validate(messages.get(i))) {
				case Validation.Valid valid -> events.add(valid.event());
				case Validation.Invalid invalid -> violations.addAll(inbound.batch() ? atIndex(i, invalid.violations())
						: invalid.violations());
			}
		}
		if (!violations.isEmpty()) {
			metrics.rejected(violations.get(0).code(), messages.size());
			metrics.stop(sample);
			return Mono.just(new Outcome.Rejected(Problem.invalid(violations)));
		}
		return deduplicator.markSeen(events.stream().map(Event::dedupKey).toList())
				.map(first -> decide(inbound.batch(), events, first))
				.onErrorResume(e -> {
					log.warn("cannot de-duplicate " + events.size() + " event(s), answering 503: " + e);
					metrics.unavailable(events.size());
					return Mono.just(new Outcome.Unavailable(Problem.of(503, "dedup-unavailable",
							"De-duplication store unavailable", "Redis cannot be reached; retry later")));
				})
				.doFinally(signal -> metrics.stop(sample));
	}

	private Outcome decide(boolean batch, List<Event> events, List<Deduplicator.Seen> seen) {
		List<Message<?>> replies = new ArrayList<>(events.size());
		Instant now = clock.instant();
		long accepted = seen.stream().filter(Deduplicator.Seen::first).count();
		for (int i = 0; i < events.size(); i++) {
			replies.add(ValidatedEvents.of(events.get(i), now, seen.get(i).sequence()));
		}
		metrics.accepted((int) accepted);
		metrics.duplicate((int) (events.size() - accepted));
		return batch ? new Outcome.BatchReply(replies) : new Outcome.Reply(replies.get(0));
	}

	private static List<Violation> atIndex(int index, List<Violation> violations) {
		return violations.stream()
				.map(v -> new Violation("/" + index + v.field(), v.code(), "entry " + index + ": " + v.message()))
				.toList();
	}
}
