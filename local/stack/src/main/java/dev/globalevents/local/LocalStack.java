package dev.globalevents.local;

import dev.globalevents.local.broker.BrokerContract;
import dev.globalevents.local.broker.BrokerMain;
import dev.globalevents.local.broker.JsonLogFormatter;
import dev.globalevents.local.broker.KafkaNode;
import dev.globalevents.local.broker.Topology;
import dev.globalevents.local.serving.RevisionRouter;
import dev.globalevents.local.serving.RevisionScaler;
import dev.globalevents.local.serving.Scaling;
import dev.globalevents.local.serving.ServiceRevisions;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.fabric8.knative.eventing.v1.Trigger;
import io.fabric8.knative.serving.v1.Service;
import io.fabric8.knative.sources.v1.PingSource;
import io.fabric8.kubernetes.api.model.HasMetadata;

/**
 * {@code make run}: the whole system on one machine, driven by {@code knative/}. One Kafka node ({@link KafkaNode})
 * stores the events of every region's broker; for each region it renders the overlay, starts a redis-server, the
 * Kafka broker as its own process ({@link BrokerProcess}: the region's topic and one consumer group per Trigger),
 * every Knative Service as a process with the environment its manifest declares ({@link ServiceEnvironment}), and
 * its PingSources; one ClickHouse stands in for TrafficPeak; the Zuplo gateway goes in front. When everything is ready it writes
 * {@code stack.json} (every URL, port and process) into the state folder and serves the live page with the stack's
 * control API ({@link StackControl}). SIGTERM or Ctrl-C stops everything.
 */
public final class LocalStack {

	private static final System.Logger log = System.getLogger("local");
	private static final Pattern SYNC_PATH = Pattern.compile("/v1/regions/([a-z-]+)/sync");

	private final StackOptions options;
	private final Map<String, BrokerProcess> brokers = new LinkedHashMap<>();
	private final Map<String, Infrastructure.Started> redis = new LinkedHashMap<>();
	private final Map<String, RegionCredentials> credentials = new LinkedHashMap<>();
	private final List<FunctionProcess> functions = new java.util.concurrent.CopyOnWriteArrayList<>();
	/** The Services run behind a route (LOCAL_REVISIONS), by region/name. */
	private final Map<String, ServiceRevisions> routed = new java.util.concurrent.ConcurrentHashMap<>();
	/** Set first thing when the stack stops: a scaled instance starting then stops what it started. */
	private volatile boolean stopping;
	/** One scaled instance starts at a time on this machine (see ScaledInstance). */
	private final java.util.concurrent.Semaphore starting = new java.util.concurrent.Semaphore(1);
	/** Their routes' addresses (the Services' addresses), by region/name. */
	private final Map<String, URI> routes = new java.util.concurrent.ConcurrentHashMap<>();
	private final Deque<AutoCloseable> running = new ConcurrentLinkedDeque<>();
	private final PingSchedule pings = new PingSchedule();
	private Infrastructure.Started clickhouse;
	private KafkaNode kafka;
	private ZipkinProcess zipkin;
	/** Redis' per-command timeout for the local functions (the manifests' default, 500 ms, is for a cluster). */
	static final String LOCAL_REDIS_TIMEOUT = "2s";

	/** What every function and broker is told about tracing: report to the local Zipkin, sample as the options say. */
	private Map<String, String> tracing = Map.of();
	private Dashboard dashboard;
	private Gateway gateway;
	private PrometheusServer prometheus;
	private volatile StackControl control;
	private final Map<String, Scaling> scaling = new java.util.concurrent.ConcurrentHashMap<>();
	private final java.util.concurrent.ScheduledExecutorService autoscaling = java.util.concurrent.Executors.newSingleThreadScheduledExecutor(
			Thread.ofPlatform().name("autoscaling").daemon().factory());
	/** The gateway's port, chosen first: the sync relays post to it. */
	private final int gatewayPort = Infrastructure.freePort();

	LocalStack(StackOptions options) {
		this.options = options;
	}

	public static void main(String[] args) throws Exception {
		// The JDK's HTTP server (broker ingress, live page, controls) leaves Nagle's algorithm on unless told: its
		// answers then wait for the client's delayed ACK, about 40 ms each (the broker answered 195 req/s at p50 37 ms).
		System.setProperty("sun.net.httpserver.nodelay", "true");
		if (args.length > 0 && args[0].equals("broker")) { // the same jar runs each region's broker process
			BrokerMain.main(java.util.Arrays.copyOfRange(args, 1, args.length));
			return;
		}
		StackOptions options = StackOptions.parse(args, System.getenv());
		if (Files.exists(options.state())) {
			try (var old = Files.walk(options.state())) {
				old.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
			}
		}
		Files.createDirectories(options.state());
		// the console shows progress for people (say); the same lines and every warning go to stack.log as JSON, in the
		// form every process of the stack logs in
		JsonLogFormatter.install("local-stack", String.join(",", options.regions()),
				new java.util.logging.FileHandler(options.state().resolve("stack.log").toString(), true));
		LocalStack stack = new LocalStack(options);
		Runtime.getRuntime().addShutdownHook(new Thread(stack::stop, "local-stop"));
		try {
			stack.start();
		}
		catch (Exception e) {
			say("failed to start: " + e.getMessage());
			System.exit(1); // the shutdown hook stops what did start
		}
		Thread.currentThread().join();
	}

	void start() throws Exception {
		say("rendering knative/overlays " + options.regions() + " with kubectl kustomize");
		Map<String, Manifests> manifests = new LinkedHashMap<>();
		for (String region : options.regions()) {
			manifests.put(region, Manifests.render(options.root().resolve("knative"), region));
		}
		zipkin = keep(ZipkinProcess.start(options.root(), options.state())); // a JVM: starts while the rest is set up
		tracing = Map.of("MANAGEMENT_TRACING_EXPORT_ZIPKIN_ENABLED", "true",
				"MANAGEMENT_TRACING_EXPORT_ZIPKIN_ENDPOINT", zipkin.spans().toString(),
				// for the traces a function starts; one that arrives with trace context keeps the caller's decision
				// (Spring Boot's sampler is parent-based), so every request through the gateway stays traced
				"MANAGEMENT_TRACING_SAMPLING_PROBABILITY", Double.toString(options.generatedTraceSampling()),
				// a batch of spans every second (default 5 s): a trace is complete in Zipkin soon after the event
				"MANAGEMENT_OPENTELEMETRY_TRACING_EXPORT_SCHEDULEDELAY", "1s");
		clickhouse = keep(Infrastructure.clickhouse(options.state()));
		int clickhousePort = clickhouse.port();
		say("clickhouse (TrafficPeak's stand-in) on http://127.0.0.1:" + clickhousePort + "/");
		kafka = keep(new KafkaNode(options.root().resolve("local/kafka/target/lib"), options.state().resolve("kafka")));
		say("kafka (one KRaft node, every region's broker topic) on " + kafka.bootstrapServers() + ", log in " + options.state().resolve("kafka"));
		for (Manifests region : manifests.values()) {
			startRegion(region);
		}
		say("starting " + functions.size() + " function processes and " + brokers.size() + " broker(s) (logs in " + options.state() + ")");
		List<LocalProcess> parts = new ArrayList<>(List.of(zipkin));
		parts.addAll(brokers.values());
		parts.addAll(functions);
		awaitReady(parts);
		for (FunctionProcess function : List.copyOf(functions)) {
			ServiceRevisions service = routed.get(function.region() + "/" + function.service());
			if (service != null) {
				service.add(revision(function));
			}
		}
		// after the targets are up, so its alerts do not see the stack's start as targets down
		prometheus = keep(PrometheusServer.start(options.root(), options.state(), functions, brokers));
		awaitReady(List.of(prometheus));
		say("prometheus on " + prometheus.url());
		Map<String, URI> aggregates = urls("aggregate");
		dashboard = keep(new Dashboard(aggregates, urls("quarantine"), urls("generate"), options.traffic(), new ServingView(this)::describe,
				new Plots("http://127.0.0.1:" + clickhousePort + "/"), options.dashboardPort()));
		dashboard.serve(ZuploTelemetrySink.PATH, new ZuploTelemetrySink()::handle);
		gateway = options.gateway() ? Gateway.start(options.root(), options.state(), gatewayPort, urls("edge"), credentials, dashboard.url(),
				options.traceSampling()) : null;
		if (gateway != null) {
			keep(gateway);
		}
		StackControl control = new StackControl(this, options.state().resolve("stack.json"));
		dashboard.serve(StackControl.PATH, control::handle);
		control.write();
		this.control = control;
		// the autoscalers of the routed Services' revisions look at their requests in flight every second
		autoscaling.scheduleAtFixedRate(() -> routed.values().forEach(ServiceRevisions::tick), 1, 1, java.util.concurrent.TimeUnit.SECONDS);
		pings.start(); // generate's ticks (the load) begin once everything is up
		say("ready (" + options.state().resolve("stack.json") + " describes every part)");
		Console.print(this);
	}

	private void startRegion(Manifests region) throws IOException {
		Infrastructure.Started redis = keep(Infrastructure.redis(region.region(), options.state()));
		this.redis.put(region.region(), redis);
		say(region.region() + ": redis-server on 127.0.0.1:" + redis.port());
		Map<String, URI> urls = new LinkedHashMap<>();
		region.services().forEach(s -> urls.put(s.getMetadata().getName(), URI.create("http://127.0.0.1:" + Infrastructure.freePort() + "/")));
		// every subscriber is a Service of the region (sync goes through the sync relay and the gateway): a Trigger
		// whose subscriber is an outside URI is left out, the local stack never calls outside this machine
		BrokerContract contract = Topology.contract(withoutSyncToAbsentPeers(region), "events", urls::get, uri -> null, Infrastructure.freePort(),
				kafka.bootstrapServers(), 1);
		BrokerProcess broker = keep(new BrokerProcess(region.region(), contract, stackJar(), options.state(),
				Map.of("ZIPKIN_ENDPOINT", zipkin.spans().toString(), "TRACING_SAMPLE_RATE", Double.toString(options.generatedTraceSampling()))));
		brokers.put(region.region(), broker);
		say(region.region() + ": broker on " + broker.ingress() + ", topic " + contract.topic() + " (" + contract.partitions()
				+ " partitions), " + contract.routes().size() + " trigger(s)");
		RegionCredentials secrets = RegionCredentials.generate();
		credentials.put(region.region(), secrets);
		ServiceEnvironment environment = new ServiceEnvironment(region, options.state(), redis.port(), clickhouse.port(), broker.ingress(), secrets,
				urls, URI.create("http://127.0.0.1:" + gatewayPort));
		for (Service service : region.services()) {
			String name = service.getMetadata().getName();
			Map<String, String> extra = new LinkedHashMap<>(tracing);
			// every process shares this machine's cores: a JVM starting or a replay can hold Redis' answers past the
			// 500 ms meant for a cluster, and each such timeout is a 503 and a redelivery
			extra.put("FUNCTION_REDIS_TIMEOUT", LOCAL_REDIS_TIMEOUT);
			if (name.equals("generate") && options.traffic() == StackOptions.Traffic.BURST) {
				extra.put("GENERATE_PINGMODE", "burst");
			}
			var container = service.getSpec().getTemplate().getSpec().getContainers().getFirst();
			int port = urls.get(name).getPort();
			Scaling annotated = Scaling.of(service.getSpec().getTemplate().getMetadata().getAnnotations(), options.scaleWindow());
			if (options.routed(name, annotated.minScale())) { // the Service's address is its route's; each revision listens on a port of its own
				ServiceRevisions revisions = new ServiceRevisions(name);
				Scaling declared = annotated.capped(options.maxInstances());
				scaling.put(region.region() + "/" + name, declared);
				routed.put(region.region() + "/" + name, revisions);
				RevisionRouter router = keep(new RevisionRouter(revisions, port));
				routes.put(region.region() + "/" + name, router.url());
				say(region.region() + ": " + name + "'s route on " + router.url() + " (its revisions behind it, traffic split as its spec.traffic says;"
						+ " scaled from " + declared.minScale() + " to " + declared.maxScale() + " instances at " + declared.concurrency()
						+ " requests in flight each, down after " + declared.window().toSeconds() + " s)");
				port = Infrastructure.freePort();
			}
			functions.add(keep(new FunctionProcess(region.region(), name, port, jar(container.getImage()),
					environment.of(service, extra), options.state(), container.getReadinessProbe().getHttpGet().getPath())));
		}
		for (PingSource ping : region.all(PingSource.class)) {
			if (options.traffic() == StackOptions.Traffic.OFF && ping.getMetadata().getName().equals("generate-tick")) {
				say(region.region() + ": PingSource generate-tick left out (LOCAL_TRAFFIC=off)");
				continue;
			}
			pings.schedule(region.namespace(), ping, Topology.withPath(urls.get(ping.getSpec().getSink().getRef().getName()), ping.getSpec().getSink().getUri()));
		}
	}

	/** The region's resources without the sync Triggers to regions not running here (their summaries would only be dead-lettered). */
	private List<HasMetadata> withoutSyncToAbsentPeers(Manifests region) {
		return region.resources().stream().filter(resource -> {
			if (resource instanceof Trigger trigger && trigger.getSpec().getSubscriber().getUri() != null) {
				Matcher sync = SYNC_PATH.matcher(trigger.getSpec().getSubscriber().getUri());
				if (sync.matches() && !options.regions().contains(sync.group(1))) {
					say(region.region() + ": trigger " + trigger.getMetadata().getName() + " left out: " + sync.group(1) + " is not running here");
					return false;
				}
			}
			return true;
		}).toList();
	}

	StackOptions options() {
		return options;
	}

	Map<String, BrokerProcess> brokers() {
		return brokers;
	}

	/** Each region's redis-server. */
	Map<String, Infrastructure.Started> redis() {
		return redis;
	}

	KafkaNode kafka() {
		return kafka;
	}

	ZipkinProcess zipkin() {
		return zipkin;
	}

	Infrastructure.Started clickhouse() {
		return clickhouse;
	}

	List<FunctionProcess> functions() {
		return functions;
	}

	/** The Services run behind a route, by region/name. */
	Map<String, ServiceRevisions> routed() {
		return routed;
	}

	/** The address of a routed Service (its route), or null when it is not routed. */
	URI route(String region, String service) {
		return routes.get(region + "/" + service);
	}

	/**
	 * A new revision of a routed Service, as a changed template makes one in Knative: the first revision's jar and
	 * environment with {@code changes}, its own process and port; once ready it is the latest ready revision (which
	 * {@code latestRevision: true} follows) and Prometheus scrapes it.
	 */
	String newRevision(String region, String service, Map<String, String> changes) throws InterruptedException, IOException {
		ServiceRevisions revisions = routed.get(region + "/" + service);
		FunctionProcess first = function(region, service);
		FunctionProcess revision;
		synchronized (revisions) {
			revision = first.revision(revisions.nextRevisionName(), Infrastructure.freePort(), changes);
			say(revision.label() + ": new revision of " + region + "/" + service + " with " + changes.keySet() + " changed");
			functions.add(keep(revision));
			try {
				awaitReady(List.of(revision));
			}
			catch (IllegalStateException e) {
				functions.remove(revision);
				revision.close();
				throw e;
			}
			revisions.add(revision(revision));
		}
		if (prometheus != null) {
			prometheus.targets(functions);
		}
		return revision.revision();
	}

	/** A revision of a routed Service: its first instance {@code process}, more as its autoscaler wants them. */
	private ServiceRevisions.Revision revision(FunctionProcess process) {
		RevisionScaler scaler = new RevisionScaler(process.region() + "/" + process.revision(), scaling.get(process.region() + "/" + process.service()),
				new ScaledInstance(process, starting, () -> stopping), n -> {
					FunctionProcess another = process.instance(n, Infrastructure.freePort());
					functions.add(keep(another));
					return new ScaledInstance(another, starting, () -> stopping);
				}, this::scaled, System::nanoTime);
		return new ServiceRevisions.Revision(process.revision(), process.url(), scaler);
	}

	/** After an instance started or stopped: Prometheus scrapes what serves, stack.json says what runs. */
	private void scaled() {
		try {
			if (prometheus != null) {
				prometheus.targets(functions);
			}
			if (control != null) {
				control.write();
			}
		}
		catch (IOException e) {
			log.log(System.Logger.Level.WARNING, "after scaling: " + e.getMessage());
		}
	}

	FunctionProcess function(String region, String name) {
		return functions.stream().filter(f -> f.label().equals(region + "/" + name)).findFirst().orElse(null);
	}

	Dashboard dashboard() {
		return dashboard;
	}

	PrometheusServer prometheus() {
		return prometheus;
	}

	/** The regions' edge and sync credentials of this run. */
	Map<String, RegionCredentials> credentials() {
		return credentials;
	}

	/** The gateway in front, or null when it was not started. */
	Gateway gateway() {
		return gateway;
	}

	private Map<String, URI> urls(String function) {
		Map<String, URI> urls = new LinkedHashMap<>();
		for (String region : options.regions()) {
			urls.put(region, function(region, function).url());
		}
		return urls;
	}

	/** The jar of an image: {@code functions/<name>/target} for {@code .../<name>:<tag>}. */
	private Path jar(String image) throws IOException {
		String name = image.replaceAll(".*/", "").replaceAll(":.*", "");
		try (var files = Files.list(options.root().resolve("functions").resolve(name).resolve("target"))) {
			return files.filter(p -> p.getFileName().toString().matches(java.util.regex.Pattern.quote(name) + "-[0-9].*(?<!-plain)\\.jar"))
					.findFirst().orElseThrow(() -> new IllegalStateException("no jar of " + name + ": run make build"));
		}
	}

	private Path stackJar() throws IOException {
		try (var files = Files.list(options.root().resolve("local/stack/target"))) {
			return files.filter(p -> p.getFileName().toString().matches("local-stack-.*-exec\\.jar")).findFirst()
					.orElseThrow(() -> new IllegalStateException("no local-stack-*-exec.jar: run make build"));
		}
	}

	/**
	 * Starts the processes not started yet a few at a time (two per core: dozens of JVMs starting at once on a small
	 * machine spend their time competing, not starting) and waits until every one is ready.
	 */
	private void awaitReady(List<LocalProcess> functions) throws InterruptedException {
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(600);
		int startingAtOnce = Math.max(2, 2 * Runtime.getRuntime().availableProcessors());
		List<LocalProcess> waiting = new ArrayList<>(functions);
		while (!waiting.isEmpty()) {
			long starting = waiting.stream().filter(LocalProcess::started).count();
			for (LocalProcess next : waiting) {
				if (starting >= startingAtOnce) {
					break;
				}
				if (!next.started()) {
					next.begin();
					starting++;
				}
			}
			for (LocalProcess f : List.copyOf(waiting)) {
				if (!f.started()) {
					continue;
				}
				if (!f.alive()) {
					throw new IllegalStateException(f.label() + " exited; its log " + f.log() + " ends:\n" + f.lastLines());
				}
				if (f.ready()) {
					waiting.remove(f);
					say(f.label() + " ready on " + f.address() + " (" + (functions.size() - waiting.size()) + "/" + functions.size() + ")");
				}
			}
			if (System.nanoTime() > deadline) {
				throw new IllegalStateException("not ready after 600 s: " + waiting.stream().map(LocalProcess::label).toList());
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

	/** Stops the functions, brokers and gateway together, then Redis, Kafka, ClickHouse and Prometheus (which sees them go). */
	void stop() {
		stopping = true;
		say("stopping " + running.size() + " part(s)");
		autoscaling.shutdownNow();
		routed.values().forEach(ServiceRevisions::close); // no instance starts while the stack stops
		pings.close();
		List<AutoCloseable> all = new ArrayList<>(running);
		running.clear();
		closeTogether(all.stream().filter(r -> !infrastructure(r)).toList());
		closeTogether(all.stream().filter(LocalStack::infrastructure).toList());
		say("stopped (logs kept in " + options.state() + ")");
	}

	private static boolean infrastructure(AutoCloseable part) {
		return part instanceof Infrastructure.Started || part instanceof KafkaNode || part instanceof PrometheusServer || part instanceof RevisionRouter;
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

	static void say(String message) {
		System.out.println("[local] " + message);
		log.log(System.Logger.Level.INFO, message);
	}
}
