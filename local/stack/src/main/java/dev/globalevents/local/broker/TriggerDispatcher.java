package dev.globalevents.local.broker;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import io.cloudevents.CloudEvent;
import io.cloudevents.kafka.KafkaMessageFactory;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * One Trigger's consumer, as the Kafka broker's consumer verticle: its own consumer group
 * ({@code knative-trigger-<namespace>-<trigger>}), records handed to the {@link RecordDispatcher} without waiting —
 * concurrently ({@code unordered}) or one after the other per partition ({@code ordered}) — at most
 * {@value #MAX_IN_FLIGHT} in flight (the partitions pause above that), and offsets committed every
 * {@value #COMMIT_INTERVAL_MS} ms up to the first record not done ({@link OffsetTracker}), on revocation and on close.
 * A static group member: a restarted broker takes its partitions back at once instead of waiting out the session.
 */
final class TriggerDispatcher implements AutoCloseable {

	static final int MAX_IN_FLIGHT = 100;
	static final long COMMIT_INTERVAL_MS = 500;
	static final int FETCH_WAIT_MS = 5;
	/**
	 * How long an idle consumer (its last polls found nothing) waits between fetches. A fetch waits at most
	 * FETCH_WAIT_MS on Kafka, so without this an idle Trigger fetched 200 times a second: with three regions' Triggers
	 * Kafka and the brokers spent about two thirds of a core doing nothing. The first event after a pause waits up to
	 * this long; under load polls are never empty and nothing waits.
	 */
	static final long IDLE_PAUSE_MS = 50;
	static final int EMPTY_POLLS_BEFORE_IDLE = 3;
	private static final System.Logger log = System.getLogger("broker");

	private final BrokerContract contract;
	private final Route route;
	private final RecordDispatcher dispatcher;
	private final BrokerStats.Trigger stats;
	private final Map<TopicPartition, OffsetTracker> offsets = new ConcurrentHashMap<>();
	private final Map<TopicPartition, CompletableFuture<Void>> orderedTails = new HashMap<>();
	private final AtomicInteger inFlight = new AtomicInteger();
	private final AtomicLong lag = new AtomicLong();
	private final Thread thread;
	private volatile KafkaConsumer<String, byte[]> consumer;
	private volatile boolean running = true;
	private volatile boolean assigned;
	private volatile boolean paused;

	TriggerDispatcher(BrokerContract contract, Route route, RecordDispatcher dispatcher, BrokerStats.Trigger stats) {
		this.contract = contract;
		this.route = route;
		this.dispatcher = dispatcher;
		this.stats = stats;
		stats.inFlight = inFlight::get;
		stats.lag = lag::get;
		this.thread = Thread.ofPlatform().name("trigger-" + route.name()).start(this::run);
	}

	boolean assigned() {
		return assigned;
	}

	private void run() {
		String group = contract.group(route);
		consumer = new KafkaConsumer<>(Map.of(
				ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, contract.bootstrapServers(),
				ConsumerConfig.GROUP_ID_CONFIG, group,
				ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, group + "-local",
				ConsumerConfig.CLIENT_ID_CONFIG, group,
				ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
				ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
				ConsumerConfig.MAX_POLL_RECORDS_CONFIG, MAX_IN_FLIGHT / 2,
				// a fetch waits up to FETCH_WAIT_MS for more records instead of returning each append on its own:
				// every Trigger reads every record, so per-append fetches cost Kafka and the broker the most CPU
				ConsumerConfig.FETCH_MIN_BYTES_CONFIG, 64 * 1024,
				ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, FETCH_WAIT_MS,
				ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, 10_000),
				new StringDeserializer(), new ByteArrayDeserializer());
		consumer.subscribe(List.of(contract.topic()), new Rebalance());
		long nextCommit = 0;
		long nextLag = 0;
		int emptyPolls = 0;
		try {
			while (running) {
				backpressure();
				boolean idle = emptyPolls >= EMPTY_POLLS_BEFORE_IDLE;
				try {
					// idle: one fetch sent, what earlier fetches brought handed out, then a pause (see IDLE_PAUSE_MS)
					var records = consumer.poll(idle ? Duration.ZERO : Duration.ofMillis(100));
					for (ConsumerRecord<String, byte[]> record : records) {
						handOut(record);
					}
					emptyPolls = records.isEmpty() ? emptyPolls + 1 : 0;
					if (records.isEmpty() && emptyPolls >= EMPTY_POLLS_BEFORE_IDLE && running) {
						java.util.concurrent.locks.LockSupport.parkNanos(IDLE_PAUSE_MS * 1_000_000);
					}
				}
				catch (WakeupException resume) {
					// woken up to resume paused partitions, or to stop
				}
				long now = System.currentTimeMillis();
				if (now >= nextCommit) {
					commit(false);
					nextCommit = now + COMMIT_INTERVAL_MS;
				}
				if (now >= nextLag) {
					measureLag();
					nextLag = now + 1000;
				}
			}
			try {
				commit(true);
			}
			catch (WakeupException late) { // a delivery finished just then
				commit(true);
			}
		}
		catch (RuntimeException e) {
			log.log(System.Logger.Level.ERROR, "trigger " + route.name() + ": consumer stopped: " + e, e);
		}
		finally {
			consumer.close(org.apache.kafka.clients.consumer.CloseOptions.timeout(Duration.ofSeconds(5)));
		}
	}

	private void backpressure() {
		boolean full = inFlight.get() >= MAX_IN_FLIGHT;
		if (full && !paused) {
			consumer.pause(consumer.assignment());
			paused = true;
		}
		else if (!full && paused) {
			consumer.resume(consumer.paused());
			paused = false;
		}
	}

	private void handOut(ConsumerRecord<String, byte[]> record) {
		TopicPartition partition = new TopicPartition(record.topic(), record.partition());
		OffsetTracker tracker = offsets.computeIfAbsent(partition, p -> new OffsetTracker());
		tracker.track(record.offset());
		inFlight.incrementAndGet();
		CompletableFuture<Void> delivery;
		if (route.ordered()) {
			delivery = orderedTails.getOrDefault(partition, CompletableFuture.completedFuture(null))
					.exceptionally(failed -> null).thenCompose(previous -> deliver(record));
			orderedTails.put(partition, delivery);
		}
		else {
			delivery = deliver(record);
		}
		delivery.whenComplete((done, failure) -> {
			if (failure == null) {
				tracker.done(record.offset());
			}
			else { // not done: the partition's commits stop before it, a restart delivers it again
				log.log(System.Logger.Level.ERROR, "trigger " + route.name() + ": delivery of offset " + record.offset() + " failed: " + failure);
			}
			if (inFlight.decrementAndGet() < MAX_IN_FLIGHT && paused) {
				consumer.wakeup();
			}
		});
	}

	private CompletableFuture<Void> deliver(ConsumerRecord<String, byte[]> record) {
		if (!Filters.matches(route.trigger(), attributes(record))) { // most records: decided on the headers alone
			stats.filtered.incrementAndGet();
			return CompletableFuture.completedFuture(null);
		}
		CloudEvent event;
		try {
			event = KafkaMessageFactory.createReader(record).toEvent();
		}
		catch (RuntimeException e) { // not written by this broker's receiver: skipped, as the Kafka broker does
			log.log(System.Logger.Level.WARNING, "trigger " + route.name() + ": record " + record.partition() + "/" + record.offset()
					+ " is not a CloudEvent, skipped: " + e.getMessage());
			return CompletableFuture.completedFuture(null);
		}
		Header trace = record.headers().lastHeader(TraceContext.HEADER);
		return dispatcher.dispatch(event, trace == null ? null : TraceContext.parse(new String(trace.value(), StandardCharsets.US_ASCII)));
	}

	/** The attributes of a record the receiver wrote, decoded when a filter asks for them ({@link RecordAttributes}). */
	static Map<String, String> attributes(ConsumerRecord<String, byte[]> record) {
		return new RecordAttributes(record.headers());
	}

	private void commit(boolean sync) {
		Map<TopicPartition, OffsetAndMetadata> commits = new HashMap<>();
		offsets.forEach((partition, tracker) -> {
			long offset = tracker.committable();
			if (offset >= 0) {
				commits.put(partition, new OffsetAndMetadata(offset));
			}
		});
		if (commits.isEmpty()) {
			return;
		}
		if (sync) {
			consumer.commitSync(commits, Duration.ofSeconds(5));
			commits.forEach((partition, offset) -> offsets.get(partition).committed(offset.offset()));
			return;
		}
		consumer.commitAsync(commits, (done, failure) -> {
			if (failure == null) {
				done.forEach((partition, offset) -> {
					OffsetTracker tracker = offsets.get(partition);
					if (tracker != null) {
						tracker.committed(offset.offset());
					}
				});
			}
		});
	}

	private void measureLag() {
		try {
			var assignment = consumer.assignment();
			long total = 0;
			for (var end : consumer.endOffsets(assignment, Duration.ofMillis(500)).entrySet()) {
				OffsetTracker tracker = offsets.get(end.getKey());
				long done = tracker == null ? consumer.position(end.getKey(), Duration.ofMillis(500)) : tracker.firstNotDone();
				total += Math.max(0, end.getValue() - done);
			}
			lag.set(total);
		}
		catch (RuntimeException e) {
			// Kafka unreachable for now: the last figure stands
		}
	}

	private final class Rebalance implements ConsumerRebalanceListener {

		@Override
		public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
			try {
				commit(true);
			}
			catch (org.apache.kafka.common.KafkaException e) {
				// Kafka is away (a restart): the offsets stay where they were committed last and the next owner of the
				// partitions delivers from there again, as Knative's Kafka broker does (at least once; validate and
				// aggregate de-duplicate by id). Throwing here would stop this Trigger's consumer for good.
				log.log(System.Logger.Level.WARNING, "trigger " + route.name() + ": offsets of " + partitions + " not committed on revocation: " + e);
			}
			partitions.forEach(offsets::remove);
			partitions.forEach(orderedTails::remove);
		}

		@Override
		public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
			assigned = !consumer.assignment().isEmpty();
			log.log(System.Logger.Level.INFO, "trigger " + route.name() + " (group " + contract.group(route) + ") has partitions "
					+ partitions.stream().map(TopicPartition::partition).sorted().toList());
		}
	}

	@Override
	public void close() throws InterruptedException {
		running = false;
		dispatcher.stop();
		KafkaConsumer<String, byte[]> current = consumer;
		if (current != null) {
			current.wakeup();
		}
		thread.join(10_000);
	}
}
