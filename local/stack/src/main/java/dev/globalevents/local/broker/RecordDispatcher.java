package dev.globalevents.local.broker;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import io.cloudevents.http.HttpMessageFactory;

import dev.globalevents.local.http.Http1Client;

/**
 * Delivers one event to one Trigger's subscriber, as the Kafka broker's record dispatcher: binary mode with
 * {@code Prefer: reply}; a 2xx is done — with a CloudEvent in it, that reply is appended to the broker's topic with
 * the TTL lowered by one, and the delivery is done once Kafka has it (a malformed reply is a failure; an append
 * that fails is the broker's own failure, not the subscriber's: the append alone is tried again, with the Trigger's
 * backoff capped at 30 s, until Kafka takes it, and the offset stays uncommitted meanwhile); failures are retried on the statuses the Kafka broker retries with the Trigger's backoff; what still
 * fails goes to the dead-letter sink with {@code knativeerrordest}, {@code knativeerrorcode} and
 * {@code knativeerrordata} (base64 of the answer, at most 1,024 characters). The returned future completes only when
 * the event is done with: delivered, taken by the dead-letter sink (which is retried until it answers 2xx), or
 * dropped (no dead-letter sink, TTL exhausted) — only then may its offset be committed.
 */
final class RecordDispatcher {

	private static final System.Logger log = System.getLogger("broker");
	private static final Duration MAX_WAIT = Duration.ofSeconds(30);

	private final BrokerContract contract;
	private final Route route;
	private final Http1Client http;
	private final TopicWriter topic;
	private final BrokerStats.Trigger stats;
	private final Tracer tracer;
	private final String spanName;
	private volatile boolean stopped;

	RecordDispatcher(BrokerContract contract, Route route, Http1Client http, TopicWriter topic, BrokerStats.Trigger stats) {
		this(contract, route, http, topic, stats, Tracer.NONE);
	}

	RecordDispatcher(BrokerContract contract, Route route, Http1Client http, TopicWriter topic, BrokerStats.Trigger stats, Tracer tracer) {
		this.contract = contract;
		this.route = route;
		this.http = http;
		this.topic = topic;
		this.stats = stats;
		this.tracer = tracer;
		this.spanName = "trigger:" + route.name() + "." + contract.namespace();
	}

	/** Delivers an event the Trigger's filter took. */
	CompletableFuture<Void> dispatch(CloudEvent event) {
		return dispatch(event, null);
	}

	/**
	 * Delivers an event the Trigger's filter took, in the trace it was stored with ({@code trace}; null: a new one):
	 * one span per delivery, retries and dead-lettering included; the subscriber, its reply and the dead-letter sink
	 * continue the trace under it.
	 */
	CompletableFuture<Void> dispatch(CloudEvent event, TraceContext trace) {
		Tracer.Span span = tracer.start(spanName, "CLIENT", trace).remote(route.subscriber().getHost() + ":" + route.subscriber().getPort())
				.tag("messaging.message.id", event.getId()).tag("cloudevents.event_type", event.getType())
				.tag("http.url", route.subscriber());
		return attempt(event, 0, span).whenComplete((done, failed) -> span.tag("outcome", failed == null ? span.outcome : "error").finish());
	}

	private record Answer(int status, Map<String, List<String>> headers, byte[] body) {

		boolean ok() {
			return status / 100 == 2;
		}
	}

	private CompletableFuture<Void> attempt(CloudEvent event, int retry, Tracer.Span span) {
		return send(route.subscriber(), withoutTtl(event), true, span).thenCompose(answer -> {
			span.tag("http.status_code", answer.status());
			return outcome(event, answer, span);
		}).thenCompose(failure -> {
			if (failure == null) {
				stats.delivered.incrementAndGet();
				return CompletableFuture.completedFuture(null);
			}
			if (Delivery.retryable(failure.status()) && retry < route.delivery().retry() && !stopped) {
				stats.retried.incrementAndGet();
				span.tag("retries", retry + 1);
				return later(route.delivery().backoff(retry + 1)).thenCompose(x -> attempt(event, retry + 1, span));
			}
			return deadLetter(event, failure, 1, span);
		});
	}

	/** Null when the delivery succeeded (and its reply, if any, is stored), else the failure. */
	private CompletableFuture<Answer> outcome(CloudEvent event, Answer answer, Tracer.Span span) {
		if (!answer.ok()) {
			return CompletableFuture.completedFuture(answer);
		}
		boolean hasEvent = answer.body().length > 0
				|| answer.headers().keySet().stream().anyMatch(h -> h.toLowerCase(Locale.ROOT).equals("ce-id"));
		if (!hasEvent) {
			return CompletableFuture.completedFuture(null);
		}
		if (stats.repliesToLose.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
			// the fault of a connection that drops after the subscriber did its work: as a lost reply, retried
			stats.repliesLost.incrementAndGet();
			span.tag("fault", "reply lost");
			log.log(System.Logger.Level.WARNING, route.name() + ": reply to " + event.getId() + " lost (injected fault), delivered again");
			return CompletableFuture.completedFuture(new Answer(502, Map.of(), "reply lost (injected fault)".getBytes(StandardCharsets.UTF_8)));
		}
		CloudEvent reply;
		try {
			reply = HttpMessageFactory.createReaderFromMultimap(answer.headers(), answer.body()).toEvent();
		}
		catch (RuntimeException e) {
			return CompletableFuture.completedFuture(new Answer(502, Map.of(), ("malformed reply: " + e.getMessage()).getBytes(StandardCharsets.UTF_8)));
		}
		int ttl = Integer.parseInt(String.valueOf(event.getExtension("knativebrokerttl"))) - 1;
		if (ttl <= 0) {
			stats.dropped.incrementAndGet();
			span.outcome = "reply dropped: ttl exhausted";
			log.log(System.Logger.Level.WARNING, route.name() + ": reply " + reply.getType() + " " + reply.getId() + " dropped: knativebrokerttl exhausted (a reply loop?)");
			return CompletableFuture.completedFuture(null);
		}
		return store(Receiver.stamped(reply, ttl), 1, span);
	}

	/**
	 * Appends a reply until Kafka takes it: the subscriber has done its part, so a Kafka outage neither uses up its
	 * retries nor sends the event to the dead-letter sink. Stopped meanwhile: never done, delivered again after a restart.
	 */
	private CompletableFuture<Answer> store(CloudEvent reply, int attempt, Tracer.Span span) {
		return topic.append(reply, span.context()).handle((stored, failed) -> failed).thenCompose(failed -> {
			if (failed == null) {
				stats.replies.incrementAndGet();
				span.outcome = "delivered, reply " + reply.getType() + " stored";
				return CompletableFuture.completedFuture(null);
			}
			if (stopped) {
				return new CompletableFuture<Answer>();
			}
			stats.replyRetried.incrementAndGet();
			span.tag("reply.append_retries", attempt);
			Duration wait = capped(route.delivery().backoff(attempt));
			log.log(System.Logger.Level.DEBUG, route.name() + ": reply " + reply.getId() + " not stored (" + failed
					+ "); trying again in " + wait.toMillis() + " ms");
			return later(wait).thenCompose(x -> store(reply, attempt + 1, span));
		});
	}

	private CompletableFuture<Void> deadLetter(CloudEvent event, Answer failure, int attempt, Tracer.Span span) {
		URI sink = route.delivery().deadLetterSink();
		if (sink == null) {
			stats.dropped.incrementAndGet();
			span.outcome = "dropped: no dead-letter sink";
			log.log(System.Logger.Level.WARNING, route.name() + ": " + event.getType() + " " + event.getId() + " failed with "
					+ failure.status() + " and the Trigger has no dead-letter sink: dropped");
			return CompletableFuture.completedFuture(null);
		}
		String data = Base64.getEncoder().encodeToString(failure.body());
		CloudEvent dead = CloudEventBuilder.from(withoutTtl(event))
				.withExtension("knativeerrordest", route.subscriber().toString())
				.withExtension("knativeerrorcode", failure.status() < 0 ? 500 : failure.status())
				.withExtension("knativeerrordata", data.length() > 1024 ? data.substring(0, 1024) : data)
				.build();
		return send(sink, dead, false, span).thenCompose(answer -> {
			if (answer.ok()) {
				stats.deadLettered.incrementAndGet();
				span.outcome = "dead-lettered to " + sink;
				span.tag("error", "subscriber answered " + failure.status());
				log.log(System.Logger.Level.DEBUG, route.name() + ": " + event.getType() + " " + event.getId() + " failed with "
						+ failure.status() + "; dead-lettered to " + sink);
				return CompletableFuture.completedFuture(null);
			}
			if (stopped) {
				return new CompletableFuture<Void>(); // never done: not committed, delivered again after a restart
			}
			Duration wait = capped(route.delivery().backoff(attempt));
			log.log(System.Logger.Level.ERROR, "dead-letter sink " + sink + " answered " + answer.status() + " for " + event.getId()
					+ "; the offset stays uncommitted, trying again in " + wait.toMillis() + " ms");
			return later(wait).thenCompose(x -> deadLetter(event, failure, attempt + 1, span));
		});
	}

	private CompletableFuture<Answer> send(URI target, CloudEvent event, boolean preferReply, Tracer.Span span) {
		Map<String, String> headers = new HashMap<>();
		byte[][] body = new byte[1][];
		HttpMessageFactory.createWriter(headers::put, bytes -> body[0] = bytes).writeBinary(event);
		headers.put("Kn-Namespace", contract.namespace());
		headers.put(TraceContext.HEADER, span.context().traceparent());
		if (preferReply) {
			headers.put("Prefer", "reply");
		}
		return http.post(target, headers, body[0] == null ? new byte[0] : body[0], route.delivery().timeout())
				.thenApply(response -> new Answer(response.status(), response.headers(), response.body()))
				.exceptionally(e -> new Answer(-1, Map.of(), String.valueOf(e.getMessage()).getBytes(StandardCharsets.UTF_8)));
	}

	private static Duration capped(Duration wait) {
		return wait.compareTo(MAX_WAIT) > 0 ? MAX_WAIT : wait;
	}

	private static CompletableFuture<Void> later(Duration wait) {
		return CompletableFuture.runAsync(() -> { }, CompletableFuture.delayedExecutor(wait.toMillis(), TimeUnit.MILLISECONDS));
	}

	private static CloudEvent withoutTtl(CloudEvent event) {
		return event.getExtension("knativebrokerttl") == null ? event
				: CloudEventBuilder.from(event).withoutExtension("knativebrokerttl").build();
	}

	/** Stops retrying: what is not done stays uncommitted and is delivered again after a restart. */
	void stop() {
		stopped = true;
	}
}
