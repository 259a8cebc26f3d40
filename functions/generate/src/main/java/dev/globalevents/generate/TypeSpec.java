package dev.globalevents.generate;

import java.util.List;
import java.util.Map;

/**
 * One generated event type (YAML under {@code generate.types.<type>}).
 *
 * @param weight   share of this type when a total rate is imposed (load tests, bursts)
 * @param rate     events per second per region; a region without an entry sends none of this type
 * @param priority distribution of {@code metadata.priority}: priority (0-9) to weight; 5 when unset
 * @param tags     {@code metadata.tags}
 * @param version  {@code metadata.version} (payload schema version)
 * @param error    what error injection does to this type: set payload {@code field} to {@code value}; a type
 *                 without it gets no injected errors
 * @param payload  field name to generator, in order
 */
record TypeSpec(Double weight, Map<String, Double> rate, Map<Integer, Double> priority, List<String> tags,
		String version, ErrorSpec error, Map<String, FieldSpec> payload) {

	double weightOrOne() {
		return weight == null ? 1 : weight;
	}

	double rateIn(String region) {
		return rate == null ? 0 : rate.getOrDefault(region, 0.0);
	}

	/** A payload field set to a value that makes the event an error for aggregate's error classification. */
	record ErrorSpec(String field, String value) {
	}
}
