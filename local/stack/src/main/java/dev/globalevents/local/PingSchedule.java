package dev.globalevents.local;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import io.fabric8.knative.sources.v1.PingSource;

/**
 * Knative PingSources for the local stack: at each scheduled minute, a {@code dev.knative.sources.ping} CloudEvent
 * (binary mode, the source's data and content type) to the sink. Schedules of the forms {@code * * * * *} and
 * {@code *}{@code /N * * * *}, on minute boundaries, as the cluster fires them. Sources are armed by {@link #start()},
 * when the stack is ready: a tick before would only load the machine while the functions start.
 */
final class PingSchedule implements AutoCloseable {

	private static final System.Logger log = System.getLogger("pingsource");

	private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> Thread.ofPlatform().daemon().name("pingsource").unstarted(r));
	private final HttpClient http = HttpClient.newHttpClient();
	private final List<Runnable> unarmed = new ArrayList<>();

	void schedule(String namespace, PingSource ping, URI sink) {
		String schedule = ping.getSpec().getSchedule().trim();
		int minutes = schedule.equals("* * * * *") ? 1
				: schedule.matches("\\*/\\d+ \\* \\* \\* \\*") ? Integer.parseInt(schedule.substring(2, schedule.indexOf(' '))) : -1;
		if (minutes < 1) {
			throw new IllegalArgumentException("PingSource " + ping.getMetadata().getName() + ": schedule " + schedule + " is not supported locally");
		}
		String source = "/apis/v1/namespaces/" + namespace + "/pingsources/" + ping.getMetadata().getName();
		String contentType = ping.getSpec().getContentType() == null ? "application/json" : ping.getSpec().getContentType();
		String data = ping.getSpec().getData() == null ? "" : ping.getSpec().getData();
		// a steady generate tick is answered when its minute of events is sent: wait past the interval
		Duration timeout = Duration.ofMinutes(minutes).plusSeconds(30);
		unarmed.add(() -> timer.scheduleAtFixedRate(() -> {
			HttpRequest request = HttpRequest.newBuilder(sink).timeout(timeout)
					.header("Ce-Specversion", "1.0").header("Ce-Id", UUID.randomUUID().toString()).header("Ce-Source", source)
					.header("Ce-Type", "dev.knative.sources.ping").header("Content-Type", contentType)
					.POST(HttpRequest.BodyPublishers.ofString(data)).build();
			http.sendAsync(request, HttpResponse.BodyHandlers.discarding()).whenComplete((response, error) -> {
				if (error != null) {
					log.log(System.Logger.Level.WARNING, source + " tick to " + sink + " failed: " + error);
				}
				else if (response.statusCode() / 100 != 2) {
					log.log(System.Logger.Level.WARNING, source + " tick answered " + response.statusCode());
				}
			});
		}, untilNextMinute(), minutes * 60_000L, TimeUnit.MILLISECONDS));
	}

	/** Arms every source: its first tick at the next minute boundary. */
	void start() {
		unarmed.forEach(Runnable::run);
		unarmed.clear();
	}

	private static long untilNextMinute() {
		LocalDateTime now = LocalDateTime.now();
		return Duration.between(now, now.withSecond(0).withNano(0).plusMinutes(1)).toMillis();
	}

	@Override
	public void close() {
		timer.shutdownNow();
	}
}
