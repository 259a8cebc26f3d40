package dev.globalevents.local.serving;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
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

import com.sun.net.httpserver.HttpServer;
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
	final List<WorkingServer> instances = new CopyOnWriteArrayList<>();
	/** Each request's id as the instance that answered it recorded it. */
	final Queue<String> answered = new ConcurrentLinkedQueue<>();
	final ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor();
	RevisionRouter router;

	@AfterEach
	void stop() {
		ticker.shutdownNow();
		router.close();
		instances.forEach(WorkingServer::stop);
	}

	@Test
	void loadAboveTheTargetScalesOutToMaxScaleAndBackWhileEveryRequestIsAnsweredOnce() throws Exception {
		WorkingServer first = instance(1);
		first.start();
		RevisionScaler scaler = new RevisionScaler("validate-00001", new Scaling(1, 3, 2, Duration.ofSeconds(1), Duration.ZERO), first,
				this::instance, () -> {
				}, System::nanoTime);
		service.add(new ServiceRevisions.Revision("validate-00001", first.url(), scaler));
		router = new RevisionRouter(service, freePort());
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

	private WorkingServer instance(int n) {
		try {
			WorkingServer instance = new WorkingServer(freePort(), answered);
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

	private static int freePort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			return socket.getLocalPort();
		}
	}

	/** A loopback server that takes 300 ms to start, 200 ms per request (recording its id) and 300 ms to stop, gracefully. */
	static final class WorkingServer implements RevisionScaler.Instance {
		final int port;
		final Queue<String> answered;
		volatile HttpServer server;
		final java.util.concurrent.atomic.AtomicInteger served = new java.util.concurrent.atomic.AtomicInteger();
		volatile int stops;

		WorkingServer(int port, Queue<String> answered) {
			this.port = port;
			this.answered = answered;
		}

		@Override
		public URI url() {
			return URI.create("http://127.0.0.1:" + port + "/");
		}

		@Override
		public synchronized void start() throws Exception {
			Thread.sleep(300); // a process starting
			HttpServer started = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 64);
			started.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
			started.createContext("/", exchange -> {
				exchange.getRequestBody().readAllBytes();
				try {
					Thread.sleep(200); // the work
				}
				catch (InterruptedException e) {
					Thread.currentThread().interrupt();
				}
				answered.add(exchange.getRequestHeaders().getFirst("ce-id"));
				served.incrementAndGet();
				byte[] body = "ok".getBytes(StandardCharsets.UTF_8);
				exchange.sendResponseHeaders(200, body.length);
				exchange.getResponseBody().write(body);
				exchange.close();
			});
			started.start();
			server = started;
		}

		@Override
		public synchronized void stop() {
			if (server != null) {
				stops++;
				server.stop(1); // no new connections, then up to 1 s for the exchanges in progress, as a graceful shutdown
				server = null;
				try {
					Thread.sleep(300); // the rest of a process' shutdown
				}
				catch (InterruptedException e) {
					Thread.currentThread().interrupt();
				}
			}
		}
	}
}
