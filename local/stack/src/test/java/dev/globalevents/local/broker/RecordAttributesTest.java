package dev.globalevents.local.broker;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;

import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import io.cloudevents.kafka.KafkaMessageFactory;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Triggers filter a record on its headers alone; they must see exactly the attributes of the event it holds. */
class RecordAttributesTest {

	@Test
	void aRecordsHeadersGiveTheSameAttributesAsTheEventItHolds() {
		CloudEvent event = CloudEventBuilder.v1().withId("e-1").withSource(URI.create("/regions/us-east/instances/i-1"))
				.withType("dev.globalevents.event.validated").withSubject("orders").withTime(OffsetDateTime.parse("2026-12-02T10:00:01Z"))
				.withDataContentType("application/json").withExtension("knativearrivaltime", "2026-12-02T10:00:02Z")
				.withExtension("knativebrokerttl", 254).withExtension("validatedseq", 42)
				.withData("{\"a\":1}".getBytes(StandardCharsets.UTF_8)).build();
		ProducerRecord<Void, byte[]> written = KafkaMessageFactory.createWriter("topic").writeBinary(event);
		ConsumerRecord<String, byte[]> read = new ConsumerRecord<>("topic", 0, 7, 0L, TimestampType.CREATE_TIME, 0, 0, null,
				written.value(), new RecordHeaders(written.headers().toArray()), java.util.Optional.empty());

		java.util.Map<String, String> attributes = TriggerDispatcher.attributes(read);
		assertThat(attributes).isEqualTo(Filters.attributes(event));
		// filters ask for one attribute at a time: each is read from its own header
		Filters.attributes(event).forEach((name, value) -> assertThat(attributes.get(name)).as(name).isEqualTo(value));
		assertThat(attributes.get("dataschema")).isNull();
		assertThat(attributes.get("type")).isEqualTo("dev.globalevents.event.validated");
		assertThat(attributes.get("ype")).isNull();
	}
}
