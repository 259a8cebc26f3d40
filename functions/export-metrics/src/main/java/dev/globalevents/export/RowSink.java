package dev.globalevents.export;

import java.util.List;

import reactor.core.publisher.Mono;
import tools.jackson.databind.node.ObjectNode;

/** Where metrics rows go: TrafficPeak (Hydrolix streaming ingest) or ClickHouse. */
interface RowSink {

	/** Completes when the store accepted every row; errors when it did not after the sender's retries. */
	Mono<Void> write(List<ObjectNode> rows);

	/** A short name for logs and health ({@code clickhouse http://127.0.0.1:8123}). */
	String describe();
}
