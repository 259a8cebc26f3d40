package dev.globalevents.export;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.globalevents.events.Json;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Flattens a Metrics document (sample or window) into one table row by one rule, applied both to documents and to
 * {@code metrics.schema.json}, so the table definitions can be checked against the schema: top-level fields keep
 * their names, fields of {@code metrics} and {@code tags} keep theirs, fields of other objects ({@code window},
 * {@code latency}) are prefixed with the object's name ({@code window_start}, {@code latency_p99}). Every row
 * also carries {@code kind} ({@code sample} or {@code window}) and the CloudEvent's {@code source} and {@code id},
 * which identify it (a re-delivered row has the same id, so the store can collapse it).
 */
final class MetricsRows {

	/** Columns that are not in the Metrics model: where the row came from. */
	static final List<String> ENVELOPE_COLUMNS = List.of("kind", "source", "id");

	private MetricsRows() {
	}

	static String column(String parent, String leaf) {
		return parent == null || parent.equals("metrics") || parent.equals("tags") ? leaf : parent + "_" + leaf;
	}

	/** The row of one Metrics document. */
	static ObjectNode row(JsonNode metrics, String kind, String source, String id) {
		ObjectNode row = Json.MAPPER.createObjectNode();
		for (Map.Entry<String, JsonNode> field : metrics.properties()) {
			if (field.getValue().isObject()) {
				for (Map.Entry<String, JsonNode> leaf : field.getValue().properties()) {
					row.set(column(field.getKey(), leaf.getKey()), leaf.getValue());
				}
			}
			else {
				row.set(field.getKey(), field.getValue());
			}
		}
		row.put("kind", kind);
		row.put("source", source);
		row.put("id", id);
		return row;
	}

	/** The columns the Metrics schema implies, in schema order, then the envelope columns. */
	static List<String> columns(JsonNode schema) {
		List<String> columns = new ArrayList<>();
		for (Map.Entry<String, JsonNode> field : schema.get("properties").properties()) {
			JsonNode nested = field.getValue().get("properties");
			if (nested != null) {
				nested.propertyNames().forEach(leaf -> columns.add(column(field.getKey(), leaf)));
			}
			else {
				columns.add(field.getKey());
			}
		}
		columns.addAll(ENVELOPE_COLUMNS);
		return columns;
	}
}
