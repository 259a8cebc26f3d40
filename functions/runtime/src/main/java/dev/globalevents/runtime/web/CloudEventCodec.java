package dev.globalevents.runtime.web;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import dev.globalevents.events.CloudEventAttributes;
import dev.globalevents.events.Json;
import org.springframework.messaging.Message;
import org.springframework.messaging.MessageHeaders;
import org.springframework.messaging.support.MessageBuilder;
import tools.jackson.core.JacksonException;
import tools.jackson.core.exc.StreamConstraintsException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Reads CloudEvents from HTTP requests in the three content modes of the CloudEvents HTTP binding (binary,
 * structured, batch) into Spring messages with canonical {@code ce-} headers, the shape Spring Cloud Function's
 * CloudEvent support uses, and writes replies back. Only JSON data is accepted.
 */
public final class CloudEventCodec {

	public static final String STRUCTURED = "application/cloudevents+json";
	public static final String BATCH = "application/cloudevents-batch+json";
	/** Message header with the size in bytes of a binary-mode body, so the data need not be serialized to measure it. */
	public static final String DATA_LENGTH_HEADER = "datalength";
	private static final String PREFIX = CloudEventAttributes.HEADER_PREFIX;
	private static final Set<String> INTEGER_EXTENSIONS = Set.of(CloudEventAttributes.PRIORITY);

	private CloudEventCodec() {
	}

	/** The decoded request: one event, or the entries of a batch. */
	public record Inbound(List<Message<JsonNode>> events, boolean batch) {
	}

	/**
	 * Decodes a request.
	 * @param contentType the Content-Type header, or null
	 * @param ceHeaders   the request's {@code ce-*} headers, names lower-cased, first values
	 * @param body        the request body
	 * @throws CloudEventDecodingException with the problem to answer
	 */
	public static Inbound decode(String contentType, Map<String, String> ceHeaders, byte[] body) {
		String mediaType = contentType == null ? "" : contentType.toLowerCase(Locale.ROOT).split(";", 2)[0].trim();
		if (mediaType.equals(BATCH)) {
			JsonNode array = parse(body, "batch body");
			if (!array.isArray()) {
				throw invalid("batch-not-array", "A batch must be a JSON array of CloudEvents");
			}
			if (array.isEmpty()) {
				throw invalid("batch-empty", "A batch must hold at least one CloudEvent");
			}
			List<Message<JsonNode>> events = new ArrayList<>(array.size());
			for (int i = 0; i < array.size(); i++) {
				JsonNode entry = array.get(i);
				if (!entry.isObject()) {
					throw invalid("batch-entry-not-object", "Batch entry " + i + " is not a JSON object");
				}
				events.add(structured((ObjectNode) entry, "batch entry " + i + ": "));
			}
			return new Inbound(events, true);
		}
		if (mediaType.startsWith("application/cloudevents")) {
			if (!mediaType.equals(STRUCTURED)) {
				throw new CloudEventDecodingException(415, "unsupported-format", "Unsupported event format",
						"Only the JSON event format (" + STRUCTURED + ") is supported, not " + mediaType);
			}
			JsonNode envelope = parse(body, "structured CloudEvent");
			if (!envelope.isObject()) {
				throw invalid("not-an-object", "A structured CloudEvent must be a JSON object");
			}
			return new Inbound(List.of(structured((ObjectNode) envelope, "")), false);
		}
		return new Inbound(List.of(binary(mediaType, contentType, ceHeaders, body)), false);
	}

	private static Message<JsonNode> binary(String mediaType, String contentType, Map<String, String> ceHeaders, byte[] body) {
		if (!ceHeaders.containsKey(PREFIX + CloudEventAttributes.SPECVERSION)) {
			throw invalid("not-a-cloudevent", "Not a CloudEvent: send ce-specversion, ce-id, ce-source and ce-type headers "
					+ "(binary mode) or Content-Type " + STRUCTURED + " (structured mode)");
		}
		if (mediaType.isEmpty()) {
			throw new CloudEventDecodingException(415, "content-type-missing", "Content-Type required",
					"A binary-mode CloudEvent needs Content-Type application/json for its data");
		}
		if (!isJson(mediaType)) {
			throw new CloudEventDecodingException(415, "unsupported-data", "Unsupported data content type",
					"Only JSON data is accepted, not " + mediaType);
		}
		if (body.length == 0) {
			throw invalid("data-missing", "The event has no data: the body must be a JSON object");
		}
		MessageBuilder<JsonNode> message = MessageBuilder.withPayload(parse(body, "data"));
		ceHeaders.forEach((name, value) -> message.setHeader(name, percentDecode(value)));
		message.setHeader(MessageHeaders.CONTENT_TYPE, contentType);
		message.setHeader(DATA_LENGTH_HEADER, body.length);
		return message.build();
	}

	private static Message<JsonNode> structured(ObjectNode envelope, String where) {
		if (envelope.has(CloudEventAttributes.DATA_BASE64)) {
			throw invalid("data-base64", where + "binary data (data_base64) is not accepted; send JSON data");
		}
		JsonNode data = envelope.get(CloudEventAttributes.DATA);
		if (data == null || data.isNull()) {
			throw invalid("data-missing", where + "the event has no data: data must be a JSON object");
		}
		MessageBuilder<JsonNode> message = MessageBuilder.withPayload(data);
		for (Map.Entry<String, JsonNode> attribute : envelope.properties()) {
			String name = attribute.getKey();
			if (!name.equals(CloudEventAttributes.DATA)) { // names kept as sent: the contract refuses upper case
				JsonNode value = attribute.getValue();
				// an integer attribute sent as a JSON string stays a string here, so the contract refuses it as the
				// gateway does (binary mode's header strings are converted instead: HTTP has no numbers)
				message.setHeader(PREFIX + name, INTEGER_EXTENSIONS.contains(name) && value.isString() ? value : headerValue(value));
			}
		}
		JsonNode dataContentType = envelope.get(CloudEventAttributes.DATACONTENTTYPE);
		message.setHeader(MessageHeaders.CONTENT_TYPE,
				dataContentType != null && dataContentType.isString() ? dataContentType.asString() : "application/json");
		return message.build();
	}

	/** The structured-mode envelope of a message: its {@code ce-} headers as attributes, and its payload as data. */
	public static ObjectNode envelope(Message<?> message) {
		ObjectNode envelope = Json.MAPPER.createObjectNode();
		message.getHeaders().forEach((name, value) -> {
			if (name.startsWith(PREFIX)) {
				String attribute = name.substring(PREFIX.length());
				envelope.set(attribute, attributeNode(attribute, value));
			}
		});
		envelope.set(CloudEventAttributes.DATA, Json.MAPPER.valueToTree(message.getPayload()));
		return envelope;
	}

	/** The binary-mode headers of a reply: {@code ce-} attributes, percent-encoded as the HTTP binding requires. */
	public static Map<String, String> replyHeaders(Message<?> message) {
		Map<String, String> headers = new LinkedHashMap<>();
		message.getHeaders().forEach((name, value) -> {
			if (name.startsWith(PREFIX) && value != null) {
				headers.put(name, percentEncode(String.valueOf(value)));
			}
		});
		return headers;
	}

	public static byte[] replyBody(Message<?> message) {
		return Json.MAPPER.writeValueAsBytes(message.getPayload());
	}

	public static byte[] batchBody(List<Message<?>> messages) {
		List<ObjectNode> envelopes = new ArrayList<>(messages.size());
		messages.forEach(m -> envelopes.add(envelope(m)));
		return Json.MAPPER.writeValueAsBytes(envelopes);
	}

	private static JsonNode attributeNode(String attribute, Object value) {
		if (value instanceof JsonNode node) {
			return node;
		}
		if (value instanceof String text && INTEGER_EXTENSIONS.contains(attribute) && text.matches("-?\\d{1,9}")) {
			return Json.MAPPER.getNodeFactory().numberNode(Integer.parseInt(text));
		}
		return Json.MAPPER.valueToTree(value);
	}

	private static Object headerValue(JsonNode value) {
		if (value.isString()) {
			return value.asString();
		}
		if (value.isInt()) {
			return value.intValue();
		}
		return value;
	}

	private static boolean isJson(String mediaType) {
		return mediaType.equals("application/json") || mediaType.endsWith("+json") || mediaType.equals("text/json");
	}

	private static JsonNode parse(byte[] body, String what) {
		try {
			return Json.MAPPER.readTree(body);
		}
		catch (StreamConstraintsException e) {
			throw invalid("limit-exceeded", what + " exceeds a limit: " + firstLine(e.getOriginalMessage()));
		}
		catch (JacksonException e) {
			throw invalid("malformed-json", what + " is not valid JSON: " + firstLine(e.getOriginalMessage()));
		}
	}

	private static String firstLine(String message) {
		String text = message == null ? "unreadable" : message;
		int newline = text.indexOf('\n');
		return newline < 0 ? text : text.substring(0, newline);
	}

	private static CloudEventDecodingException invalid(String code, String detail) {
		return new CloudEventDecodingException(400, code, "Not a valid CloudEvent", detail);
	}

	static String percentDecode(String value) {
		if (value.indexOf('%') < 0) {
			return value;
		}
		ByteArrayOutputStream out = new ByteArrayOutputStream(value.length());
		for (int i = 0; i < value.length(); i++) {
			char c = value.charAt(i);
			if (c == '%' && i + 2 < value.length()
					&& Character.digit(value.charAt(i + 1), 16) >= 0 && Character.digit(value.charAt(i + 2), 16) >= 0) {
				out.write(Integer.parseInt(value.substring(i + 1, i + 3), 16));
				i += 2;
			}
			else {
				out.writeBytes(String.valueOf(c).getBytes(StandardCharsets.UTF_8));
			}
		}
		return out.toString(StandardCharsets.UTF_8);
	}

	static String percentEncode(String value) {
		StringBuilder out = null;
		byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
		for (int i = 0; i < bytes.length; i++) {
			int b = bytes[i] & 0xff;
			boolean plain = b > 0x20 && b < 0x7f && b != '"' && b != '%';
			if (!plain && out == null) {
				out = new StringBuilder(new String(bytes, 0, i, StandardCharsets.US_ASCII));
			}
			if (out != null) {
				out.append(plain ? String.valueOf((char) b) : String.format("%%%02X", b));
			}
		}
		return out == null ? value : out.toString();
	}
}
