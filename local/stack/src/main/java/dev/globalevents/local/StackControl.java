package dev.globalevents.local;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.sun.net.httpserver.HttpExchange;

/**
 * The stack's description and control, on the live page's server (loopback only), the local counterpart of what
 * {@code kubectl get} and {@code kubectl delete pod} do in a cluster: {@code GET /api/stack} describes every part
 * (also written to {@code stack.json}); {@code POST /api/functions/<region>/<name>/kill} kills a function's process
 * without warning (SIGKILL, as a crashed pod); {@code POST .../start} starts it again with the same port and
 * environment.
 */
final class StackControl {

	static final String PATH = "/api/";
	private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
	private static final Pattern FUNCTION = Pattern.compile("/api/functions/([a-z-]+)/([a-z-]+)/(kill|start)");

	private final LocalStack stack;

	StackControl(LocalStack stack) {
		this.stack = stack;
	}

	Map<String, Object> describe() {
		Map<String, Object> description = new LinkedHashMap<>();
		description.put("pid", ProcessHandle.current().pid());
		description.put("state", stack.options().state().toString());
		description.put("traffic", stack.options().traffic().label());
		description.put("dashboard", stack.dashboard().url().toString());
		description.put("gateway", stack.gateway() == null ? null : stack.gateway().url().toString());
		description.put("keys", Map.of("producer", Gateway.LOCAL_KEY, "admin", Gateway.ADMIN_KEY));
		description.put("clickhouse", "http://127.0.0.1:" + stack.clickhousePort() + "/");
		Map<String, Object> regions = new LinkedHashMap<>();
		stack.brokers().forEach((region, broker) -> {
			Map<String, Object> functions = new LinkedHashMap<>();
			for (FunctionProcess f : stack.functions()) {
				if (f.label().startsWith(region + "/")) {
					functions.put(f.label().substring(region.length() + 1),
							Map.of("url", f.url().toString(), "pid", f.pid(), "log", f.log().toString()));
				}
			}
			Map<String, String> triggers = new LinkedHashMap<>();
			broker.routes().forEach(route -> triggers.put(route.name(), route.subscriber().toString()));
			regions.put(region, Map.of("broker", broker.ingress().toString(), "triggers", triggers,
					"redis", "redis://127.0.0.1:" + stack.redisPorts().get(region), "functions", functions));
		});
		description.put("regions", regions);
		return description;
	}

	/** Writes the description atomically, so a reader never sees half of it. */
	void write(Path file) throws IOException {
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
		Matcher function = FUNCTION.matcher(path);
		if (!function.matches() || !exchange.getRequestMethod().equals("POST")) {
			Dashboard.problem(exchange, 404, "not-found", "No such control: " + exchange.getRequestMethod() + " " + path);
			return;
		}
		FunctionProcess process = stack.function(function.group(1), function.group(2));
		if (process == null) {
			Dashboard.problem(exchange, 404, "not-found", "No function " + function.group(2) + " in region " + function.group(1));
			return;
		}
		try {
			if (function.group(3).equals("kill")) {
				process.kill();
			}
			else if (!process.alive()) {
				process.restart();
			}
		}
		catch (InterruptedException e) {
			Thread.currentThread().interrupt();
		}
		System.out.println("[local] " + process.label() + ": " + function.group(3) + " (pid " + process.pid() + ", alive " + process.alive() + ")");
		Dashboard.respond(exchange, 200, "application/json",
				JSON.writeValueAsBytes(Map.of("function", process.label(), "pid", process.pid(), "alive", process.alive())));
	}
}
