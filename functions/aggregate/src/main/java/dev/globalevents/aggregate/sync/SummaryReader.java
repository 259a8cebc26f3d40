package dev.globalevents.aggregate.sync;

import dev.globalevents.aggregate.windows.Windows;
import dev.globalevents.runtime.web.RejectedInput;

import java.time.Instant;
import java.util.List;

import dev.globalevents.events.Json;
import dev.globalevents.events.JsonSchemas;
import dev.globalevents.events.Violation;
import dev.globalevents.events.WindowSummary;
import dev.globalevents.runtime.web.Problem;
import tools.jackson.databind.JsonNode;

/**
 * Reads a {@code sync.summary} CloudEvent's data: it must conform to {@code summary.schema.json} and cover exactly
 * one of this region's windows (regions must agree on the window size, or merging would mix different windows).
 */
public final class SummaryReader {

	private static final JsonSchemas.CompiledSchema SCHEMA = JsonSchemas.load(JsonSchemas.SUMMARY);

	private final Windows windows;

	public SummaryReader(Windows windows) {
		this.windows = windows;
	}

	/** The summary, or a {@link RejectedInput} carrying the 400 problem that says why not. */
	public WindowSummary read(JsonNode data) {
		List<Violation> violations = SCHEMA.validate(data, "/data");
		if (!violations.isEmpty()) {
			throw new RejectedInput(Problem.invalid(violations));
		}
		WindowSummary summary = Json.MAPPER.treeToValue(data, WindowSummary.class);
		long start = Instant.parse(summary.window().start()).toEpochMilli();
		long end = Instant.parse(summary.window().end()).toEpochMilli();
		if (windows.start(start) != start || windows.end(start) != end) {
			throw new RejectedInput(Problem.of(400, "window-mismatch", "Window does not match",
					"summary window [" + summary.window().start() + ", " + summary.window().end()
							+ ") is not one of this region's " + windows.sizeMillis() + " ms windows; regions must use the same window size"));
		}
		return summary;
	}
}
