package dev.globalevents.generate;

import java.util.Map;

/**
 * How to generate one payload field (YAML under {@code generate.types.<type>.payload.<field>}).
 *
 * @param kind         {@code id}, {@code integer}, {@code number}, {@code enum}, {@code string}, {@code boolean},
 *                     {@code constant} or {@code object}
 * @param prefix       id and string: text before the generated part
 * @param cardinality  id: how many distinct values (0: a fresh value each time)
 * @param distribution integer and number: {@code uniform} (min..max), {@code normal} (mean, stddev),
 *                     {@code lognormal} (mean, stddev of the value) or {@code exponential} (mean); clamped to min..max
 * @param min          integer and number: lower bound
 * @param max          integer and number: upper bound
 * @param mean         normal, lognormal, exponential
 * @param stddev       normal, lognormal
 * @param decimals     number: digits after the point
 * @param values       enum: value to weight
 * @param length       string: random lower-case letters and digits after the prefix
 * @param probability  boolean: chance of true
 * @param value        constant: the value
 * @param fields       object: nested fields
 * @param presence     chance that the field is present at all (optional fields); 1 when unset
 */
record FieldSpec(String kind, String prefix, Integer cardinality, String distribution, Double min, Double max,
		Double mean, Double stddev, Integer decimals, Map<String, Double> values, Integer length, Double probability,
		Object value, Map<String, FieldSpec> fields, Double presence) {
}
