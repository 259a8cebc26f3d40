package dev.globalevents.export;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import reactor.core.publisher.Mono;

/**
 * Sends one HTTP request until the store takes it: 429 and 5xx answers and I/O errors are retried up to
 * {@code retries} times with exponential backoff and full jitter (from {@code backoff}, at most {@code maxBackoff}),
 * waiting at least what a {@code Retry-After} header asks; any other non-2xx answer is final.
 */
final class HttpDelivery {

	private static final Log log = LogFactory.getLog(HttpDelivery.class);

	private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
	private final int retries;
	private final Duration backoff;
	private final Duration maxBackoff;
	private final ExportMetrics metrics;

	HttpDelivery(int retries, Duration backoff, Duration maxBackoff, ExportMetrics metrics) {
		this.retries = retries;
		this.backoff = backoff;
		this.maxBackoff = maxBackoff;
		this.metrics = metrics;
	}

	/** The final answer: a 2xx or 207 response; errors with {@link Undelivered} otherwise. */
	Mono<HttpResponse<String>> send(Supplier<HttpRequest> request) {
		return attempt(request, 0);
	}

	private Mono<HttpResponse<String>> attempt(Supplier<HttpRequest> request, int attempt) {
		return Mono.fromCompletionStage(() -> client.sendAsync(request.get(), HttpResponse.BodyHandlers.ofString()))
				.map(response -> new Answer(response, null))
				.onErrorResume(java.io.IOException.class, e -> Mono.just(new Answer(null, e)))
				.flatMap(answer -> {
					HttpResponse<String> response = answer.response();
					if (response != null && response.statusCode() / 100 == 2) {
						return Mono.just(response);
					}
					boolean retryable = response == null || response.statusCode() == 429 || response.statusCode() >= 500;
					String what = response == null ? String.valueOf(answer.error()) : "status " + response.statusCode()
							+ ": " + abbreviate(response.body());
					if (!retryable || attempt >= retries) {
						return Mono.error(new Undelivered(what, retryable));
					}
					long wait = delay(attempt, response);
					metrics.retried();
					log.info("store answered " + what + "; retry " + (attempt + 1) + " of " + retries + " in " + wait + " ms");
					return Mono.delay(Duration.ofMillis(wait)).then(attempt(request, attempt + 1));
				});
	}

	private long delay(int attempt, HttpResponse<String> response) {
		long cap = Math.min(maxBackoff.toMillis(), backoff.toMillis() * (1L << Math.min(attempt, 20)));
		long jittered = ThreadLocalRandom.current().nextLong(cap / 2, cap + 1);
		long retryAfter = response == null ? 0 : response.headers().firstValue("Retry-After").map(HttpDelivery::seconds).orElse(0L) * 1000;
		return Math.max(jittered, retryAfter);
	}

	private static long seconds(String header) {
		try {
			return Long.parseLong(header.trim());
		}
		catch (NumberFormatException e) {
			return 1;
		}
	}

	private static String abbreviate(String body) {
		return body == null ? "" : body.length() > 300 ? body.substring(0, 300) + "…" : body.trim();
	}

	private record Answer(HttpResponse<String> response, Throwable error) {
	}

	/** The store did not take a request. */
	static final class Undelivered extends RuntimeException {

		private final boolean transientFailure;

		Undelivered(String message, boolean transientFailure) {
			super(message, null, false, false);
			this.transientFailure = transientFailure;
		}

		/** True when the store was unavailable (worth trying later), false when it refused the rows. */
		boolean transientFailure() {
			return transientFailure;
		}
	}
}
