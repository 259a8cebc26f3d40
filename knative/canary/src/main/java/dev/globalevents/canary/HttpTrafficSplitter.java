package dev.globalevents.canary;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;

/**
 * Splits traffic by sending the same JSON merge patch {@link KubectlTrafficSplitter} gives kubectl, as an HTTP
 * {@code PATCH} of the Service's resource: the local stack's {@code /api/services/<region>/<service>}
 * (local/README.md), which honours {@code spec.traffic} as Knative does. Anything but a 2xx is an error with the
 * answer's problem.
 */
public final class HttpTrafficSplitter implements TrafficSplitter {

	private final URI service;
	private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	public HttpTrafficSplitter(URI service) {
		this.service = service;
	}

	@Override
	public void route(List<TrafficTarget> traffic) throws IOException {
		HttpRequest patch = HttpRequest.newBuilder(service).timeout(Duration.ofSeconds(30)).header("Content-Type", "application/merge-patch+json")
				.method("PATCH", HttpRequest.BodyPublishers.ofString(KubectlTrafficSplitter.patch(traffic))).build();
		try {
			HttpResponse<String> answer = http.send(patch, HttpResponse.BodyHandlers.ofString());
			if (answer.statusCode() / 100 != 2) {
				throw new IOException("PATCH " + service + " answered " + answer.statusCode() + ": " + answer.body());
			}
		}
		catch (InterruptedException e) {
			Thread.currentThread().interrupt();
			throw new IOException("interrupted: PATCH " + service, e);
		}
	}
}
