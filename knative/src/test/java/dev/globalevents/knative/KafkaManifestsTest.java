package dev.globalevents.knative;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import javax.xml.parsers.DocumentBuilderFactory;

import dev.globalevents.events.Regions;
import io.fabric8.knative.duck.v1.KReference;
import io.fabric8.knative.eventing.v1.Broker;
import io.fabric8.knative.eventing.v1.Trigger;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Quantity;
import io.strimzi.api.kafka.model.kafka.JbodStorage;
import io.strimzi.api.kafka.model.kafka.Kafka;
import io.strimzi.api.kafka.model.kafka.KafkaResources;
import io.strimzi.api.kafka.model.kafka.PersistentClaimStorage;
import io.strimzi.api.kafka.model.kafka.Storage;
import io.strimzi.api.kafka.model.kafka.listener.GenericKafkaListener;
import io.strimzi.api.kafka.model.kafka.listener.KafkaListenerType;
import io.strimzi.api.kafka.model.nodepool.KafkaNodePool;
import io.strimzi.api.kafka.model.nodepool.ProcessRoles;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Knative Kafka broker and the Strimzi Kafka cluster of each region agree: every region overlay and every
 * {@code knative/kafka} overlay renders and parses (Strimzi's own model, no unknown field); the Broker is of class
 * Kafka with its ConfigMap beside it, pointing at the rendered cluster's plain listener; replication, in-sync
 * replicas and partitions fit the node pool; the cluster is KRaft on Strimzi's {@code v1} API and runs the Kafka of the
 * local stack; every Trigger chooses its delivery order.
 */
class KafkaManifestsTest {

	static final String BROKER_CLASS = "eventing.knative.dev/broker.class";
	static final String DELIVERY_ORDER = "kafka.eventing.knative.dev/delivery.order";
	static final String STRIMZI_API = "kafka.strimzi.io/v1";
	static final String STORAGE_CLASS = "linode-block-storage-retain";
	/** Where the Knative Kafka broker's controller, receiver and dispatcher run: the clients of the plain listener. */
	static final String KNATIVE_EVENTING = "knative-eventing";
	/** Kafka's default log.segment.bytes: a partition holds up to retention.bytes plus its active segment. */
	static final long SEGMENT_BYTES = 1L << 30;
	/** Share of a broker's volume the broker topic may fill, leaving room for consumer offsets and compaction. */
	static final double DISK_SHARE = 0.8;

	@BeforeAll
	static void kubectl() {
		Assumptions.assumeTrue(Rendered.kubectlAvailable(),
				"kubectl is not installed: the Kafka manifests were not rendered or checked (install kubectl to check them)");
	}

	static List<String> regions() {
		return Regions.all();
	}

	@Test
	void thereIsAKafkaOverlayForEachRegionAndNoOther() throws IOException {
		try (Stream<Path> overlays = Files.list(Rendered.KNATIVE.resolve("kafka").resolve("overlays"))) {
			Set<String> names = overlays.map(p -> p.getFileName().toString()).collect(Collectors.toCollection(TreeSet::new));
			assertThat(names).isEqualTo(new TreeSet<>(regions()));
		}
	}

	@ParameterizedTest
	@MethodSource("regions")
	void theKafkaOverlayParsesIntoTheStrimziV1ModelWithoutUnknownFields(String region) {
		Rendered rendered = Rendered.kafka(region);

		assertThat(rendered.resources()).isNotEmpty().noneMatch(r -> r instanceof GenericKubernetesResource)
				.allMatch(r -> r instanceof Kafka || r instanceof KafkaNodePool);
		assertThat(rendered.all(Kafka.class)).hasSize(1);
		assertThat(rendered.all(KafkaNodePool.class)).isNotEmpty();
		for (HasMetadata resource : rendered.resources()) {
			String name = resource.getKind() + "/" + resource.getMetadata().getName();
			assertThat(resource.getApiVersion()).as(name).isEqualTo(STRIMZI_API);
			assertThat(ManifestsTest.unknownFields(resource, name)).isEmpty();
			assertThat(resource.getMetadata().getNamespace()).as(name + ": not in a region's namespace").isEqualTo("kafka");
			assertThat(resource.getMetadata().getLabels()).as(name).containsEntry("globalevents.dev/region", region);
		}
	}

	@ParameterizedTest
	@MethodSource("regions")
	void theNodePoolsMakeAKraftClusterOnRetainedLinodeVolumes(String region) {
		Rendered rendered = Rendered.kafka(region);
		Kafka kafka = rendered.all(Kafka.class).getFirst();
		List<KafkaNodePool> pools = rendered.all(KafkaNodePool.class);

		Set<ProcessRoles> roles = EnumSet.noneOf(ProcessRoles.class);
		for (KafkaNodePool pool : pools) {
			String name = pool.getMetadata().getName();
			assertThat(pool.getMetadata().getLabels()).as(name + " belongs to the Kafka").containsEntry("strimzi.io/cluster",
					kafka.getMetadata().getName());
			roles.addAll(pool.getSpec().getRoles());
			for (PersistentClaimStorage volume : volumes(pool)) {
				assertThat(volume.getStorageClass()).as(name).isEqualTo(STORAGE_CLASS);
				assertThat(volume.isDeleteClaim()).as(name + ": a deleted node keeps its data").isFalse();
				assertThat(bytes(volume.getSize())).as(name).isPositive();
			}
			var resources = pool.getSpec().getResources();
			assertThat(resources.getRequests()).as(name).containsKeys("cpu", "memory");
			assertThat(resources.getLimits()).as(name).containsKey("memory");
			assertThat(volumes(pool).stream().filter(v -> v.getKraftMetadata() != null)).as(name + ": at most one KRaft metadata volume")
					.hasSizeLessThanOrEqualTo(1);
			assertThat(heapBytes(pool.getSpec().getJvmOptions().getXmx())).as(name + ": the heap fits in the memory limit, with room")
					.isLessThan(Quantity.getAmountInBytes(resources.getLimits().get("memory")));
		}
		assertThat(roles).as("KRaft: controllers and brokers").contains(ProcessRoles.CONTROLLER, ProcessRoles.BROKER);
		int controllers = replicas(pools, ProcessRoles.CONTROLLER);
		assertThat(controllers).as("a KRaft quorum that survives one controller down").isGreaterThanOrEqualTo(3).isOdd();
	}

	@ParameterizedTest
	@MethodSource("regions")
	void kafkaRunsTheVersionOfTheLocalStack(String region) {
		var spec = Rendered.kafka(region).all(Kafka.class).getFirst().getSpec().getKafka();
		String version = kafkaVersion();

		assertThat(spec.getVersion()).isEqualTo(version);
		assertThat(spec.getMetadataVersion()).as("metadata version of Kafka " + version)
				.startsWith(version.substring(0, version.lastIndexOf('.')) + "-IV");
	}

	@ParameterizedTest
	@MethodSource("regions")
	void theClusterKeepsEveryAcknowledgedWriteOnTwoBrokers(String region) {
		Rendered rendered = Rendered.kafka(region);
		Map<String, Object> config = rendered.all(Kafka.class).getFirst().getSpec().getKafka().getConfig();
		int brokers = replicas(rendered.all(KafkaNodePool.class), ProcessRoles.BROKER);

		int replication = integer(config, "default.replication.factor");
		assertThat(replication).isEqualTo(3).isLessThanOrEqualTo(brokers);
		assertThat(integer(config, "offsets.topic.replication.factor")).isEqualTo(replication);
		assertThat(integer(config, "transaction.state.log.replication.factor")).isEqualTo(replication);
		assertThat(integer(config, "min.insync.replicas")).isEqualTo(2).isLessThan(replication);
		assertThat(integer(config, "transaction.state.log.min.isr")).isEqualTo(2).isLessThan(replication);
		assertThat(String.valueOf(config.get("auto.create.topics.enable"))).as("topics come from the Knative controller").isEqualTo("false");
	}

	@ParameterizedTest
	@MethodSource("regions")
	void theBrokerIsAKafkaBrokerOnTheRegionsKafkaCluster(String region) {
		Rendered rendered = Rendered.of(region);
		Rendered cluster = Rendered.kafka(region);
		Kafka kafka = cluster.all(Kafka.class).getFirst();
		Broker broker = rendered.named(Broker.class, "events").orElseThrow();

		assertThat(broker.getMetadata().getAnnotations()).containsEntry(BROKER_CLASS, "Kafka");
		ConfigMap config = brokerConfig(rendered, broker);
		assertThat(broker.getSpec().getConfig().getNamespace()).as("Broker spec.config.namespace")
				.isEqualTo(config.getMetadata().getNamespace()).isEqualTo(broker.getMetadata().getNamespace()).isEqualTo("globalevents-" + region);
		Map<String, String> data = config.getData();

		GenericKafkaListener plain = kafka.getSpec().getKafka().getListeners().stream()
				.filter(l -> l.getType() == KafkaListenerType.INTERNAL && !l.isTls()).findFirst().orElseThrow();
		assertThat(data.get("bootstrap.servers")).isEqualTo(KafkaResources.bootstrapServiceName(kafka.getMetadata().getName()) + "."
				+ kafka.getMetadata().getNamespace() + ":" + plain.getPort());
		assertThat(plain.getNetworkPolicyPeers()).as("the plain listener admits the Knative Kafka broker")
				.satisfiesAnyOf(peers -> assertThat(peers).isNullOrEmpty(), peers -> assertThat(peers).anyMatch(peer ->
						peer.getPodSelector() == null && peer.getNamespaceSelector() != null
								&& KNATIVE_EVENTING.equals(peer.getNamespaceSelector().getMatchLabels().get("kubernetes.io/metadata.name"))));

		int brokers = replicas(cluster.all(KafkaNodePool.class), ProcessRoles.BROKER);
		int replication = integer(data, "default.topic.replication.factor");
		assertThat(replication).isEqualTo(3).isLessThanOrEqualTo(brokers);
		int minInsync = integer(data, "default.topic.config.min.insync.replicas");
		assertThat(minInsync).isEqualTo(2).isLessThan(replication)
				.isEqualTo(integer(kafka.getSpec().getKafka().getConfig(), "min.insync.replicas"));
		assertThat(integer(data, "default.topic.partitions")).isPositive();
	}

	@ParameterizedTest
	@MethodSource("regions")
	void theBrokerTopicFitsOnTheBrokersVolumes(String region) {
		Rendered rendered = Rendered.of(region);
		Map<String, String> data = brokerConfig(rendered, rendered.named(Broker.class, "events").orElseThrow()).getData();
		List<KafkaNodePool> pools = Rendered.kafka(region).all(KafkaNodePool.class);
		int brokers = replicas(pools, ProcessRoles.BROKER);
		BigDecimal volume = pools.stream().filter(p -> p.getSpec().getRoles().contains(ProcessRoles.BROKER))
				.map(p -> volumes(p).stream().map(v -> bytes(v.getSize())).reduce(BigDecimal.ZERO, BigDecimal::add))
				.min(BigDecimal::compareTo).orElseThrow();

		assertThat(data).as("the topic's size is capped, not only its age").containsKeys("default.topic.config.retention.ms",
				"default.topic.config.retention.bytes");
		long replicasPerBroker = ceilDiv((long) integer(data, "default.topic.partitions") * integer(data, "default.topic.replication.factor"), brokers);
		BigDecimal topic = BigDecimal.valueOf(replicasPerBroker)
				.multiply(BigDecimal.valueOf(Long.parseLong(data.get("default.topic.config.retention.bytes")) + SEGMENT_BYTES));
		assertThat(topic).as("the broker topic's share of each broker's volume").isLessThanOrEqualTo(volume.multiply(BigDecimal.valueOf(DISK_SHARE)));
	}

	@Test
	void theBrokersConfigNamespaceIsTheConfigMapsInEveryRendering() {
		List<Rendered> renderings = Stream.concat(Stream.of(Rendered.base(), Rendered.of("canary")), regions().stream().map(Rendered::of)).toList();
		for (Rendered rendered : renderings) {
			Broker broker = rendered.named(Broker.class, "events").orElseThrow();
			ConfigMap config = brokerConfig(rendered, broker);
			// the base leaves both empty: Knative defaults an empty spec.config.namespace to the Broker's namespace
			assertThat(broker.getSpec().getConfig().getNamespace()).as(rendered.overlay())
					.isEqualTo(config.getMetadata().getNamespace()).isEqualTo(broker.getMetadata().getNamespace());
		}
	}

	@ParameterizedTest
	@MethodSource("regions")
	void everyTriggerChoosesItsDeliveryOrder(String region) {
		List<Trigger> triggers = Rendered.of(region).all(Trigger.class);

		assertThat(triggers).isNotEmpty();
		for (Trigger trigger : triggers) {
			assertThat(trigger.getMetadata().getAnnotations()).as(trigger.getMetadata().getName()).isNotNull()
					.hasEntrySatisfying(DELIVERY_ORDER, order -> assertThat(order).isIn("ordered", "unordered"));
		}
	}

	/** The ConfigMap the Broker's spec.config names, from the same rendering. */
	private static ConfigMap brokerConfig(Rendered rendered, Broker broker) {
		KReference ref = broker.getSpec().getConfig();
		assertThat(ref).as(rendered.overlay() + ": Broker spec.config").isNotNull();
		assertThat(ref.getKind()).isEqualTo("ConfigMap");
		assertThat(ref.getApiVersion()).isEqualTo("v1");
		return rendered.named(ConfigMap.class, ref.getName())
				.orElseThrow(() -> new AssertionError(rendered.overlay() + ": no ConfigMap " + ref.getName() + " for the Broker"));
	}

	private static List<PersistentClaimStorage> volumes(KafkaNodePool pool) {
		Storage storage = pool.getSpec().getStorage();
		List<? extends Storage> volumes = storage instanceof JbodStorage jbod ? jbod.getVolumes() : List.of(storage);
		assertThat(volumes).as(pool.getMetadata().getName() + ": persistent volumes").isNotEmpty()
				.allMatch(v -> v instanceof PersistentClaimStorage);
		return volumes.stream().map(PersistentClaimStorage.class::cast).toList();
	}

	private static int replicas(List<KafkaNodePool> pools, ProcessRoles role) {
		return pools.stream().filter(p -> p.getSpec().getRoles().contains(role)).mapToInt(p -> p.getSpec().getReplicas()).sum();
	}

	private static int integer(Map<String, ?> config, String key) {
		assertThat(config).containsKey(key);
		return Integer.parseInt(String.valueOf(config.get(key)).trim());
	}

	/** Bytes of a Kubernetes quantity ("100Gi"). */
	private static BigDecimal bytes(String quantity) {
		return Quantity.getAmountInBytes(new Quantity(quantity));
	}

	/** Bytes of a JVM size option ("1g", "512m"). */
	private static BigDecimal heapBytes(String size) {
		Matcher matcher = Pattern.compile("([0-9]+)([kKmMgG]?)").matcher(size);
		assertThat(matcher.matches()).as("JVM size " + size).isTrue();
		int shift = switch (matcher.group(2).toLowerCase()) {
			case "k" -> 10;
			case "m" -> 20;
			case "g" -> 30;
			default -> 0;
		};
		return BigDecimal.valueOf(Long.parseLong(matcher.group(1)) << shift);
	}

	private static long ceilDiv(long a, long b) {
		return (a + b - 1) / b;
	}

	/** The Kafka the local stack runs: kafka.version of the root pom (passed by knative/pom.xml, or read from it). */
	private static String kafkaVersion() {
		String version = System.getProperty("kafka.version");
		if (version != null && !version.isBlank() && !version.startsWith("${")) {
			return version;
		}
		try {
			var pom = DocumentBuilderFactory.newInstance().newDocumentBuilder()
					.parse(new File(Rendered.KNATIVE.getParent().resolve("pom.xml").toString()));
			return pom.getElementsByTagName("kafka.version").item(0).getTextContent().trim();
		}
		catch (IOException e) {
			throw new UncheckedIOException(e);
		}
		catch (Exception e) {
			throw new IllegalStateException("cannot read kafka.version of the root pom", e);
		}
	}
}
