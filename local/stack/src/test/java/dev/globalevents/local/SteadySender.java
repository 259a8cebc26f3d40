package dev.globalevents.local;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An outside producer sending valid events through the gateway at a steady rate, as a well-behaved client does:
 * at most 64 requests at a time (its connection pool), and an event without a 2xx (the gateway's 503 when no region
 * took it, its 502 when a region may hold it, a timeout) is sent again with the same id, backing off from 250 ms to
 * 2 s, until it gets one (for at most ten minutes: an event a region may hold waits for that region to return).
 * Counts what it sent, what was accepted and every refused attempt, and which events a region held.
 */
final class SteadySender implements AutoCloseable {

	static final int CONNECTIONS = 64;

	private final PackagedStack stack;
	private final String region;
	private final String key;
	private final Map<String, AtomicLong> servedBy = new ConcurrentHashMap<>();
	private final ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor();
	private final ExecutorService senders = Executors.newVirtualThreadPerTaskExecutor();
	/** Its own connections: the stack's other clients never get one of these after the gateway closed it. */
	private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
	private final Set<String> accepted = ConcurrentHashMap.newKeySet();
	private final Map<Integer, AtomicLong> refusedAttempts = new ConcurrentHashMap<>();
	/** Each refused event's last refusal. */
	private final Map<String, Instant> lastRefusalOf = new ConcurrentHashMap<>();
	/** Events the gateway answered 502: a region got them and may hold them, so only that region may take them. */
	private final Set<String> held = ConcurrentHashMap.newKeySet();
	private final AtomicLong sent = new AtomicLong();
	private final AtomicLong inFlight = new AtomicLong();
	private volatile boolean paused;
	private final Semaphore connections = new Semaphore(CONNECTIONS);

	/** To the test region, with a load key pinned to it: no failover hides that region's faults. */
	SteadySender(PackagedStack stack, int perSecond) {
		this(stack, perSecond, PackagedStack.REGION, stack.pinnedLoadKey(PackagedStack.REGION));
	}

	/** To {@code region} first ({@code x-region}), with {@code key}: a key for every region lets the gateway fail over. */
	SteadySender(PackagedStack stack, int perSecond, String region, String key) {
		this.stack = stack;
		this.region = region;
		this.key = key;
		ticker.scheduleAtFixedRate(() -> {
			if (!paused) {
				senders.execute(this::sendOne);
			}
		}, 0, 1_000_000 / perSecond, TimeUnit.MICROSECONDS);
		ticker.scheduleAtFixedRate(() -> System.out.printf("[sender] %s sent %d, accepted %d, requests in flight %d, refused attempts %s%n",
				Instant.now(), sent.get(), accepted.size(), inFlight.get(), refusedAttempts()), 1, 1, TimeUnit.SECONDS);
	}

	private void sendOne() {
		String id = UUID.randomUUID().toString();
		sent.incrementAndGet();
		String time = Instant.now().toString();
		long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(10);
		try {
			for (int tries = 0; System.nanoTime() < deadline; tries++) {
				Attempt attempt = postOnAConnection(id, time);
				int status = attempt.status();
				if (status / 100 == 2) {
					accepted.add(id);
					return;
				}
				refusedAttempts.computeIfAbsent(status, s -> new AtomicLong()).incrementAndGet();
				lastRefusalOf.put(id, attempt.sentAt());
				if (status == 502) {
					held.add(id);
				}
				Thread.sleep(Math.min(2000, 250L << Math.min(tries, 3))); // the client's back-off before sending the same event again
			}
		}
		catch (InterruptedException e) {
			Thread.currentThread().interrupt();
		}
	}

	/** A client keeps a bounded pool of connections: at most {@value #CONNECTIONS} requests at a time. */
	private Attempt postOnAConnection(String id, String time) throws InterruptedException {
		connections.acquire();
		inFlight.incrementAndGet();
		try {
			Instant sentAt = Instant.now();
			return new Attempt(post(id, time), sentAt);
		}
		finally {
			inFlight.decrementAndGet();
			connections.release();
		}
	}

	private int post(String id, String time) {
		HttpRequest request = HttpRequest.newBuilder(stack.gateway().resolve(URI.create("/v1/events"))).timeout(Duration.ofSeconds(20))
				.header("Authorization", "Bearer " + key).header("x-region", region)
				.header("Content-Type", "application/json").header("Ce-Specversion", "1.0").header("Ce-Id", id)
				.header("Ce-Source", "/regions/" + region + "/instances/durability").header("Ce-Type", "order.created")
				.header("Ce-Time", time).POST(HttpRequest.BodyPublishers.ofString(Client.ORDER)).build();
		try {
			HttpResponse<Void> response = http.send(request, HttpResponse.BodyHandlers.discarding());
			if (response.statusCode() / 100 == 2) {
				servedBy.computeIfAbsent(response.headers().firstValue("x-region").orElse("?"), r -> new AtomicLong()).incrementAndGet();
			}
			return response.statusCode();
		}
		catch (java.io.IOException e) {
			return -1;
		}
		catch (InterruptedException e) {
			Thread.currentThread().interrupt();
			return -2;
		}
	}

	/** Sends no new events until {@link #resume()}; the events already sent are still sent again until taken. */
	void pause() {
		paused = true;
	}

	void resume() {
		paused = false;
	}

	long sent() {
		return sent.get();
	}

	long acceptedCount() {
		return accepted.size();
	}

	/**
	 * When the last refused attempt of an event no region held was sent (null: never): after it, every request the
	 * gateway could serve was served. By send time, so a request sent before a failure and answered after it (a
	 * timeout on an overloaded machine) is not taken for one the gateway failed to serve after the failure.
	 */
	Instant lastRefusedNotHeld() {
		return lastRefusalOf.entrySet().stream().filter(e -> !held.contains(e.getKey())).map(Map.Entry::getValue)
				.max(Instant::compareTo).orElse(null);
	}

	/** Events a region may have held (the gateway's 502): they wait for that region, by design. */
	Set<String> held() {
		return Set.copyOf(held);
	}

	/** Accepted requests by the region that took them (the gateway's {@code x-region} answer). */
	Map<String, Long> servedBy() {
		Map<String, Long> copy = new java.util.TreeMap<>();
		servedBy.forEach((r, n) -> copy.put(r, n.get()));
		return copy;
	}

	/** Refused attempts by status (-1: no answer), each sent again. */
	Map<Integer, Long> refusedAttempts() {
		Map<Integer, Long> copy = new java.util.TreeMap<>();
		refusedAttempts.forEach((status, n) -> copy.put(status, n.get()));
		return copy;
	}

	/** Stops sending new events and waits until every event sent got its 2xx (or gave up); answers the accepted ids. */
	Set<String> finish() throws InterruptedException {
		ticker.shutdown();
		ticker.awaitTermination(5, TimeUnit.SECONDS);
		senders.shutdown();
		if (!senders.awaitTermination(11, TimeUnit.MINUTES)) {
			throw new IllegalStateException("sends still running after 11 minutes");
		}
		return Set.copyOf(accepted);
	}

	@Override
	public void close() {
		ticker.shutdownNow();
		senders.shutdownNow();
		http.close();
	}

	/** One request of an event: the gateway's status (-1: no answer) and when it went out on a connection. */
	private record Attempt(int status, Instant sentAt) {
	}
}
