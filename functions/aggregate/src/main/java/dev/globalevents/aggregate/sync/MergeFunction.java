package dev.globalevents.aggregate.sync;

import dev.globalevents.aggregate.windows.Windows;
import dev.globalevents.runtime.web.RejectedInput;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

import dev.globalevents.aggregate.windows.Windows;
import dev.globalevents.events.CloudEventAttributes;
import dev.globalevents.events.CloudEventTypes;
import dev.globalevents.events.WindowSummary;
import dev.globalevents.runtime.web.CloudEventCodec.Inbound;
import dev.globalevents.runtime.web.Outcome;
import dev.globalevents.runtime.web.Problem;
import dev.globalevents.runtime.web.RejectedInput;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.messaging.Message;
import reactor.core.publisher.Mono;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * Merges window summaries ({@code sync.summary}) from peer regions, and this region's own, into the global view
 * ({@link GlobalStore}). 200 once stored; 400 with the reason for a summary that breaks the schema or does not match
 * this region's windows; 503 when Redis is unreachable (the merge is idempotent, so a retry changes nothing).
 */
public final class MergeFunction implements Function<Inbound, Mono<Outcome>> {

	private static final Log log = LogFactory.getLog(MergeFunction.class);

	private final GlobalStore global;
	private final MergeMetrics metrics;
	private final SummaryReader summaries;
	private final Clock clock;

	public MergeFunction(GlobalStore global, MergeMetrics metrics, Windows windows, Clock clock) {
		this.global = global;
		this.metrics = metrics;
		this.summaries = new SummaryReader(windows);
		this.clock = clock;
	}

	@Override
	public Mono<Outcome> apply(Inbound inbound) {
		List<WindowSummary> peers = new ArrayList<>(inbound.events().size());
		for (Message<JsonNode> message : inbound.events()) {
			Object type = message.getHeaders().get(CloudEventAttributes.HEADER_PREFIX + CloudEventAttributes.TYPE);
			if (!CloudEventTypes.SYNC_SUMMARY.equals(type)) {
				return Mono.just(new Outcome.Rejected(Problem.of(400, "unexpected-type", "Unexpected event type",
						"this route merges " + CloudEventTypes.SYNC_SUMMARY + ", not " + type)));
			}
			try {
				peers.add(summaries.read(message.getPayload()));
			}
			catch (RejectedInput e) {
				return Mono.just(new Outcome.Rejected(e.problem()));
			}
			catch (JacksonException | IllegalArgumentException | java.time.DateTimeException e) {
				return Mono.just(new Outcome.Rejected(Problem.of(400, "invalid-summary", "Not a window summary", e.getMessage())));
			}
		}
		return global.merge(peers, clock.millis()).doOnNext(metrics::merged)
				.thenReturn(Outcome.ACK)
				.onErrorResume(e -> {
					log.warn("cannot merge " + peers.size() + " summaries, answering 503: " + e);
					metrics.unavailable(peers.size());
					return Mono.just(new Outcome.Unavailable(Problem.of(503, "store-unavailable",
							"Global view unavailable", "Redis cannot be reached; retry later")));
				});
	}
}
