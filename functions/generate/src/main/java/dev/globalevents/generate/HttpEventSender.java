package dev.globalevents.generate;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

import dev.globalevents.runtime.web.TraceHeaders;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * {@link EventSender} over the JDK HTTP client. A 5xx or 429 answer, a timeout or a refused connection is retried
 * up to {@code retries} times with exponential backoff (first {@code backoff}, doubling, plus jitter); a 4xx answer
 * is final (the event is wrong, sending it again would not help). Every retry is counted; a request that never got
 * a 2xx is reported as failed with its last status, never skipped silently.
 */
final class HttpEventSender implements EventSender {

	private static final Log log = LogFactory.getLog(HttpEventSender.class);

	private final HttpClient client;
	private final URI target;
	private final Duration timeout;
	private final int retries;
	private final Duration backoff;
	private final GenerateStats stats;
	private final TraceHeaders trace;

	/** {@code trace}: the trace context each request carries (a tick's events are part of the tick's trace). */
	HttpEventSender(URI target, Duration timeout, int retries, Duration backoff, GenerateStats stats, TraceHeaders trace) {
		this.client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
				.connectTimeout(Duration.ofSeconds(2)).build();
		this.target = target;
		this.timeout = timeout;
		this.retries = retries;
		this.backoff = backoff;
		this.stats = stats;
		this.trace = trace;
	}

	@Override
	public CompletableFuture<Integer> send(CloudEventEncoder.Request request) {
		HttpRequest.Builder builder = HttpRequest.newBuilder(target).timeout(timeout)
				.POST(HttpRequest.BodyPublishers.ofByteArray(request.body()));
		request.headers().forEach(builder::header);
		trace.current().forEach(builder::setHeader);
		return attempt(builder.build(), 0);
	}

	private CompletableFuture<Integer> attempt(HttpRequest request, int attempt) {
		return client.sendAsync(request, HttpResponse.BodyHandlers.discarding())
				.handle((response, error) -> error == null ? response.statusCode() : -1)
				.thenCompose(status -> {
					boolean retryable = status < 0 || status >= 500 || status == 429;
					if (!retryable || attempt >= retries) {
						if (retryable) {
							log.warn("giving up on a request to " + target + " after " + (attempt + 1) + " attempt(s): "
									+ (status < 0 ? "no answer" : "status " + status));
						}
						return CompletableFuture.completedFuture(status);
					}
					stats.retried();
					long delay = backoff.toMillis() * (1L << Math.min(attempt, 10));
					delay += (long) (Math.random() * delay / 2);
					Executor later = CompletableFuture.delayedExecutor(delay, TimeUnit.MILLISECONDS);
					return CompletableFuture.supplyAsync(() -> null, later).thenCompose(ignored -> attempt(request, attempt + 1));
				});
	}
}
