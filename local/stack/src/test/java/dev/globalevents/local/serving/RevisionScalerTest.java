package dev.globalevents.local.serving;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The autoscaler and activator of one revision, on a clock the test moves: scale to zero and back with every waiting
 * request served, scale out to max-scale and back to min-scale, a failed start. Instances here are addresses whose
 * start the test can hold; the router's test and ScalingIT run real processes behind it.
 */
class RevisionScalerTest {

	final AtomicLong clock = new AtomicLong();
	final List<TestInstance> made = new ArrayList<>();
	final AtomicInteger changes = new AtomicInteger();

	@Test
	void scaledToZeroAfterItsWindowAndStartedAgainForTheRequestsThatWaitedMeanwhile() throws Exception {
		TestInstance first = instance(1);
		RevisionScaler scaler = scaler(new Scaling(0, 3, 10, Duration.ofSeconds(6), Duration.ZERO), first);
		scaler.tick();
		assertThat(replicas(scaler)).isEqualTo(1L); // not idle for the window yet

		clock.addAndGet(Duration.ofSeconds(7).toNanos());
		scaler.tick();
		await().atMost(Duration.ofSeconds(5)).until(() -> replicas(scaler) == 0L);
		assertThat(first.stops.get()).isEqualTo(1);

		first.hold = new CountDownLatch(1);
		List<CompletableFuture<RevisionScaler.Lease>> waiting = new ArrayList<>();
		for (int i = 0; i < 5; i++) {
			waiting.add(CompletableFuture.supplyAsync(() -> acquire(scaler)));
		}
		await().atMost(Duration.ofSeconds(5)).until(() -> first.starts.get() == 1);
		assertThat(waiting).noneMatch(CompletableFuture::isDone); // held while the instance starts, not refused
		first.hold.countDown();
		for (CompletableFuture<RevisionScaler.Lease> lease : waiting) {
			assertThat(lease.get().url()).isEqualTo(first.url());
			scaler.release(lease.get());
		}
		assertThat(replicas(scaler)).isEqualTo(1L);
		assertThat(first.starts.get()).as("one start for all of them").isEqualTo(1);
		assertThat((List<?>) scaler.describe().get("coldStarts")).hasSize(1);
	}

	@Test
	void requestsInFlightAboveTheTargetStartMoreInstancesUpToMaxScaleAndIdleOnesStopAfterTheWindow() throws Exception {
		TestInstance first = instance(1);
		RevisionScaler scaler = scaler(new Scaling(1, 3, 2, Duration.ofSeconds(10), Duration.ZERO), first);
		List<RevisionScaler.Lease> leases = new ArrayList<>();
		for (int i = 0; i < 8; i++) { // 8 in flight at 2 each: 4 wanted, max-scale 3
			leases.add(scaler.acquire(Duration.ofSeconds(5)));
		}
		await().atMost(Duration.ofSeconds(5)).until(() -> replicas(scaler) == 2L); // one start at a time while one serves
		leases.add(scaler.acquire(Duration.ofSeconds(5)));
		await().atMost(Duration.ofSeconds(5)).until(() -> replicas(scaler) == 3L);
		leases.add(scaler.acquire(Duration.ofSeconds(5)));
		assertThat(made).as("no more than max-scale").hasSize(3);
		RevisionScaler.Lease next = scaler.acquire(Duration.ofSeconds(5));
		assertThat(next.url()).as("to the least busy instance").isNotEqualTo(first.url());
		leases.add(next);

		RevisionScaler.Lease stillBusy = leases.removeLast();
		leases.forEach(scaler::release);
		scaler.tick(); // the peak (11 in flight) is in the stable window: all three stay
		assertThat(replicas(scaler)).isEqualTo(3L);
		clock.addAndGet(Duration.ofSeconds(11).toNanos());
		scaler.tick(); // the window's peak is now 1: min-scale, but the instance with a request in flight is kept
		await().atMost(Duration.ofSeconds(5)).until(() -> replicas(scaler) == 1L);
		TestInstance busy = made.stream().filter(i -> i.url().equals(stillBusy.url())).findFirst().orElseThrow();
		assertThat(busy.stops.get()).as("an instance with a request in flight is not stopped").isZero();
		scaler.release(stillBusy);
		clock.addAndGet(Duration.ofSeconds(11).toNanos());
		scaler.tick();
		assertThat(replicas(scaler)).as("min-scale 1").isEqualTo(1L);
		assertThat(scaler.acquire(Duration.ofSeconds(5)).url()).isEqualTo(busy.url());
		assertThat(changes.get()).isGreaterThanOrEqualTo(4);
	}

	@Test
	void requestsSpreadRoundRobinOverInstancesEquallyBusy() throws Exception {
		RevisionScaler scaler = scaler(new Scaling(1, 3, 1, Duration.ofSeconds(10), Duration.ZERO), instance(1));
		List<RevisionScaler.Lease> leases = new ArrayList<>();
		for (int i = 0; i < 3; i++) { // 3 in flight at 1 each: three instances, started one after the other
			leases.add(scaler.acquire(Duration.ofSeconds(5)));
			int wanted = i + 1;
			await().atMost(Duration.ofSeconds(5)).until(() -> replicas(scaler) >= wanted);
		}
		await().atMost(Duration.ofSeconds(5)).until(() -> replicas(scaler) == 3L);
		leases.forEach(scaler::release);

		Map<URI, Integer> served = new java.util.HashMap<>();
		for (int i = 0; i < 9; i++) { // one at a time: every instance is idle each time
			RevisionScaler.Lease lease = scaler.acquire(Duration.ofSeconds(5));
			served.merge(lease.url(), 1, Integer::sum);
			scaler.release(lease);
		}
		assertThat(served).as("each instance in turn").hasSize(3).allSatisfy((url, count) -> assertThat(count).isEqualTo(3));
		List<?> coldStarts = (List<?>) scaler.describe().get("coldStarts");
		assertThat(coldStarts).as("instances 2 and 3 started").hasSize(2);
		assertThat(coldStarts.stream().map(c -> (Object) ((Map<?, ?>) c).get("instance")).toList()).containsExactly(2, 3);
	}

	@Test
	void aRequestThatComesWhileTheOnlyInstanceStopsIsServedByItStartedAgainOnceStopped() throws Exception {
		TestInstance first = instance(1);
		RevisionScaler scaler = scaler(new Scaling(0, 1, 10, Duration.ofSeconds(6), Duration.ZERO), first);
		first.holdStop = new CountDownLatch(1);
		clock.addAndGet(Duration.ofSeconds(7).toNanos());
		scaler.tick();
		await().atMost(Duration.ofSeconds(5)).until(() -> first.stops.get() == 1); // out of rotation, stopping

		CompletableFuture<RevisionScaler.Lease> waiting = CompletableFuture.supplyAsync(() -> acquire(scaler));
		await().atMost(Duration.ofSeconds(5)).until(() -> scaler.describe().get("inFlight").equals(1)); // it waits
		assertThat(first.starts.get()).as("max-scale 1: no other instance, and this one is not stopped yet").isZero();
		first.holdStop.countDown();
		RevisionScaler.Lease lease = waiting.get(5, java.util.concurrent.TimeUnit.SECONDS); // not the activator's 10 s timeout
		assertThat(lease.url()).isEqualTo(first.url());
		assertThat(first.starts.get()).isEqualTo(1);
		assertThat(made).hasSize(1);
	}

	@Test
	void anInstanceThatCannotStartLeavesTheRequestWaitingUntilItsTimeoutWithTheReason() {
		TestInstance first = instance(1);
		RevisionScaler scaler = scaler(new Scaling(0, 1, 10, Duration.ofSeconds(1), Duration.ZERO), first);
		clock.addAndGet(Duration.ofSeconds(2).toNanos());
		scaler.tick();
		await().atMost(Duration.ofSeconds(5)).until(() -> replicas(scaler) == 0L);
		first.failure = "exited with 1";
		assertThatThrownBy(() -> scaler.acquire(Duration.ofMillis(800))).isInstanceOf(TimeoutException.class)
				.hasMessageContaining("exited with 1");
		assertThat(scaler.describe().get("inFlight")).isEqualTo(0);
	}

	private RevisionScaler scaler(Scaling scaling, TestInstance first) {
		return new RevisionScaler("test-00001", scaling, first, this::instance, changes::incrementAndGet, clock::get);
	}

	private TestInstance instance(int n) {
		TestInstance instance = new TestInstance(URI.create("http://127.0.0.1:" + (20000 + n) + "/"));
		made.add(instance);
		return instance;
	}

	private static RevisionScaler.Lease acquire(RevisionScaler scaler) {
		try {
			return scaler.acquire(Duration.ofSeconds(10));
		}
		catch (Exception e) {
			throw new IllegalStateException(e);
		}
	}

	private static long replicas(RevisionScaler scaler) {
		return (Long) ((Map<String, Object>) scaler.describe()).get("actualReplicas");
	}

	/** An instance whose start the test can hold ({@code hold}) or fail ({@code failure}). */
	static final class TestInstance implements RevisionScaler.Instance {
		final URI url;
		final AtomicInteger starts = new AtomicInteger();
		final AtomicInteger stops = new AtomicInteger();
		volatile CountDownLatch hold;
		volatile CountDownLatch holdStop;
		volatile String failure;

		TestInstance(URI url) {
			this.url = url;
		}

		@Override
		public URI url() {
			return url;
		}

		@Override
		public void start() throws Exception {
			starts.incrementAndGet();
			if (failure != null) {
				throw new IllegalStateException(failure);
			}
			if (hold != null) {
				hold.await();
			}
		}

		@Override
		public void stop() {
			stops.incrementAndGet();
			if (holdStop != null) {
				try {
					holdStop.await();
				}
				catch (InterruptedException e) {
					Thread.currentThread().interrupt();
				}
			}
		}
	}
}
