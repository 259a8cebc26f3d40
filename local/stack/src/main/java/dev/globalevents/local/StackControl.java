package dev.globalevents.local;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.sun.net.httpserver.HttpExchange;
import dev.globalevents.local.broker.KafkaNode;
import dev.globalevents.local.serving.ServiceRevisions;

/**
 * The stack's description and control, on the live page's server (loopback only), the local counterpart of what
 * {@code kubectl get} and {@code kubectl delete pod} do in a cluster: {@code GET /api/stack} describes every part
 * (also written to {@code stack.json}, rewritten after every control); {@code POST /api/functions/<region>/<name>/kill},
 * {@code POST /api/brokers/<region>/kill} and {@code POST /api/kafka/kill} kill a process without warning (SIGKILL,
 * as a crashed pod); {@code .../start} starts it again with the same port, environment and (Kafka) log.
 * {@code POST /api/redis/<region>/stop} and {@code POST /api/clickhouse/stop} stop a server as a pod's graceful
 * termination does (SIGTERM: Redis writes its AOF), {@code .../kill} without warning, {@code .../start} starts it on
 * the same port and data directory. {@code POST /api/regions/<region>/kill} takes a whole region down, as a cluster
 * that fails: its functions and broker are killed (SIGKILL) and its Redis stopped (SIGTERM, its AOF written; the one
 * local Kafka node serves every region and stays up); {@code .../start} starts Redis, the broker and the functions
 * again. {@code POST /api/gateway/stop|kill|start}: the gateway (SIGTERM or SIGKILL of zuplo dev and its runtime;
 * start: the same port and configuration, answered once it is healthy). {@code GET}/{@code PATCH /api/services/<region>/<name>} and {@code POST .../revisions}: a routed Service's
 * revisions and traffic split ({@link #service}).
 */
final class StackControl {

	static final String PATH = "/api/";
	private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
	private static final Pattern CONTROL = Pattern.compile("/api/(?:functions/([a-z-]+)/([a-z0-9-]+)|brokers/([a-z-]+)|kafka)/(kill|start)");
	private static final Pattern SERVICE = Pattern.compile("/api/services/([a-z-]+)/([a-z0-9-]+)(/revisions)?");
	private static final Pattern REGION = Pattern.compile("/api/regions/([a-z-]+)/(kill|start)");
	private static final Pattern SERVER = Pattern.compile("/api/(?:redis/([a-z-]+)|clickhouse)/(kill|stop|start)");
	private static final Pattern GATEWAY = Pattern.compile("/api/gateway/(kill|stop|start)");

	private final LocalStack stack;
	private final Path file;

	StackControl(LocalStack stack, Path file) {
		this.stack = stack;
		this.file = file;
	}

	Map<String, Object> describe() {
		Map<String, Object> description = new LinkedHashMap<>();
		description.put("pid", ProcessHandle.current().pid());
		description.put("state", stack.options().state().toString());
		description.put("traffic", stack.options().traffic().label());
		description.put("dashboard", stack.dashboard().url().toString());
		description.put("gateway", stack.gateway() == null ? null : stack.gateway().url().toString());
		Map<String, String> pinned = new java.util.LinkedHashMap<>();
		stack.options().regions().forEach(region -> pinned.put(region, Gateway.pinnedLoadKey(region)));
		description.put("keys", Map.of("producer", Gateway.LOCAL_KEY, "admin", Gateway.ADMIN_KEY, "load", Gateway.LOAD_KEY, "load_pinned", pinned));
		description.put("clickhouse", "http://127.0.0.1:" + stack.clickhouse().port() + "/");
		description.put("prometheus", stack.prometheus().url().toString());
		description.put("zipkin", Map.of("url", stack.zipkin().url().toString(), "ui", stack.zipkin().ui().toString(),
				"sampling", stack.options().traceSampling()));
		KafkaNode kafka = stack.kafka();
		description.put("kafka", Map.of("bootstrap", kafka.bootstrapServers(), "pid", kafka.pid(), "log", kafka.log().toString()));
		Map<String, Object> regions = new LinkedHashMap<>();
		stack.brokers().forEach((region, broker) -> {
			Map<String, Object> functions = new LinkedHashMap<>();
			for (FunctionProcess f : stack.functions()) {
				if (f.label().startsWith(region + "/")) {
					if (!f.started()) {
						continue; // an instance its scaler made and has not started yet
					}
					functions.put(f.label().substring(region.length() + 1), Map.of("url", f.url().toString(), "ready", f.readiness().toString(),
							"pid", f.pid(), "log", f.log().toString(), "service", f.service(), "revision", f.revision(), "serving", f.serving()));
				}
			}
			Map<String, Object> triggers = new LinkedHashMap<>();
			broker.contract().routes().forEach(route -> triggers.put(route.name(), Map.of("subscriber", route.subscriber().toString(),
					"group", broker.contract().group(route), "ordered", route.ordered())));
			Map<String, Object> brokerDescription = new LinkedHashMap<>();
			brokerDescription.put("url", broker.ingress().toString());
			brokerDescription.put("stats", broker.address().resolve("/stats").toString());
			brokerDescription.put("pid", broker.pid());
			brokerDescription.put("log", broker.log().toString());
			brokerDescription.put("topic", broker.contract().topic());
			brokerDescription.put("partitions", broker.contract().partitions());
			Map<String, Object> services = new LinkedHashMap<>();
			stack.routed().forEach((key, service) -> {
				if (key.startsWith(region + "/")) {
					Map<String, Object> described = new LinkedHashMap<>(Map.of("url", stack.route(region, service.name()).toString()));
					described.putAll(service.describe());
					services.put(service.name(), described);
				}
			});
			regions.put(region, Map.of("broker", broker.ingress().toString(), "broker_process", brokerDescription, "triggers", triggers,
					"redis", "redis://127.0.0.1:" + stack.redis().get(region).port(), "functions", functions, "services", services));
		});
		description.put("regions", regions);
		return description;
	}

	/** Writes the description atomically, so a reader never sees half of it. */
	void write() throws IOException {
		Path partial = file.resolveSibling(file.getFileName() + ".partial");
		JSON.writeValue(partial.toFile(), describe());
		Files.move(partial, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
	}

	void handle(HttpExchange exchange) throws IOException {
		String path = exchange.getRequestURI().getPath();
		if (path.equals("/api/stack") && exchange.getRequestMethod().equals("GET")) {
			Dashboard.respond(exchange, 200, "application/json", JSON.writeValueAsBytes(describe()));
			return;
		}
		Matcher service = SERVICE.matcher(path);
		if (service.matches()) {
			service(exchange, service.group(1), service.group(2), service.group(3) != null);
			return;
		}
		Matcher region = REGION.matcher(path);
		if (region.matches() && exchange.getRequestMethod().equals("POST")) {
			String name = region.group(1);
			if (!stack.brokers().containsKey(name)) {
				Dashboard.problem(exchange, 404, "not-found", "No such region: " + path);
				return;
			}
			control(exchange, path, region.group(2), () -> region(name, region.group(2).equals("kill")));
			return;
		}
		Matcher gateway = GATEWAY.matcher(path);
		if (gateway.matches() && exchange.getRequestMethod().equals("POST") && stack.gateway() != null) {
			Gateway target = stack.gateway();
			control(exchange, path, gateway.group(1), () -> {
				switch (gateway.group(1)) {
					case "kill" -> target.kill();
					case "stop" -> target.close();
					default -> {
						if (!target.alive()) {
							try {
								target.start();
							}
							catch (IOException e) {
								throw new java.io.UncheckedIOException(e);
							}
						}
					}
				}
				return Map.of("process", "gateway", "pid", target.pid(), "alive", target.alive());
			});
			return;
		}
		Matcher server = SERVER.matcher(path);
		if (server.matches() && exchange.getRequestMethod().equals("POST")) {
			Infrastructure.Started target = server.group(1) == null ? stack.clickhouse() : stack.redis().get(server.group(1));
			if (target == null) {
				Dashboard.problem(exchange, 404, "not-found", "No such server: " + path);
				return;
			}
			control(exchange, path, server.group(2), () -> {
				switch (server.group(2)) {
					case "kill" -> target.kill();
					case "stop" -> target.stop();
					default -> target.start();
				}
				return Map.of("process", target.name(), "pid", target.pid(), "alive", target.alive());
			});
			return;
		}
		Matcher control = CONTROL.matcher(path);
		if (!control.matches() || !exchange.getRequestMethod().equals("POST")) {
			Dashboard.problem(exchange, 404, "not-found", "No such control: " + exchange.getRequestMethod() + " " + path);
			return;
		}
		boolean kill = control.group(4).equals("kill");
		if (control.group(1) != null || control.group(3) != null) {
			LocalProcess process = control.group(1) != null ? stack.function(control.group(1), control.group(2)) : stack.brokers().get(control.group(3));
			if (process == null) {
				Dashboard.problem(exchange, 404, "not-found", "No such process: " + path);
				return;
			}
			control(exchange, path, control.group(4), () -> {
				if (kill) {
					process.kill();
				}
				else if (!process.alive()) {
					process.restart();
				}
				return Map.of("process", process.label(), "pid", process.pid(), "alive", process.alive());
			});
			return;
		}
		control(exchange, path, control.group(4), () -> {
			KafkaNode kafka = stack.kafka();
			if (kill) {
				kafka.kill();
			}
			else {
				kafka.start();
			}
			return Map.of("process", "kafka", "pid", kafka.pid(), "alive", kafka.alive());
		});
	}

	/**
	 * A routed Service, the local counterpart of {@code kubectl get ksvc -o json} (GET), {@code kubectl patch ksvc
	 * --type merge -p '{"spec":{"traffic":[…]}}'} (PATCH, the same body) and of applying a changed template
	 * (POST .../revisions with {@code {"env":{"NAME":"value"}}}: a new revision, answered once ready).
	 */
	private void service(HttpExchange exchange, String region, String name, boolean revisions) throws IOException {
		ServiceRevisions service = stack.routed().get(region + "/" + name);
		if (service == null) {
			Dashboard.problem(exchange, 404, "not-found", "No routed Service " + region + "/" + name
					+ ": the local stack routes the Services LOCAL_REVISIONS names (" + stack.options().revisions() + ")");
			return;
		}
		String method = exchange.getRequestMethod();
		try {
			if (!revisions && method.equals("GET")) {
				Dashboard.respond(exchange, 200, "application/json", JSON.writeValueAsBytes(service.describe()));
			}
			else if (!revisions && method.equals("PATCH")) {
				service.patch(JSON.readTree(exchange.getRequestBody()));
				write();
				System.out.println("[local] " + region + "/" + name + ": traffic " + JSON.writeValueAsString(service.describe().get("spec")).replaceAll("\\s+", ""));
				Dashboard.respond(exchange, 200, "application/json", JSON.writeValueAsBytes(service.describe()));
			}
			else if (revisions && method.equals("POST")) {
				Map<String, String> env = new LinkedHashMap<>();
				JSON.readTree(exchange.getRequestBody()).path("env").properties().forEach(e -> env.put(e.getKey(), e.getValue().asText()));
				String revision = stack.newRevision(region, name, env);
				write();
				Dashboard.respond(exchange, 201, "application/json", JSON.writeValueAsBytes(Map.of("revision", revision, "service", service.describe())));
			}
			else {
				Dashboard.problem(exchange, 405, "method-not-allowed", method + " " + exchange.getRequestURI().getPath()
						+ ": GET or PATCH a Service, POST its revisions");
			}
		}
		catch (IllegalArgumentException | com.fasterxml.jackson.core.JacksonException e) {
			Dashboard.problem(exchange, 400, "invalid-service-change", e.getMessage());
		}
		catch (IllegalStateException e) {
			Dashboard.problem(exchange, 500, "revision-failed", e.getMessage());
		}
		catch (InterruptedException e) {
			Thread.currentThread().interrupt();
			Dashboard.problem(exchange, 503, "interrupted", "The stack is stopping");
		}
	}

	private Map<String, Object> region(String name, boolean kill) throws InterruptedException {
		List<LocalProcess> processes = new java.util.ArrayList<>(List.of(stack.brokers().get(name)));
		stack.functions().stream().filter(f -> f.label().startsWith(name + "/")).forEach(processes::add);
		Infrastructure.Started redis = stack.redis().get(name);
		if (kill) {
			for (LocalProcess process : processes) {
				process.kill();
			}
			redis.stop();
		}
		else {
			redis.start();
			processes.stream().filter(p -> !p.alive()).forEach(LocalProcess::restart);
		}
		boolean alive = processes.stream().allMatch(LocalProcess::alive) && redis.alive();
		return Map.of("process", "region " + name + " (" + processes.size() + " processes and redis)", "pid", -1, "alive", alive);
	}

	/** One control: runs it, rewrites stack.json, logs and answers what it did. */
	private void control(HttpExchange exchange, String path, String verb, Action action) throws IOException {
		Map<String, Object> result;
		try {
			result = action.run();
		}
		catch (InterruptedException e) {
			Thread.currentThread().interrupt();
			Dashboard.problem(exchange, 503, "interrupted", "The stack is stopping");
			return;
		}
		catch (RuntimeException e) {
			Dashboard.problem(exchange, 500, "control-failed", path + " failed: " + e.getMessage());
			return;
		}
		write();
		System.out.println("[local] " + result.get("process") + ": " + verb + " (pid " + result.get("pid") + ", alive " + result.get("alive") + ")");
		Dashboard.respond(exchange, 200, "application/json", JSON.writeValueAsBytes(result));
	}

	private interface Action {
		Map<String, Object> run() throws InterruptedException;
	}
}
