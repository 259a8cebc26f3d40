package dev.globalevents.export;

import java.util.function.Function;

import dev.globalevents.runtime.FunctionProperties;
import dev.globalevents.runtime.redis.RedisConnection;
import dev.globalevents.runtime.reporting.MeterReading;
import dev.globalevents.runtime.reporting.QueueDepth;
import dev.globalevents.runtime.web.CloudEventCodec.Inbound;
import dev.globalevents.runtime.web.CloudEventEndpoint;
import dev.globalevents.runtime.web.Outcome;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;
import reactor.core.publisher.Mono;

/** Wiring only: the export function, its batcher, the configured store, the Redis spill and its drainer. */
@SpringBootApplication
@EnableConfigurationProperties(ExportProperties.class)
public class ExportApplication {

	private static final Log log = LogFactory.getLog(ExportApplication.class);

	public static void main(String[] args) {
		SpringApplication.run(ExportApplication.class, args);
	}

	@Bean
	ExportMetrics exportMetrics(MeterRegistry registry) {
		return new ExportMetrics(registry);
	}

	@Bean
	RowSink rowSink(ExportProperties properties, ExportMetrics metrics) {
		HttpDelivery delivery = new HttpDelivery(properties.retries(), properties.backoff(), properties.maxBackoff(), metrics);
		RowSink sink = switch (properties.sink()) {
			case "trafficpeak" -> new TrafficPeakSink(properties.trafficpeak().url(), properties.trafficpeak().table(),
					properties.trafficpeak().transform(), properties.trafficpeak().authorization(), delivery, metrics);
			case "clickhouse" -> {
				var config = properties.clickhouse();
				ClickHouseSink clickhouse = new ClickHouseSink(config.url(), config.database(), config.user(), config.password(), delivery);
				if (config.createTable()) {
					clickhouse.createTable().doOnSuccess(done -> log.info("table " + config.database() + ".metrics is ready"))
							.doOnError(e -> log.warn("could not create " + config.database() + ".metrics yet: " + e.getMessage()))
							.onErrorComplete().subscribe();
				}
				yield clickhouse;
			}
			default -> throw new IllegalArgumentException("export.sink must be clickhouse or trafficpeak, not " + properties.sink());
		};
		log.info("metrics rows go to " + sink.describe() + " in batches of up to " + properties.batchSize() + " every " + properties.batchWait());
		return sink;
	}

	@Bean
	RedisSpill spill(RedisConnection redis, FunctionProperties function, MeterRegistry registry) {
		RedisSpill spill = new RedisSpill(redis, function.region());
		java.util.concurrent.atomic.AtomicLong backlog = new java.util.concurrent.atomic.AtomicLong();
		io.micrometer.core.instrument.Gauge.builder("export.spill.backlog", () -> {
			spill.backlog().subscribe(backlog::set, e -> {
			});
			return backlog.get();
		}).register(registry);
		return spill;
	}

	@Bean(destroyMethod = "close")
	Drainer drainer(RedisSpill spill, RowSink sink, ExportMetrics metrics, ExportProperties properties) {
		return new Drainer(spill, sink, metrics, properties.batchSize(), properties.drainInterval());
	}

	@Bean
	MeterReading meterReading() {
		return new MeterReading("export.rows", "result", java.util.Set.of("failed", "rejected"), "export.batch");
	}

	/** The queue depth export-metrics reports: rows spilled and not yet delivered. */
	@Bean
	QueueDepth spillBacklog(RedisSpill spill) {
		return spill::backlog;
	}

	@Bean
	HealthIndicator store(RowSink sink, RedisSpill spill, ExportMetrics metrics) {
		return new StoreHealth(sink, spill, metrics);
	}

	@Bean(destroyMethod = "close")
	Batcher batcher(RowSink sink, RedisSpill spill, ExportMetrics metrics, ExportProperties properties) {
		return new Batcher(sink, spill, metrics, properties.batchSize(), properties.batchWait());
	}

	@Bean
	Function<Inbound, Mono<Outcome>> export(Batcher batcher) {
		return new ExportFunction(batcher);
	}

	/** Batches of metrics come from the broker's own events (windows, samples): a larger body limit than outside events. */
	@Bean
	CloudEventEndpoint events(Function<Inbound, Mono<Outcome>> export) {
		return CloudEventEndpoint.at("/", export).forBatches();
	}
}
