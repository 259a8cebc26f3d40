package dev.globalevents.runtime.web;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import dev.globalevents.events.Json;
import dev.globalevents.events.testing.TestEvents;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.messaging.Message;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CloudEventCodecTest {

	@Test
	void binaryAndStructuredModeDecodeToTheSameEnvelope() {
		var scenario = TestEvents.ORDER_CREATED_FULL;
		Map<String, String> ce = new HashMap<>();
		scenario.binaryHeaders().forEach((k, v) -> {
			if (k.startsWith("Ce-")) {
				ce.put(k.toLowerCase(Locale.ROOT), v);
			}
		});

		Message<JsonNode> binary = CloudEventCodec.decode("application/json", ce, scenario.binaryBody()).events().get(0);
		Message<JsonNode> structured = CloudEventCodec.decode(CloudEventCodec.STRUCTURED, Map.of(),
				Json.MAPPER.writeValueAsBytes(scenario.structured())).events().get(0);

		var fromBinary = CloudEventCodec.envelope(binary);
		var fromStructured = CloudEventCodec.envelope(structured);
		fromStructured.remove("datacontenttype");
		assertThat(fromBinary).isEqualTo(fromStructured);
		assertThat(fromBinary.get("priority").isInt()).isTrue();
	}

	@Test
	void batchDecodesEveryEntry() {
		byte[] body = Json.MAPPER.writeValueAsBytes(List.of(TestEvents.ORDER_CREATED_FULL.structured(),
				TestEvents.SENSOR_READING_MINIMAL.structured()));

		var inbound = CloudEventCodec.decode(CloudEventCodec.BATCH + "; charset=utf-8", Map.of(), body);

		assertThat(inbound.batch()).isTrue();
		assertThat(inbound.events()).extracting(m -> m.getHeaders().get("ce-type"))
				.containsExactly("order.created", "sensor.reading");
	}

	@ParameterizedTest(name = "{0}")
	@CsvSource(delimiter = '|', textBlock = """
			broken structured JSON    | application/cloudevents+json       | {"id":                 | 400 | malformed-json
			structured not an object  | application/cloudevents+json       | [1,2]                  | 400 | not-an-object
			batch not an array        | application/cloudevents-batch+json | {}                     | 400 | batch-not-array
			empty batch               | application/cloudevents-batch+json | []                     | 400 | batch-empty
			batch entry not an object | application/cloudevents-batch+json | [1]                    | 400 | batch-entry-not-object
			xml event format          | application/cloudevents+xml        | <e/>                   | 415 | unsupported-format
			plain JSON, no CE headers | application/json                   | {"a":1}                | 400 | not-a-cloudevent
			structured base64 data    | application/cloudevents+json       | {"data_base64":"AAEC"} | 400 | data-base64
			trailing garbage          | application/cloudevents+json       | {"data":{}} xyz        | 400 | malformed-json
			duplicate keys            | application/cloudevents+json       | {"id":"a","id":"b"}    | 400 | malformed-json
			""")
	void rejectsWhatIsNotAJsonCloudEvent(String name, String contentType, String body, int status, String code) {
		assertThatThrownBy(() -> CloudEventCodec.decode(contentType, Map.of(), body.getBytes(StandardCharsets.UTF_8)))
				.isInstanceOfSatisfying(CloudEventDecodingException.class, e -> {
					assertThat(e.problem().status()).isEqualTo(status);
					assertThat(e.problem().code()).isEqualTo(code);
				});
	}

	@Test
	void deepNestingIsRefusedByTheParserLimit() {
		String deep = "{\"data\":" + "[".repeat(Json.MAX_NESTING_DEPTH + 5) + "]".repeat(Json.MAX_NESTING_DEPTH + 5) + "}";

		assertThatThrownBy(() -> CloudEventCodec.decode(CloudEventCodec.STRUCTURED, Map.of(), deep.getBytes()))
				.isInstanceOfSatisfying(CloudEventDecodingException.class,
						e -> assertThat(e.problem().code()).isEqualTo("limit-exceeded"));
	}

	@ParameterizedTest
	@CsvSource(delimiter = '|', textBlock = """
			plain            | plain
			with space       | with%20space
			quote"percent%   | quote%22percent%25
			Zürich           | Z%C3%BCrich
			""")
	void headerValuesArePercentEncodedBothWays(String decoded, String encoded) {
		assertThat(CloudEventCodec.percentEncode(decoded)).isEqualTo(encoded);
		assertThat(CloudEventCodec.percentDecode(encoded)).isEqualTo(decoded);
	}
}
