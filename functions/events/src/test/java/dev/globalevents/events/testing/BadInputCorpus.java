package dev.globalevents.events.testing;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.globalevents.events.Json;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The bad-input corpus ({@code bad-input/corpus.json}): every way a request can be wrong, each with how validate
 * must answer it and what the gateway does. The same cases run against validate directly and against the gateway
 * (with a key), as raw bytes ({@link RawHttp}), so header bytes no client library would send can be tried too.
 */
public final class BadInputCorpus {

	private static final JsonNode CORPUS = TestEvents.load("bad-input/corpus.json");
	private static final String ORDER = "{\"order_id\":\"o-1\",\"customer_id\":\"c-1\",\"amount\":12.5,\"currency\":\"EUR\",\"items\":1}";

	private BadInputCorpus() {
	}

	/**
	 * One case.
	 *
	 * @param gatewayStatus  the status the gateway must answer, or 0 for any 4xx with a problem
	 * @param gatewayRuntime when Zuplo's runtime answers before any gateway code: what it answers (else null)
	 */
	public record Case(String name, String mode, JsonNode spec, int validateStatus, String validateCode, int gatewayStatus,
			String gatewayRuntime) {

		/** The request for an entry point: its path (batches go to {@code batchPath}) and headers of its own. */
		public RawHttp.Request request(String host, int port, String path, String batchPath, Map<String, String> entryHeaders) {
			String region = "us-east";
			Map<String, String> headers = new LinkedHashMap<>();
			byte[] body;
			ObjectNode envelope = envelope(region);
			switch (mode) {
				case "binary" -> {
					envelope.properties().forEach(e -> {
						if (!e.getKey().equals("data") && !e.getKey().equals("datacontenttype")) {
							headers.put("ce-" + e.getKey(), e.getValue().asString());
						}
					});
					headers.put("content-type", "application/json");
					body = spec.has("body") ? body(spec.get("body"), region) : ORDER.getBytes(StandardCharsets.UTF_8);
				}
				case "structured" -> {
					headers.put("content-type", "application/cloudevents+json");
					spec.path("event").properties().forEach(e -> {
						if (e.getValue().isNull()) {
							envelope.remove(e.getKey());
						}
						else {
							envelope.set(e.getKey(), e.getValue());
						}
					});
					body = spec.has("body") ? body(spec.get("body"), region) : Json.MAPPER.writeValueAsBytes(envelope);
				}
				case "batch" -> {
					headers.put("content-type", "application/cloudevents-batch+json");
					body = body(spec.get("body"), region);
				}
				default -> throw new IllegalArgumentException("mode " + mode);
			}
			spec.path("headers").properties().forEach(e -> {
				headers.remove(e.getKey().toLowerCase(java.util.Locale.ROOT));
				if (!e.getValue().isNull()) {
					headers.put(e.getKey(), e.getValue().asString());
				}
			});
			headers.putAll(entryHeaders);
			headers.put("host", host + ":" + port);
			headers.put("connection", "close");
			List<byte[]> lines = new ArrayList<>();
			headers.forEach((name, value) -> lines.add((name + ": " + value).getBytes(StandardCharsets.UTF_8)));
			spec.path("raw_header_lines").forEach(line -> lines.add(text(line).getBytes(StandardCharsets.ISO_8859_1)));
			if (spec.has("chunked")) {
				lines.add("transfer-encoding: chunked".getBytes(StandardCharsets.ISO_8859_1));
				body = spec.get("chunked").asString().getBytes(StandardCharsets.ISO_8859_1);
			}
			else {
				String length = spec.has("content_length") ? spec.get("content_length").asString() : Integer.toString(body.length);
				lines.add(("content-length: " + length).getBytes(StandardCharsets.ISO_8859_1));
			}
			String target = (mode.equals("batch") ? batchPath : path) + (spec.has("query") ? text(spec.get("query")) : "");
			return new RawHttp.Request(spec.path("method").asString("POST"), target, lines, body);
		}

		@Override
		public String toString() {
			return name;
		}
	}

	public static List<Case> cases() {
		List<Case> cases = new ArrayList<>();
		for (JsonNode c : CORPUS.get("cases")) {
			JsonNode gateway = c.path("gateway");
			cases.add(new Case(c.get("name").asString(), c.get("mode").asString(), c, c.at("/validate/status").asInt(),
					c.at("/validate/code").asString(), gateway.path("status").asInt(0),
					gateway.has("runtime") ? gateway.get("runtime").asString() : null));
		}
		return cases;
	}

	static ObjectNode envelope(String region) {
		ObjectNode envelope = Json.MAPPER.createObjectNode();
		envelope.put("specversion", "1.0");
		envelope.put("id", UUID.randomUUID().toString());
		envelope.put("source", "/regions/" + region + "/instances/corpus");
		envelope.put("type", "order.created");
		envelope.put("time", Instant.now().toString());
		envelope.put("datacontenttype", "application/json");
		envelope.set("data", Json.MAPPER.readTree(ORDER));
		return envelope;
	}

	/** A body: a string, {repeat, times, prefix, suffix}, {latin1} (raw bytes), {batch: [overrides]} or {batch_event}. */
	static byte[] body(JsonNode spec, String region) {
		if (spec.isString()) {
			return spec.asString().getBytes(StandardCharsets.UTF_8);
		}
		if (spec.has("latin1")) {
			return spec.get("latin1").asString().getBytes(StandardCharsets.ISO_8859_1);
		}
		if (spec.has("batch")) {
			ArrayNode batch = Json.MAPPER.createArrayNode();
			for (JsonNode overrides : spec.get("batch")) {
				ObjectNode event = envelope(region);
				overrides.properties().forEach(e -> event.set(e.getKey(), e.getValue()));
				batch.add(event);
			}
			return Json.MAPPER.writeValueAsBytes(batch);
		}
		if (spec.has("batch_event")) {
			return Json.MAPPER.writeValueAsBytes(envelope(region));
		}
		return text(spec).getBytes(StandardCharsets.UTF_8);
	}

	/** A string, or {repeat, times, prefix, suffix}. */
	static String text(JsonNode spec) {
		if (spec.isString()) {
			return spec.asString();
		}
		return spec.path("prefix").asString("") + spec.get("repeat").asString().repeat(spec.get("times").asInt()) + spec.path("suffix").asString("");
	}
}
