package dev.globalevents.validate;

import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;

import dev.globalevents.events.CloudEventTypes;
import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import io.cloudevents.core.provider.EventFormatProvider;
import io.cloudevents.http.HttpMessageFactory;
import io.cloudevents.jackson.JsonFormat;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Interop with the CloudEvents Java SDK: events it writes are accepted, replies it reads are valid CloudEvents. */
class CloudEventsSdkInteropTest extends HttpTestSupport {

	private static CloudEvent order(String id) {
		return CloudEventBuilder.v1()
				.withId(id)
				.withSource(URI.create("/regions/eu-west/instances/sdk-client"))
				.withType("order.created")
				.withTime(OffsetDateTime.parse("2026-05-31T10:15:30+01:00"))
				.withExtension("priority", 7)
				.withExtension("tags", "SDK,Interop")
				.withData("application/json", ("{\"order_id\":\"o-7\",\"customer_id\":\"c-7\",\"amount\":7.5,"
						+ "\"currency\":\"USD\",\"items\":7}").getBytes(StandardCharsets.UTF_8))
				.build();
	}

	@Test
	void binaryEventWrittenByTheSdkIsAcceptedAndTheReplyReadsBackAsACloudEvent() throws Exception {
		String id = UUID.randomUUID().toString();
		Map<String, String> headers = new HashMap<>();
		AtomicReference<byte[]> body = new AtomicReference<>();
		HttpMessageFactory.createWriter(headers::put, body::set).writeBinary(order(id));

		HttpResponse<String> response = post(headers, body.get());

		assertThat(response.statusCode()).isEqualTo(200);
		CloudEvent reply = HttpMessageFactory.createReaderFromMultimap(response.headers().map(),
				response.body().getBytes(StandardCharsets.UTF_8)).toEvent();
		assertThat(reply.getType()).isEqualTo(CloudEventTypes.EVENT_VALIDATED);
		assertThat(reply.getId()).isEqualTo(id);
		assertThat(reply.getSource()).hasToString("/regions/eu-west/instances/sdk-client");
		assertThat(reply.getTime()).isEqualTo(OffsetDateTime.parse("2026-05-31T09:15:30Z"));
		assertThat(reply.getExtension("eventtype")).isEqualTo("order.created");
		assertThat(new String(reply.getData().toBytes(), StandardCharsets.UTF_8))
				.contains("\"priority\":7").contains("\"tags\":[\"sdk\",\"interop\"]");
	}

	@Test
	void structuredEventWrittenByTheSdkIsAccepted() throws Exception {
		Map<String, String> headers = new HashMap<>();
		AtomicReference<byte[]> body = new AtomicReference<>();
		HttpMessageFactory.createWriter(headers::put, body::set)
				.writeStructured(order(UUID.randomUUID().toString()),
						EventFormatProvider.getInstance().resolveFormat(JsonFormat.CONTENT_TYPE));

		HttpResponse<String> response = post(headers, body.get());

		assertThat(headers.get("Content-Type")).startsWith("application/cloudevents+json");
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.headers().firstValue("ce-type")).hasValue(CloudEventTypes.EVENT_VALIDATED);
	}
}
