package dev.globalevents.quarantine;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import reactor.core.publisher.Mono;

/**
 * Sends a quarantined request again, as it first arrived but without the {@code ce-knativeerror*} headers the
 * dead-lettering added, to the replay target (the broker, {@code K_SINK}). Emits the HTTP status (-1: no answer).
 */
final class Replayer {

	private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
	private final URI target;

	Replayer(String target) {
		this.target = URI.create(target);
	}

	URI target() {
		return target;
	}

	Mono<Integer> send(Quarantined entry) {
		HttpRequest.Builder request = HttpRequest.newBuilder(target).timeout(Duration.ofSeconds(10))
				.POST(HttpRequest.BodyPublishers.ofByteArray(entry.body()));
		entry.headers().forEach((name, value) -> {
			if (!name.startsWith(Quarantined.ERROR_PREFIX)) {
				request.header(name, value);
			}
		});
		return Mono.fromCompletionStage(() -> client.sendAsync(request.build(), HttpResponse.BodyHandlers.discarding()))
				.map(HttpResponse::statusCode)
				.onErrorReturn(-1);
	}
}
