package dev.globalevents.runtime.reporting;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

import dev.globalevents.events.CloudEventTypes;
import dev.globalevents.events.Metrics;
import dev.globalevents.runtime.web.CloudEventSender;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.cloud.function.cloudevent.CloudEventMessageBuilder;
import org.springframework.messaging.Message;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Every function's self-report: each interval, a {@code dev.globalevents.metrics.sample} CloudEvent in the Metrics
 * model for the interval just ended — events handled, mean processing time (ms), error rate, queue depth where the
 * function has one, JVM memory in use and process CPU — tagged with environment, service, version and region,
 * sent to the function's sink. A failed send is logged and the next interval reports its own figures (samples are
 * measurements, not events that must arrive).
 */
public final class MetricsReporter implements AutoCloseable {

	private static final Log log = LogFactory.getLog(MetricsReporter.class);

	private final MeterRegistry registry;
	private final MeterReading reading;
	private final Supplier<Mono<Long>> queueDepth;
	private final String region;
	private final String instance;
	private final Metrics.Tags tags;
	private final Clock clock;
	private final AtomicLong sequence = new AtomicLong();
	private MeterReading.Totals last;
	private Disposable schedule;

	/**
	 * @param queueDepth the function's backlog, or null when it has none (reported as 0)
	 */
	public MetricsReporter(MeterRegistry registry, MeterReading reading, Supplier<Mono<Long>> queueDepth, String region,
			String instance, Metrics.Tags tags, Clock clock) {
		this.registry = registry;
		this.reading = reading;
		this.queueDepth = queueDepth;
		this.region = region;
		this.instance = instance;
		this.tags = tags;
		this.clock = clock;
		this.last = reading.read(registry);
	}

	/** The figures of the interval since the previous sample. */
	public synchronized Mono<Metrics> sample() {
		MeterReading.Totals now = reading.read(registry);
		MeterReading.Totals before = last;
		last = now;
		double events = now.events() - before.events();
		double errors = now.errors() - before.errors();
		long timed = now.timedCount() - before.timedCount();
		double millis = timed == 0 ? 0 : (now.timedNanos() - before.timedNanos()) / timed / 1e6;
		Mono<Long> depth = queueDepth == null ? Mono.just(0L) : queueDepth.get().onErrorReturn(0L).defaultIfEmpty(0L);
		return depth.map(d -> new Metrics(Instant.now(clock).toString(), region, new Metrics.Values(Math.round(events),
				Math.max(0, millis), events == 0 ? 0 : Math.min(1, errors / events), d, ProcessStats.memoryBytes(),
				ProcessStats.cpuLoad()), tags));
	}

	/** The sample as a CloudEvent. */
	public Message<Metrics> message(Metrics metrics) {
		return CloudEventMessageBuilder.withData(metrics)
				.setId("sample-" + instance + "-" + sequence.incrementAndGet() + "-" + Instant.parse(metrics.timestamp()).toEpochMilli())
				.setSource("/" + tags.service() + "/" + region + "/" + instance)
				.setType(CloudEventTypes.METRICS_SAMPLE)
				.setTime(metrics.timestamp())
				.setDataContentType("application/json")
				.setHeader("ce-region", region)
				.build("ce-");
	}

	/** A reporter for a function, already sending to its sink ({@code K_SINK}) when it has one; the runtime calls this. */
	public static MetricsReporter forFunction(MeterRegistry registry, MeterReading reading, QueueDepth queueDepth, String region,
			String instance, String service, ReportingProperties properties, java.util.Optional<CloudEventSender> sink) {
		MetricsReporter reporter = new MetricsReporter(registry, reading, queueDepth == null ? null : queueDepth::read, region,
				instance, properties.tags(service), Clock.systemUTC());
		if (sink.isEmpty()) {
			log.info("no reporting sink (K_SINK unset): " + service + " sends no metrics samples");
			return reporter;
		}
		return reporter.start(sink.get(), properties.interval());
	}

	/** Starts reporting to {@code sink} every {@code interval}. */
	public MetricsReporter start(CloudEventSender sink, Duration interval) {
		log.info(tags.service() + " reports metrics samples every " + interval);
		schedule = Flux.interval(interval)
				.onBackpressureDrop()
				.concatMap(tick -> sample().flatMap(metrics -> sink.send(message(metrics)))
						.onErrorResume(e -> {
							log.warn("metrics sample not sent: " + e.getMessage());
							return Mono.empty();
						}), 1)
				.subscribe();
		return this;
	}

	@Override
	public void close() {
		if (schedule != null) {
			schedule.dispose();
		}
	}
}
