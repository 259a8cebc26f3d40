package dev.globalevents.local.serving;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The route and a revision's autoscaler together, over real loopback servers that take 200 ms per request (a function
 * under load) and 300 ms to start (a process): requests in flight above the target start more instances, one at a
 * time, up to max-scale, and the requests spread over them; once the load falls, the extra instances are stopped after
 * the stable window while requests keep coming, and every request is answered, once, by one instance.
 */
class AutoscalingTest {

	static final HttpClient HTTP = HttpClient.newHttpClient();

	final ServiceRevisions service = new ServiceRevisions("validate");
	final List<LoopbackInstance> instances = new CopyOnWriteArrayList<>();
	/** Each request's id as the instance that answered it recorded it. */
	final Queue<String> answered = new ConcurrentLinkedQueue<>();
	final ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor();
	RevisionRouter router;

	@AfterEach
	void stop() {
		ticker.shutdownNow();
		router.close();
		instances.forEach(LoopbackInstance::stop);
	}

	@Test
	void loadAboveTheTargetScalesOutToMaxScaleAndBackWhileEveryRequestIsAnsweredOnce() throws Exception {
		LoopbackInstance first = instance(1);
		first.start();
		RevisionScaler scaler = new RevisionScaler("validate-00001", new Scaling(1, 3, 2, Duration.ofSeconds(1), Duration.ZERO), first,
				this::instance, () -> {
				}, System::nanoTime);
		service.add(new ServiceRevisions.Revision("validate-00001", first.url(), scaler));
		router = new RevisionRouter(service, LoopbackInstance.freePort());
		ticker.scheduleAtFixedRate(scaler::tick, 100, 100, TimeUnit.MILLISECONDS); // the stack ticks every second

		List<String> sent = new CopyOnWriteArrayList<>();
		List<Integer> statuses = new CopyOnWriteArrayList<>();
		AtomicBoolean load = new AtomicBoolean(true);
		try (ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
			List<Future<?>> running = new ArrayList<>();
			for (int c = 0; c < 12; c++) { // 12 in flight at 2 per instance: 6 wanted, max-scale 3
				running.add(clients.submit(() -> send(load::get, sent, statuses)));
			}
			await().atMost(Duration.ofSeconds(20)).until(() -> replicas(scaler) == 3);
			assertThat(instances).as("no more than max-scale").hasSize(3);
			await().atMost(Duration.ofSeconds(10)).until(() -> instances.stream().allMatch(i -> i.served.get() > 0)); // the load spreads
			load.set(false);
			for (Future<?> client : running) {
				client.get();
			}
		}
		int underLoad = sent.size();

		// the load falls to one request at a time: the two extra instances stop after the window, the requests go on
		AtomicBoolean trickle = new AtomicBoolean(true);
		try (ExecutorService client = Executors.newVirtualThreadPerTaskExecutor()) {
			Future<?> one = client.submit(() -> send(trickle::get, sent, statuses));
			await().atMost(Duration.ofSeconds(20)).until(() -> replicas(scaler) == 1 && instances.stream().filter(i -> i.stops > 0).count() == 2);
			int before = sent.size();
			await().atMost(Duration.ofSeconds(20)).until(() -> sent.size() >= before + 5); // requests after the scale-down too
			trickle.set(false);
			one.get();
		}
		assertThat(sent.size()).isGreaterThan(underLoad);
		assertThat(statuses).as("none refused").containsOnly(200);
		assertThat(answered).as("every request answered once, by one instance").containsExactlyInAnyOrderElementsOf(sent);
		assertThat(replicas(scaler)).isEqualTo(1L);
	}

	/** Sends requests one after the other while {@code go} holds, each with an id of its own. */
	private Void send(java.util.function.BooleanSupplier go, List<String> sent, List<Integer> statuses) throws Exception {
		while (go.getAsBoolean()) {
			String id = UUID.randomUUID().toString();
			HttpResponse<String> answer = HTTP.send(HttpRequest.newBuilder(router.url()).timeout(Duration.ofSeconds(30)).header("ce-id", id)
					.POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
			sent.add(id);
			statuses.add(answer.statusCode());
		}
		return null;
	}

	private LoopbackInstance instance(int n) {
		try {
			LoopbackInstance instance = new LoopbackInstance("validate-00001", Duration.ofMillis(300), Duration.ofMillis(200), Duration.ofMillis(300), answered);
			instances.add(instance);
			return instance;
		}
		catch (IOException e) {
			throw new java.io.UncheckedIOException(e);
		}
	}

	private static long replicas(RevisionScaler scaler) {
		return (Long) ((Map<String, Object>) scaler.describe()).get("actualReplicas");
	}
}
