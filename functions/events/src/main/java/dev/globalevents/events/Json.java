package dev.globalevents.events;

import tools.jackson.core.StreamReadConstraints;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * The one JSON mapper of the pipeline, with hard limits on what it reads so hostile input fails fast with a clear
 * error instead of exhausting memory or stack.
 */
public final class Json {

	/** Deepest nesting accepted in any document. */
	public static final int MAX_NESTING_DEPTH = 32;

	/** Longest string value (or name) accepted, in characters. */
	public static final int MAX_STRING_LENGTH = 16 * 1024;

	public static final JsonMapper MAPPER = JsonMapper.builder(JsonFactory.builder()
			.streamReadConstraints(StreamReadConstraints.builder()
					.maxNestingDepth(MAX_NESTING_DEPTH)
					.maxStringLength(MAX_STRING_LENGTH)
					.maxNameLength(256)
					.maxNumberLength(64)
					.build())
			.enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
			.build())
			.enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
			.build();

	private Json() {
	}
}
