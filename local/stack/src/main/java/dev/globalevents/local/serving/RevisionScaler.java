package dev.globalevents.local.serving;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import java.util.function.IntFunction;
import java.util.function.LongSupplier;

/**
 * The local counterpart of Knative's autoscaler and activator for one revision: its instances (processes), as many as
 * the requests in flight need ({@link Scaling}), between min-scale and max-scale. A request that finds no ready
 * instance waits for one to start (the activator's buffering: nothing is refused while a revision scales from zero);
 * a request goes to the ready instance with the fewest in flight. Once the peak in flight over the stable window needs
 * fewer instances, idle ones are stopped, the last only after the window and the retention period with nothing in
 * flight (scale to zero, when min-scale is 0). An instance is taken out of rotation before it is stopped, so a
 * request is never sent to one that is going away.
 */
public final class RevisionScaler {

	/** One instance of the revision: a process with an address. */
	public interface Instance {

		URI url();

		/** Starts it (again) and returns once it is ready; throws when it does not become ready. */
		void start() throws Exception;

		/** Stops it gracefully. */
		void stop();
	}

	private enum State { STARTING, READY, STOPPING, STOPPED }

	private static final class Slot {
		final Instance instance;
		State state;
		int inFlight;

		Slot(Instance instance, State state) {
			this.instance = instance;
			this.state = state;
		}
	}

	/** An instance's start up to its first readiness: when it ended, which instance (1, 2, …), how long it took. */
	public record ColdStart(java.time.Instant at, int instance, long ms) {
	}

	/** A request's hold on an instance, given back by {@link #release(Lease)}. */
	public static final class Lease {
		private final Slot slot;

		private Lease(Slot slot) {
			this.slot = slot;
		}

		/** Where the request goes. */
		public URI url() {
			return slot.instance.url();
		}
	}

	private final String name;
	private final Scaling scaling;
	private final IntFunction<Instance> more;
	private final Runnable changed;
	private final LongSupplier nanos;
	private final List<Slot> slots = new ArrayList<>();
	private final Deque<long[]> peaks = new ArrayDeque<>(); // {time, peak in flight since the previous tick}
	private final Deque<ColdStart> coldStarts = new ArrayDeque<>();
	private int next; // where the next search for the least busy instance begins: ties go round-robin
	private int inFlight;
	private int peak;
	private long lastActive;
	private String lastFailure;
	private boolean closed;

	/**
	 * @param first   the instance the stack started (running and ready)
	 * @param more    makes the n-th instance (n from 2) when the load needs one more than ever ran
	 * @param changed told after an instance started or stopped (the stack rewrites its targets and description)
	 */
	public RevisionScaler(String name, Scaling scaling, Instance first, IntFunction<Instance> more, Runnable changed, LongSupplier nanos) {
		this.name = name;
		this.scaling = scaling;
		this.more = more;
		this.changed = changed;
		this.nanos = nanos;
		this.slots.add(new Slot(first, State.READY));
		this.lastActive = nanos.getAsLong();
	}

	/** An instance for one request: a ready one, or the first to become ready when none is (waiting up to {@code timeout}). */
	public synchronized Lease acquire(Duration timeout) throws InterruptedException, TimeoutException {
		inFlight++;
		peak = Math.max(peak, inFlight);
		lastActive = nanos.getAsLong();
		long deadline = System.nanoTime() + timeout.toNanos();
		try {
			if (closed) {
				throw new TimeoutException(name + " is stopping");
			}
			scaleUp(Math.max(1, scaling.wanted(inFlight)));
			Slot chosen;
			while ((chosen = leastBusy()) == null) {
				long left = deadline - System.nanoTime();
				if (left <= 0 || closed) {
					throw new TimeoutException("no instance of " + name + " became ready in " + timeout.toSeconds() + " s"
							+ (lastFailure == null ? "" : " (last start failed: " + lastFailure + ")"));
				}
				scaleUp(1); // a start that failed is tried again while requests wait
				wait(Math.max(1, left / 1_000_000));
			}
			chosen.inFlight++;
			return new Lease(chosen);
		}
		catch (InterruptedException | TimeoutException | RuntimeException e) {
			inFlight--;
			throw e;
		}
	}

	public synchronized void release(Lease lease) {
		lease.slot.inFlight--;
		inFlight--;
		lastActive = nanos.getAsLong();
	}

	/** Called about once a second: scales down to what the peak in flight over the stable window needs. */
	public void tick() {
		List<Slot> stopping = new ArrayList<>();
		synchronized (this) {
			long now = nanos.getAsLong();
			peaks.addLast(new long[] { now, peak });
			peak = inFlight;
			while (!peaks.isEmpty() && now - peaks.peekFirst()[0] > scaling.window().toNanos()) {
				peaks.removeFirst();
			}
			int windowPeak = peaks.stream().mapToInt(p -> (int) p[1]).max().orElse(0);
			boolean idle = inFlight == 0 && now - lastActive >= scaling.window().plus(scaling.retention()).toNanos();
			int keep = Math.max(scaling.wanted(windowPeak), idle ? 0 : 1);
			if (slots.stream().anyMatch(s -> s.state == State.STARTING)) {
				return; // not while it scales up: the instances that serve now are what the load has until then
			}
			int active = (int) slots.stream().filter(s -> s.state == State.READY || s.state == State.STARTING).count();
			for (int i = slots.size() - 1; i >= 0 && active > keep; i--) {
				Slot slot = slots.get(i);
				if (slot.state == State.READY && slot.inFlight == 0) {
					slot.state = State.STOPPING; // out of rotation first
					stopping.add(slot);
					active--;
				}
			}
		}
		for (Slot slot : stopping) {
			Thread.ofVirtual().name("stop-" + name).start(() -> {
				slot.instance.stop();
				synchronized (this) {
					slot.state = State.STOPPED;
					notifyAll(); // a request that came while it stopped, with no room for another instance, starts it again
				}
				changed.run();
			});
		}
	}

	/** The ready instance with the fewest requests in flight; among equals, each in turn (round-robin). */
	private Slot leastBusy() {
		Slot best = null;
		int size = slots.size();
		int from = next++ % size;
		for (int i = 0; i < size; i++) {
			Slot slot = slots.get((from + i) % size);
			if (slot.state == State.READY && (best == null || slot.inFlight < best.inFlight)) {
				best = slot;
			}
		}
		return best;
	}

	/**
	 * Starts an instance when fewer than {@code wanted} are ready or starting, a stopped one first, else a new one up to
	 * max-scale; one at a time (a JVM starting takes CPU from those serving and from another starting: several at once
	 * would each take longer, and the requests in flight would rise further). The next starts once it is ready, if the
	 * load still wants it.
	 */
	private void scaleUp(int wanted) {
		int active = (int) slots.stream().filter(s -> s.state == State.READY || s.state == State.STARTING).count();
		boolean starting = slots.stream().anyMatch(s -> s.state == State.STARTING);
		if (active < wanted && !closed && !starting) {
			Slot slot = slots.stream().filter(s -> s.state == State.STOPPED).findFirst().orElse(null);
			if (slot == null) {
				if (scaling.maxScale() > 0 && slots.size() >= scaling.maxScale()) {
					return;
				}
				slot = new Slot(more.apply(slots.size() + 1), State.STOPPED);
				slots.add(slot);
			}
			slot.state = State.STARTING;
			Slot next = slot;
			Thread.ofVirtual().name("start-" + name).start(() -> start(next));
		}
	}

	private void start(Slot slot) {
		long began = nanos.getAsLong();
		try {
			slot.instance.start();
			synchronized (this) {
				slot.state = State.READY;
				coldStarts.addLast(new ColdStart(java.time.Instant.now(), slots.indexOf(slot) + 1, (nanos.getAsLong() - began) / 1_000_000));
				while (coldStarts.size() > 20) {
					coldStarts.removeFirst();
				}
				notifyAll();
			}
		}
		catch (Exception e) {
			slot.instance.stop();
			synchronized (this) {
				slot.state = State.STOPPED;
				lastFailure = String.valueOf(e.getMessage());
				notifyAll();
			}
		}
		changed.run();
	}

	/** No instance is started from now on (the stack is stopping); requests waiting for one are answered. */
	public synchronized void close() {
		closed = true;
		notifyAll();
	}

	/** Whether this instance is in rotation or about to be (a stopped one is not scraped, as a pod that is gone). */
	public synchronized boolean running(Instance instance) {
		return slots.stream().anyMatch(s -> s.instance == instance && (s.state == State.READY || s.state == State.STARTING));
	}

	/** The revision's scale now: instances ready and wanted (started or starting), requests in flight, its cold starts. */
	public record Status(long actualReplicas, long desiredReplicas, int inFlight, List<ColdStart> coldStarts, Scaling scaling) {
	}

	public synchronized Status status() {
		return new Status(slots.stream().filter(s -> s.state == State.READY).count(),
				slots.stream().filter(s -> s.state == State.READY || s.state == State.STARTING).count(), inFlight, List.copyOf(coldStarts), scaling);
	}

	/** Like a Revision's status ({@code actualReplicas}, {@code desiredReplicas}), with its instances and cold starts. */
	public synchronized Map<String, Object> describe() {
		List<Map<String, Object>> instances = new ArrayList<>();
		for (Slot slot : slots) {
			instances.add(Map.of("url", slot.instance.url().toString(), "state", slot.state.name().toLowerCase(), "inFlight", slot.inFlight));
		}
		Status now = status();
		Map<String, Object> status = new LinkedHashMap<>();
		status.put("actualReplicas", now.actualReplicas());
		status.put("desiredReplicas", now.desiredReplicas());
		status.put("inFlight", now.inFlight());
		status.put("coldStarts", now.coldStarts().stream().map(c -> Map.of("at", c.at().toString(), "instance", c.instance(), "ms", c.ms())).toList());
		status.put("instances", instances);
		status.put("scaling", scaling.describe());
		return status;
	}
}
