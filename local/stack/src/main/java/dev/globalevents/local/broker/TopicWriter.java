package dev.globalevents.local.broker;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import io.cloudevents.CloudEvent;
import io.cloudevents.kafka.KafkaMessageFactory;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Appends CloudEvents to the broker's topic in binary mode (attributes as {@code ce_*} headers, data as the value),
 * keyed by the {@code partitionkey} extension when the event has one (same key, same partition, kept in order).
 * One idempotent producer with {@code acks=all}: an append is acknowledged once every in-sync replica has it, and a
 * producer retry never writes it twice.
 */
final class TopicWriter implements AutoCloseable {

	private final String topic;
	private final Duration timeout;
	private final KafkaProducer<String, byte[]> producer;

	/** {@code timeout}: how long an append may take (Kafka restarting, say) before it is answered as failed. */
	TopicWriter(String bootstrapServers, String topic, String clientId, Duration timeout) {
		this.topic = topic;
		this.timeout = timeout;
		int millis = (int) timeout.toMillis();
		this.producer = new KafkaProducer<>(Map.of(
				ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
				ProducerConfig.CLIENT_ID_CONFIG, clientId,
				ProducerConfig.ACKS_CONFIG, "all",
				ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
				ProducerConfig.LINGER_MS_CONFIG, 1,
				ProducerConfig.MAX_BLOCK_MS_CONFIG, millis,
				ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, Math.min(5_000, millis / 2),
				ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, millis),
				new StringSerializer(), new ByteArraySerializer());
	}

	/** How long to wait for an append's verdict: the producer fails it by its own timeout, this is a safety margin. */
	Duration timeout() {
		return timeout.plusMillis(200);
	}

	/** Appends the event; the future completes when Kafka acknowledged it, or fails. */
	CompletableFuture<RecordMetadata> append(CloudEvent event) {
		return append(event, null);
	}

	/**
	 * As {@link #append(CloudEvent)}, with the trace context the event travels in as the record's {@code traceparent}
	 * header (as the Kafka broker's receiver writes it), so its deliveries continue that trace.
	 */
	CompletableFuture<RecordMetadata> append(CloudEvent event, TraceContext trace) {
		Object partitionKey = event.getExtension("partitionkey");
		ProducerRecord<Void, byte[]> unkeyed = KafkaMessageFactory.createWriter(topic).writeBinary(event);
		if (trace != null) {
			unkeyed.headers().add(TraceContext.HEADER, trace.traceparent().getBytes(StandardCharsets.US_ASCII));
		}
		ProducerRecord<String, byte[]> record = new ProducerRecord<>(topic, null,
				partitionKey == null ? null : partitionKey.toString(), unkeyed.value(), unkeyed.headers());
		CompletableFuture<RecordMetadata> appended = new CompletableFuture<>();
		try {
			producer.send(record, (metadata, failure) -> {
				if (failure != null) {
					appended.completeExceptionally(failure);
				}
				else {
					appended.complete(metadata);
				}
			});
		}
		catch (RuntimeException e) { // metadata not available within max.block.ms, or the producer is closed
			appended.completeExceptionally(e);
		}
		return appended;
	}

	@Override
	public void close() {
		producer.close(Duration.ofSeconds(5));
	}
}
