package dev.globalevents.local;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import io.fabric8.knative.serving.v1.Service;
import io.fabric8.knative.sources.v1.PingSource;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;

/**
 * {@code make run}: the whole system on one machine, driven by {@code knative/}. For each region it renders the
 * overlay, starts a redis-server, a {@link LocalBroker} with the region's Triggers, every Knative Service as a
 * process with the environment its manifest declares (ConfigMaps, mounted config files, K_SINK for the
 * SinkBinding's subjects), and its PingSources; one ClickHouse stands in for TrafficPeak. Local substitutions, and
 * only these: Secrets (Redis URL), export-metrics writes to ClickHouse, and a peer region's gateway sync route goes
 * straight to that region's broker. Ctrl-C stops everything.
 */
public final class LocalStack {

	private static final System.Logger log = System.getLogger("local");

	private final Path root;
	private final Path state;
	private final java.util.Set<String> skippedPings;
	private final boolean startGateway;
	private final Map<String, LocalBroker> brokers = new LinkedHashMap<>();
	private final List<FunctionProcess> functions = new ArrayList<>();
	private Dashboard dashboard;
	private Gateway gateway;
	private final Deque<AutoCloseable> running = new ConcurrentLinkedDeque<>();
	private final ScheduledExecutorService pings = Executors.newSingleThreadScheduledExecutor();
	private final HttpClient http = HttpClient.newHttpClient();

	/** @param skippedPings PingSources not to run (tests that must control every event skip generate-tick) */
	LocalStack(Path root, Path state, java.util.Set<String> skippedPings) {
		this(root, state, skippedPings, true);
	}

	/** @param startGateway whether to put the Zuplo gateway in front (its own tests run it separately) */
	LocalStack(Path root, Path state, java.util.Set<String> skippedPings, boolean startGateway) {
		this.root = root;
		this.state = state;
		this.skippedPings = skippedPings;
		this.startGateway = startGateway;
	}

	URI ingress(String region) {
		return brokers.get(region).ingress();
	}

	FunctionProcess function(String region, String name) {
		return functions.stream().filter(f -> f.label().equals(region + "/" + name)).findFirst().orElseThrow();
	}

	LocalBroker broker(String region) {
		return brokers.get(region);
	}

	Dashboard dashboard() {
		return dashboard;
	}

	/** The gateway in front, or null when it was not started. */
	Gateway gateway() {
		return gateway;
	}

	public static void main(String[] args) throws Exception {
		Path root = Path.of(args.length > 0 ? args[0] : ".").toAbsolutePath().normalize();
		List<String> regions = args.length > 1 ? List.of(args[1].split(",")) : List.of("us-east", "eu-west", "ap-south");
		Path state = root.resolve(".local/run");
		if (Files.exists(state)) {
			try (var old = Files.walk(state)) {
				old.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
			}
		}
		Files.createDirectories(state);
		LocalStack stack = new LocalStack(root, state, java.util.Set.of());
		Runtime.getRuntime().addShutdownHook(new Thread(stack::stop, "local-stop"));
		stack.start(regions);
		Thread.currentThread().join();
	}

	void start(List<String> regions) throws Exception {
		say("rendering knative/overlays " + regions + " with kubectl kustomize");
		Map<String, Manifests> manifests = new LinkedHashMap<>();
		for (String region : regions) {
			manifests.put(region, Manifests.render(root.resolve("knative"), region));
		}
		Infrastructure.Started clickhouse = keep(Infrastructure.clickhouse(state));
		say("clickhouse (TrafficPeak's stand-in) on http://127.0.0.1:" + clickhouse.port() + "/");
		Map<String, Integer> brokerPorts = new LinkedHashMap<>();
		regions.forEach(r -> brokerPorts.put(r, Infrastructure.freePort()));
		for (Manifests region : manifests.values()) {
			Infrastructure.Started redis = keep(Infrastructure.redis(region.region(), state));
			say(region.region() + ": redis-server on 127.0.0.1:" + redis.port());
			Map<String, URI> urls = new LinkedHashMap<>();
			region.services().forEach(s -> urls.put(s.getMetadata().getName(), URI.create("http://127.0.0.1:" + Infrastructure.freePort() + "/")));
			URI ingress = URI.create("http://127.0.0.1:" + brokerPorts.get(region.region()) + "/" + region.namespace() + "/events");
			LocalBroker broker = keep(Topology.broker(region.resources(), "events", urls::get,
					uri -> peerIngress(uri, manifests, brokerPorts), brokerPorts.get(region.region())));
			brokers.put(region.region(), broker);
			for (Service service : region.services()) {
				String name = service.getMetadata().getName();
				Map<String, String> env = environment(region, service, redis.port(), clickhouse.port(), ingress);
				FunctionProcess process = keep(new FunctionProcess(region.region(), name, urls.get(name).getPort(), jar(name), env, state));
				functions.add(process);
			}
			for (PingSource ping : region.all(PingSource.class)) {
				if (!skippedPings.contains(ping.getMetadata().getName())) {
					schedule(region, ping, urls.get(ping.getSpec().getSink().getRef().getName()));
				}
			}
		}
		say("starting " + functions.size() + " function processes (logs in " + state + ")");
		awaitReady(functions);
		Map<String, URI> aggregates = new LinkedHashMap<>();
		Map<String, URI> quarantines = new LinkedHashMap<>();
		for (String region : regions) {
			aggregates.put(region, function(region, "aggregate").url());
			quarantines.put(region, function(region, "quarantine").url());
		}
		dashboard = keep(new Dashboard(aggregates, quarantines, Integer.getInteger("dashboard.port", 0)));
		Map<String, URI> ingresses = new LinkedHashMap<>();
		brokers.forEach((region, broker) -> ingresses.put(region, broker.ingress()));
		gateway = startGateway ? Gateway.start(root, state, ingresses, aggregates) : null;
		if (gateway != null) {
			keep(gateway);
		}
		say("ready");
		System.out.println("  live page   " + dashboard.url());
		if (gateway != null) {
			System.out.println("  gateway     " + gateway.url() + "  (Zuplo; API keys: " + Gateway.LOCAL_KEY + " sends, " + Gateway.ADMIN_KEY
					+ " also reads /v1/global, /v1/regions/<region>/windows and runs replays)");
		}
		for (Manifests region : manifests.values()) {
			LocalBroker broker = brokers.get(region.region());
			System.out.println("  " + region.region() + "  broker " + broker.ingress());
			for (FunctionProcess f : functions) {
				if (f.label().startsWith(region.region() + "/")) {
					System.out.printf("      %-15s %s%n", f.label().substring(region.region().length() + 1), f.url());
				}
			}
		}
		String first = regions.getFirst();
		String target = gateway != null ? gateway.url().resolve("/v1/events") + "' -H 'Authorization: Bearer " + Gateway.LOCAL_KEY
				+ "' -H 'x-region: " + first : brokers.get(first).ingress().toString();
		System.out.println("""

				Send your own CloudEvent through %s:
				  curl -si '%s' -H 'Ce-Specversion: 1.0' -H "Ce-Id: $(cat /proc/sys/kernel/random/uuid)" -H 'Ce-Source: /regions/%s/instances/cli' -H 'Ce-Type: order.created' -H "Ce-Time: $(date -u +%%FT%%TZ)" -H 'Content-Type: application/json' -d '{"order_id":"o-1","customer_id":"c-1","amount":12.5,"currency":"EUR","items":1}'
				Ctrl-C stops everything.""".formatted(gateway != null ? "the gateway" : first + "'s broker", target, first));
	}

	/** The environment a Knative Service declares, with the local substitutions. */
	Map<String, String> environment(Manifests region, Service service, int redisPort, int clickhousePort, URI ingress) throws IOException {
		Container container = service.getSpec().getTemplate().getSpec().getContainers().getFirst();
		Map<String, String> env = new LinkedHashMap<>();
		for (EnvFromSource from : container.getEnvFrom() == null ? List.<EnvFromSource>of() : container.getEnvFrom()) {
			env.putAll(region.configMap(from.getConfigMapRef().getName()));
		}
		Map<String, String> secrets = Map.of("redis/url", "redis://127.0.0.1:" + redisPort);
		for (EnvVar var : container.getEnv() == null ? List.<EnvVar>of() : container.getEnv()) {
			if (var.getValue() != null) {
				env.put(var.getName(), var.getValue());
			}
			else if (var.getValueFrom() != null && var.getValueFrom().getSecretKeyRef() != null) {
				var ref = var.getValueFrom().getSecretKeyRef();
				String value = secrets.get(ref.getName() + "/" + ref.getKey());
				if (value != null) {
					env.put(var.getName(), value);
				}
			}
		}
		String name = service.getMetadata().getName();
		List<Volume> volumes = service.getSpec().getTemplate().getSpec().getVolumes();
		for (VolumeMount mount : container.getVolumeMounts() == null ? List.<VolumeMount>of() : container.getVolumeMounts()) {
			Volume volume = volumes.stream().filter(v -> v.getName().equals(mount.getName())).findFirst().orElseThrow();
			Path dir = state.resolve(region.region() + "-" + name + "-" + mount.getName());
			Files.createDirectories(dir);
			for (var file : region.configMap(volume.getConfigMap().getName()).entrySet()) {
				Files.writeString(dir.resolve(file.getKey()), file.getValue());
			}
			env.replaceAll((k, v) -> v.startsWith(mount.getMountPath()) ? dir + v.substring(mount.getMountPath().length()) : v);
		}
		if ("broker".equals(service.getMetadata().getLabels().get("globalevents.dev/sink"))) {
			env.put("K_SINK", ingress.toString());
		}
		if ("trafficpeak".equals(env.get("EXPORT_SINK"))) {
			env.put("EXPORT_SINK", "clickhouse");
			env.put("CLICKHOUSE_URL", "http://127.0.0.1:" + clickhousePort + "/");
		}
		env.put("HOSTNAME", region.region() + "-" + name + "-local");
		return env;
	}

	/**
	 * A peer region's gateway sync route, mapped to that region's local broker; null (the Trigger is left out) when
	 * the peer is not running here or the URI is anything else: the local stack never calls outside this machine.
	 */
	private static URI peerIngress(URI uri, Map<String, Manifests> manifests, Map<String, Integer> brokerPorts) {
		java.util.regex.Matcher sync = java.util.regex.Pattern.compile("/v1/regions/([a-z-]+)/sync").matcher(uri.getPath());
		if (sync.matches() && brokerPorts.containsKey(sync.group(1))) {
			String peer = sync.group(1);
			return URI.create("http://127.0.0.1:" + brokerPorts.get(peer) + "/" + manifests.get(peer).namespace() + "/events");
		}
		return null;
	}

	private Path jar(String name) throws IOException {
		try (var files = Files.list(root.resolve("functions").resolve(name).resolve("target"))) {
			return files.filter(p -> p.getFileName().toString().matches(java.util.regex.Pattern.quote(name) + "-.*\\.jar"))
					.findFirst().orElseThrow(() -> new IllegalStateException("no jar of " + name + ": run make build"));
		}
	}

	/** PingSource schedules of the forms "* * * * *" and "*&#47;N * * * *" (every N minutes), on minute boundaries. */
	private void schedule(Manifests region, PingSource ping, URI sink) {
		String schedule = ping.getSpec().getSchedule().trim();
		int minutes = schedule.equals("* * * * *") ? 1
				: schedule.matches("\\*/\\d+ \\* \\* \\* \\*") ? Integer.parseInt(schedule.substring(2, schedule.indexOf(' '))) : -1;
		if (minutes < 1) {
			throw new IllegalArgumentException("PingSource " + ping.getMetadata().getName() + ": schedule " + schedule + " is not supported locally");
		}
		LocalDateTime now = LocalDateTime.now();
		long delay = Duration.between(now, now.withSecond(0).withNano(0).plusMinutes(1)).toMillis();
		String source = "/apis/v1/namespaces/" + region.namespace() + "/pingsources/" + ping.getMetadata().getName();
		pings.scheduleAtFixedRate(() -> {
			HttpRequest request = HttpRequest.newBuilder(sink).timeout(Duration.ofSeconds(60))
					.header("Ce-Specversion", "1.0").header("Ce-Id", UUID.randomUUID().toString()).header("Ce-Source", source)
					.header("Ce-Type", "dev.knative.sources.ping")
					.header("Content-Type", ping.getSpec().getContentType() == null ? "application/json" : ping.getSpec().getContentType())
					.POST(HttpRequest.BodyPublishers.ofString(ping.getSpec().getData() == null ? "" : ping.getSpec().getData())).build();
			http.sendAsync(request, HttpResponse.BodyHandlers.discarding()).thenAccept(response -> {
				if (response.statusCode() / 100 != 2) {
					log.log(System.Logger.Level.WARNING, source + " tick answered " + response.statusCode());
				}
			});
		}, delay, minutes * 60_000L, TimeUnit.MILLISECONDS);
	}

	private void awaitReady(List<FunctionProcess> functions) throws InterruptedException {
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(300);
		List<FunctionProcess> waiting = new ArrayList<>(functions);
		while (!waiting.isEmpty()) {
			for (FunctionProcess f : List.copyOf(waiting)) {
				if (!f.alive()) {
					throw new IllegalStateException(f.label() + " exited; its log " + f.log() + " ends:\n" + f.lastLines());
				}
				if (f.ready()) {
					waiting.remove(f);
					say(f.label() + " ready on " + f.url() + " (" + (functions.size() - waiting.size()) + "/" + functions.size() + ")");
				}
			}
			if (System.nanoTime() > deadline) {
				throw new IllegalStateException("not ready after 300 s: " + waiting.stream().map(FunctionProcess::label).toList());
			}
			if (!waiting.isEmpty()) {
				Thread.sleep(500); // readiness polling of processes we started
			}
		}
	}

	private <T extends AutoCloseable> T keep(T resource) {
		running.push(resource);
		return resource;
	}

	/** Stops the functions and brokers together, then Redis and ClickHouse. */
	void stop() {
		say("stopping " + running.size() + " part(s)");
		pings.shutdownNow();
		List<AutoCloseable> all = new ArrayList<>(running);
		running.clear();
		closeTogether(all.stream().filter(r -> !(r instanceof Infrastructure.Started)).toList());
		closeTogether(all.stream().filter(r -> r instanceof Infrastructure.Started).toList());
		say("stopped (logs kept in " + state + ")");
	}

	private static void closeTogether(List<AutoCloseable> parts) {
		List<Thread> threads = parts.stream().map(part -> Thread.ofVirtual().start(() -> {
			try {
				part.close();
			}
			catch (Exception e) {
				log.log(System.Logger.Level.WARNING, "while stopping: " + e.getMessage());
			}
		})).toList();
		for (Thread thread : threads) {
			try {
				thread.join();
			}
			catch (InterruptedException e) {
				Thread.currentThread().interrupt();
			}
		}
	}

	private static void say(String message) {
		System.out.println("[local] " + message);
	}
}
