package dev.globalevents.local.broker;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;

import dev.globalevents.local.http.Http1Client;

/**
 * One Knative Kafka broker's data plane on a {@link BrokerContract}: creates the topic if it is missing, starts the
 * {@link Receiver} (ingress → topic) and one {@link TriggerDispatcher} per Trigger (topic → subscriber). Deliveries
 * share one {@link Http1Client}: connections to a subscriber are pooled and kept alive, one virtual thread per
 * delivery in flight (bounded per Trigger by its dispatcher).
 */
public final class KafkaBroker implements AutoCloseable {

	private static final System.Logger log = System.getLogger("broker");

	private final BrokerContract contract;
	private final BrokerStats stats = new BrokerStats();
	private final TopicWriter topic;
	private final List<TriggerDispatcher> dispatchers = new ArrayList<>();
	private final Receiver receiver;
	private final Http1Client http = new Http1Client();
	private final Tracer tracer;
	private final BrokerLog summary;

	/**
	 * How long an append may take before the ingress answers 503: within the gateway's 3 s deadline for the broker
	 * (zuplo/modules/ingest.ts), so while Kafka is away the sender gets the broker's 503 and sends again, instead of a
	 * gateway timeout while the broker still holds the event.
	 */
	public static final Duration APPEND_TIMEOUT = Duration.ofMillis(2500);

	public KafkaBroker(BrokerContract contract) {
		this(contract, APPEND_TIMEOUT, Tracer.NONE);
	}

	KafkaBroker(BrokerContract contract, Duration appendTimeout) {
		this(contract, appendTimeout, Tracer.NONE);
	}

	/** {@code tracer}: where the broker's spans go (its context is propagated either way). */
	KafkaBroker(BrokerContract contract, Duration appendTimeout, Tracer tracer) {
		this.contract = contract;
		this.tracer = tracer;
		createTopic(contract);
		this.topic = new TopicWriter(contract.bootstrapServers(), contract.topic(), "receiver-" + contract.namespace() + "-" + contract.name(), appendTimeout);
		for (Route route : contract.routes()) {
			BrokerStats.Trigger counters = stats.trigger(route.name());
			dispatchers.add(new TriggerDispatcher(contract, route, new RecordDispatcher(contract, route, http, topic, counters, tracer), counters));
		}
		this.receiver = new Receiver(contract, topic, stats, this::ready, tracer);
		this.summary = new BrokerLog(stats, Duration.ofSeconds(10));
		log.log(System.Logger.Level.INFO, "broker " + contract.namespace() + "/" + contract.name() + " listening on " + ingress()
				+ ", topic " + contract.topic() + " (" + contract.partitions() + " partitions) on " + contract.bootstrapServers()
				+ ", " + contract.routes().size() + " trigger(s): "
				+ contract.routes().stream().map(r -> r.name() + (r.ordered() ? " (ordered)" : "") + " -> " + r.subscriber()).toList());
	}

	private static void createTopic(BrokerContract contract) {
		try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, contract.bootstrapServers()))) {
			admin.createTopics(List.of(new NewTopic(contract.topic(), contract.partitions(), contract.replicationFactor())
					.configs(contract.topicConfig()))).all().get(60, TimeUnit.SECONDS);
			log.log(System.Logger.Level.INFO, "created topic " + contract.topic() + ": " + contract.partitions() + " partitions, replication "
					+ contract.replicationFactor() + ", " + contract.topicConfig());
		}
		catch (ExecutionException e) {
			if (!(e.getCause() instanceof TopicExistsException)) {
				throw new IllegalStateException("cannot create topic " + contract.topic() + ": " + e.getCause(), e.getCause());
			}
		}
		catch (TimeoutException e) {
			throw new IllegalStateException("Kafka at " + contract.bootstrapServers() + " did not answer within 60 s", e);
		}
		catch (InterruptedException e) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(e);
		}
	}

	public URI ingress() {
		return URI.create("http://127.0.0.1:" + receiver.port() + contract.path());
	}

	public BrokerContract contract() {
		return contract;
	}

	/** Ready once every Trigger's consumer has its partitions. */
	public boolean ready() {
		return dispatchers.stream().allMatch(TriggerDispatcher::assigned);
	}

	public BrokerStats stats() {
		return stats;
	}

	/** Stops taking events, then stops the consumers (committing what is done) and the producer. */
	@Override
	public void close() {
		if (receiver != null) {
			receiver.close();
		}
		for (TriggerDispatcher dispatcher : dispatchers) {
			try {
				dispatcher.close();
			}
			catch (InterruptedException e) {
				Thread.currentThread().interrupt();
			}
		}
		http.close();
		topic.close();
		tracer.close();
		summary.close();
	}
}
