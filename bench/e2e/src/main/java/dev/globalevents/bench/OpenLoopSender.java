package dev.globalevents.bench;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

import dev.globalevents.local.http.Http1Client;

/**
 * Sends valid {@code order.created} events at a fixed rate for a fixed time, open loop: event n is due at
 * start + n / rate whatever happened to the ones before, its CloudEvents {@code time} is that due time, and its
 * latencies are measured from it (a slow answer delays nothing and hides nothing: the event waits in the queue and
 * that wait counts). Through the gateway (the load key, {@code x-region}) or straight to each region's broker; regions
 * take turns. {@value #CONNECTIONS} workers per target, each a virtual thread on a pooled keep-alive
 * HTTP/1.1 connection.
 */
final class OpenLoopSender {

	static final int CONNECTIONS = 128;
	private static final byte[] ORDER = "{\"order_id\":\"o-1\",\"customer_id\":\"c-1\",\"amount\":12.5,\"currency\":\"EUR\",\"items\":1}"
			.getBytes(StandardCharsets.UTF_8);
	private static final Duration TIMEOUT = Duration.ofSeconds(30);
	private static final int ANSWER_WAIT_SECONDS = 60;

	/** One event: its id and region, when it was due (epoch ms), its answer (-1: none) and the answer's latency from due. */
	record Sent(String id, String region, long dueMillis, int status, long ackNanos) {

		boolean accepted() {
			return status / 100 == 2;
		}
	}

	private record Due(int index, Stack.Region region, long dueNanos, long dueMillis) {
	}

	private final Stack stack;
	private final AtomicInteger failures = new AtomicInteger();
	/** Keep-alive connections, one per worker in use; a connection the server closed while idle is replaced. */
	private final Http1Client http = new Http1Client();

	OpenLoopSender(Stack stack) {
		this.stack = stack;
	}

	List<Sent> run(double rate, Duration duration, boolean viaGateway) throws InterruptedException {
		List<Stack.Region> regions = stack.regions();
		int n = (int) Math.round(rate * duration.toMillis() / 1000.0);
		Sent[] results = new Sent[n];
		Map<URI, BlockingQueue<Due>> queues = new LinkedHashMap<>();
		regions.forEach(region -> queues.computeIfAbsent(target(region, viaGateway), t -> new LinkedBlockingQueue<>()));
		CountDownLatch answered = new CountDownLatch(n);
		try (ExecutorService connections = Executors.newVirtualThreadPerTaskExecutor()) {
			queues.forEach((target, queue) -> {
				for (int c = 0; c < CONNECTIONS; c++) {
					connections.submit(() -> work(target, queue, viaGateway, results, answered));
				}
			});
			long start = System.nanoTime();
			long startMillis = System.currentTimeMillis();
			for (int i = 0; i < n; i++) {
				long due = start + (long) (i * 1e9 / rate);
				long wait = due - System.nanoTime();
				if (wait > 0) {
					LockSupport.parkNanos(wait);
				}
				Stack.Region region = regions.get(i % regions.size());
				queues.get(target(region, viaGateway)).add(new Due(i, region, due, startMillis + (due - start) / 1_000_000));
			}
			if (!answered.await(ANSWER_WAIT_SECONDS, TimeUnit.SECONDS)) {
				E2eBench.say("%d answers still missing %d s after the last send: given up (status -1)", answered.getCount(), ANSWER_WAIT_SECONDS);
			}
			connections.shutdownNow();
		}
		for (int i = 0; i < n; i++) {
			if (results[i] == null) { // never sent or never answered: not accepted
				results[i] = new Sent("unanswered-" + i, regions.get(i % regions.size()).name(), 0, -1, Long.MAX_VALUE);
			}
		}
		return Arrays.asList(results);
	}

	private void work(URI target, BlockingQueue<Due> queue, boolean viaGateway, Sent[] results, CountDownLatch answered) {
		try {
			while (true) {
				Due due = queue.take();
				String id = UUID.randomUUID().toString();
				int status;
				try {
					status = http.exchange(target, headers(due, id, viaGateway), ORDER, TIMEOUT).status();
				}
				catch (IOException e) {
					status = -1;
					if (failures.incrementAndGet() <= 3) { // what went wrong, not every time
						E2eBench.say("no answer from %s: %s", target, e);
					}
				}
				results[due.index()] = new Sent(id, due.region().name(), due.dueMillis(), status, System.nanoTime() - due.dueNanos());
				answered.countDown();
			}
		}
		catch (InterruptedException e) {
			Thread.currentThread().interrupt(); // the step is over
		}
	}

	private URI target(Stack.Region region, boolean viaGateway) {
		return viaGateway ? stack.gateway().resolve("/v1/events") : region.broker();
	}

	private Map<String, String> headers(Due due, String id, boolean viaGateway) {
		String region = due.region().name();
		Map<String, String> headers = new LinkedHashMap<>();
		headers.put("Content-Type", "application/json");
		headers.put("Ce-Specversion", "1.0");
		headers.put("Ce-Id", id);
		headers.put("Ce-Source", "/regions/" + region + "/instances/bench");
		headers.put("Ce-Type", "order.created");
		headers.put("Ce-Time", Instant.ofEpochMilli(due.dueMillis()).toString());
		if (viaGateway) {
			headers.put("Authorization", "Bearer " + stack.loadKey());
			headers.put("x-region", region);
		}
		return headers;
	}
}
