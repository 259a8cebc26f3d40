package dev.globalevents.generate;

import java.time.Duration;
import java.util.function.Function;

import dev.globalevents.events.CloudEventAttributes;
import dev.globalevents.runtime.web.CloudEventCodec.Inbound;
import dev.globalevents.runtime.web.Outcome;
import dev.globalevents.runtime.web.Problem;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * The generator as a PingSource subscriber: a tick ({@code dev.knative.sources.ping}) emits the events the configured
 * rate implies for one schedule interval (rate × interval events), paced at the rate over the interval
 * ({@code steady}, the default: the load a viewer sees is the configured rate) or at once ({@code burst}), and is
 * acknowledged once every event has its final answer from the sink. Without a sink there is nowhere to send: 500
 * with the reason.
 */
final class GenerateFunction implements Function<Inbound, Mono<Outcome>> {

	static final String PING = "dev.knative.sources.ping";
	private static final Log log = LogFactory.getLog(GenerateFunction.class);

	private final Generator generator;
	private final double rate;
	private final Duration interval;
	private final GenerateProperties.PingMode mode;

	GenerateFunction(Generator generator, double rate, Duration interval, GenerateProperties.PingMode mode) {
		this.generator = generator;
		this.rate = rate;
		this.interval = interval;
		this.mode = mode;
	}

	@Override
	public Mono<Outcome> apply(Inbound inbound) {
		for (var message : inbound.events()) {
			Object type = message.getHeaders().get(CloudEventAttributes.HEADER_PREFIX + CloudEventAttributes.TYPE);
			if (!PING.equals(type)) {
				return Mono.just(new Outcome.Rejected(Problem.of(400, "unexpected-type", "Unexpected event type",
						"generate takes PingSource ticks (" + PING + "), not " + type)));
			}
		}
		if (generator == null) {
			return Mono.just(new Outcome.Rejected(Problem.of(500, "no-sink", "No sink",
					"K_SINK is not set, so a tick has nowhere to send events")));
		}
		long count = Math.round(rate * interval.toMillis() / 1000.0);
		return Mono.fromRunnable(() -> {
			log.info("tick: sending " + count + " event(s) (" + rate + "/s for " + interval + ", " + mode.name().toLowerCase() + ")");
			synchronized (generator) {
				if (mode == GenerateProperties.PingMode.STEADY) {
					generator.paced(count, rate);
				}
				else {
					generator.burst(count);
				}
			}
		}).subscribeOn(Schedulers.boundedElastic()).thenReturn(Outcome.ACK);
	}
}
