package dev.globalevents.export;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.globalevents.events.Json;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Flattens a Metrics document (sample or window) into table rows by one rule, applied both to documents and to
 * {@code metrics.schema.json}, so the table definitions can be checked against the schema:
 * <ul>
 * <li>the document makes one row (a window's totals): top-level fields keep their names, fields of {@code metrics}
 * and {@code tags} keep theirs, fields of other objects ({@code window}, {@code latency}) are prefixed with the
 * object's name ({@code window_start}, {@code latency_p99}); its {@code event_type} is {@code ''};</li>
 * <li>a top-level array of objects ({@code types}) is no column: each of its entries makes one more row, the
 * document's row with the entry's fields flattened the same way in place of the columns of the same name
 * ({@code event_type}, {@code event_count}, {@code error_rate}, {@code processing_time}, {@code latency_p50} …) and
 * {@code id} {@code <CloudEvent id>/<event_type>};</li>
 * <li>every row also carries {@code kind} ({@code sample} or {@code window}) and the CloudEvent's {@code source}
 * and {@code id}, which identify it (a re-delivered row has the same id, so the store can collapse it).</li>
 * </ul>
 * So {@code event_type = ''} selects the totals (and the samples); {@code event_type = 'order.created'} one type.
 */
final class MetricsRows {

	/** Columns that are not in the Metrics model: where the row came from. */
	static final List<String> ENVELOPE_COLUMNS = List.of("kind", "source", "id");

	/** The column naming the event type of a per-type row; {@code ''} on totals and samples. */
	static final String EVENT_TYPE = "event_type";

	private MetricsRows() {
	}

	static String column(String parent, String leaf) {
		return parent == null || parent.equals("metrics") || parent.equals("tags") ? leaf : parent + "_" + leaf;
	}

	/** The rows of one Metrics document: its own row, then one per entry of its arrays ({@code types}). */
	static List<ObjectNode> rows(JsonNode metrics, String kind, String source, String id) {
		ObjectNode total = Json.MAPPER.createObjectNode();
		List<JsonNode> entries = new ArrayList<>();
		for (Map.Entry<String, JsonNode> field : metrics.properties()) {
			if (field.getValue().isArray()) {
				field.getValue().forEach(entries::add);
			}
			else {
				flatten(total, field.getKey(), field.getValue());
			}
		}
		total.put(EVENT_TYPE, "");
		total.put("kind", kind);
		total.put("source", source);
		total.put("id", id);
		List<ObjectNode> rows = new ArrayList<>(1 + entries.size());
		rows.add(total);
		for (JsonNode entry : entries) {
			ObjectNode row = total.deepCopy();
			for (Map.Entry<String, JsonNode> field : entry.properties()) {
				flatten(row, field.getKey(), field.getValue());
			}
			row.put("id", id + "/" + entry.path(EVENT_TYPE).asString(""));
			rows.add(row);
		}
		return rows;
	}

	private static void flatten(ObjectNode row, String name, JsonNode value) {
		if (value.isObject()) {
			for (Map.Entry<String, JsonNode> leaf : value.properties()) {
				row.set(column(name, leaf.getKey()), leaf.getValue());
			}
		}
		else {
			row.set(name, value);
		}
	}

	/**
	 * The columns the Metrics schema implies, in schema order (an array's item fields where the array is, each
	 * column once), then the envelope columns.
	 */
	static List<String> columns(JsonNode schema) {
		Set<String> columns = new LinkedHashSet<>();
		for (Map.Entry<String, JsonNode> field : schema.get("properties").properties()) {
			JsonNode definition = resolve(schema, field.getValue());
			if ("array".equals(definition.path("type").asString(""))) {
				for (Map.Entry<String, JsonNode> item : resolve(schema, definition.get("items")).get("properties").properties()) {
					columns(schema, item.getKey(), item.getValue(), columns);
				}
			}
			else {
				columns(schema, field.getKey(), definition, columns);
			}
		}
		columns.addAll(ENVELOPE_COLUMNS);
		return List.copyOf(columns);
	}

	private static void columns(JsonNode schema, String name, JsonNode definition, Set<String> columns) {
		JsonNode nested = resolve(schema, definition).get("properties");
		if (nested != null) {
			nested.propertyNames().forEach(leaf -> columns.add(column(name, leaf)));
		}
		else {
			columns.add(name);
		}
	}

	/** A definition, or the one its local {@code $ref} ({@code #/properties/latency}) points to. */
	private static JsonNode resolve(JsonNode schema, JsonNode definition) {
		String ref = definition.path("$ref").asString("");
		return ref.startsWith("#") ? resolve(schema, schema.at(ref.substring(1))) : definition;
	}
}
