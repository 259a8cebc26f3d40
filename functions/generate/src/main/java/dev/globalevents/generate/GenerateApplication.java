package dev.globalevents.generate;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Function;

import dev.globalevents.runtime.FunctionProperties;
import dev.globalevents.runtime.web.TraceHeaders;
import dev.globalevents.runtime.reporting.MeterReading;
import dev.globalevents.runtime.reporting.QueueDepth;
import dev.globalevents.runtime.web.CloudEventCodec.Inbound;
import dev.globalevents.runtime.web.CloudEventEndpoint;
import dev.globalevents.runtime.web.Outcome;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.ExitCodeGenerator;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.core.publisher.Mono;

/**
 * Wiring only. As a service: continuous sending to {@code K_SINK} (SinkBinding/ContainerSource), PingSource ticks on
 * {@code POST /}, chaos control and stats. With {@code --target URL}: the load-test command, without a web server.
 */
@SpringBootApplication
@EnableConfigurationProperties(GenerateProperties.class)
public class GenerateApplication {

	private static final Log log = LogFactory.getLog(GenerateApplication.class);

	public static void main(String[] rawArgs) {
		String[] args = options(rawArgs);
		boolean loadTest = Arrays.stream(args).anyMatch(arg -> arg.startsWith("--target="));
		var app = new SpringApplicationBuilder(GenerateApplication.class)
				.web(loadTest ? WebApplicationType.NONE : WebApplicationType.REACTIVE);
		if (loadTest) { // a command, not a service: it reports no metrics samples
			// nor a web server: the context Spring AOT prepared at build time is the service's, so it is not used
			System.setProperty("spring.aot.enabled", "false");
			String[] command = java.util.stream.Stream.concat(Arrays.stream(args), java.util.stream.Stream.of("--function.sink="))
					.toArray(String[]::new);
			System.exit(SpringApplication.exit(app.logStartupInfo(false).run(command)));
		}
		app.run(args);
	}

	/** Accepts {@code --name value} as well as Spring's {@code --name=value}. */
	static String[] options(String[] args) {
		java.util.List<String> options = new java.util.ArrayList<>();
		for (int i = 0; i < args.length; i++) {
			String arg = args[i];
			if (arg.startsWith("--") && !arg.contains("=") && i + 1 < args.length && !args[i + 1].startsWith("--")) {
				options.add(arg + "=" + args[++i]);
			}
			else {
				options.add(arg);
			}
		}
		return options.toArray(String[]::new);
	}

	/** The events, sender and pacing of this process; {@code generator} is null without a sink or target. */
	record Engine(EventFactory factory, Generator generator, GenerateStats stats, String target) {
	}

	@Bean
	GenerateStats generateStats(MeterRegistry registry) {
		return new GenerateStats(registry);
	}

	@Bean
	ChaosControl chaosControl(GenerateProperties properties) {
		var violations = properties.chaos().violations();
		if (!violations.isEmpty()) {
			throw new IllegalArgumentException("generate.chaos: " + violations);
		}
		return new ChaosControl(properties.chaos());
	}

	@Bean
	Engine engine(GenerateProperties properties, FunctionProperties function, GenerateStats stats, ChaosControl chaos,
			@Value("${target:}") String loadTarget, TraceHeaders trace) {
		long seed = properties.seed() != 0 ? properties.seed() : new SplittableRandom().nextLong();
		log.info("region " + function.region() + ", instance " + function.instance() + ", seed " + seed
				+ " (set generate.seed to repeat this run's events), types " + properties.types().keySet());
		boolean loadTest = !loadTarget.isBlank();
		EventFactory factory = new EventFactory(function.region(), function.instance(), properties.types(), loadTest,
				new SplittableRandom(seed));
		String target = loadTest ? loadTarget : function.sink();
		if (target.isBlank()) {
			log.info("no sink (K_SINK unset): nothing is sent; set K_SINK or use --target for a load test");
			return new Engine(factory, null, stats, "");
		}
		EventSender sender = new HttpEventSender(URI.create(target), properties.sendTimeout(), properties.retries(),
				properties.retryBackoff(), stats, trace);
		Generator generator = new Generator(factory, chaos.reference(), new CloudEventEncoder(properties.contentMode(), function.ceOverrides()),
				sender, stats, properties.maxInFlight(), properties.batchSize(), Clock.systemUTC());
		return new Engine(factory, generator, stats, target);
	}

	@Bean
	ContinuousGenerator continuousGenerator(Engine engine, GenerateProperties properties, FunctionProperties function,
			@Value("${target:}") String loadTarget) {
		boolean on = engine.generator() != null && properties.continuous() && loadTarget.isBlank();
		return new ContinuousGenerator(on ? engine.generator() : null, properties.totalRate(function.region()), engine.target());
	}

	@Bean
	MeterReading meterReading() {
		return new MeterReading("generate.events", "outcome", java.util.Set.of("rejected", "failed"), "generate.send");
	}

	/** The queue depth generate reports: requests awaiting an answer. */
	@Bean
	QueueDepth inFlight(Engine engine) {
		return () -> Mono.just((long) (engine.generator() == null ? 0 : engine.generator().inFlight()));
	}

	@Bean
	Function<Inbound, Mono<Outcome>> generate(Engine engine, GenerateProperties properties, FunctionProperties function) {
		return new GenerateFunction(engine.generator(), properties.totalRate(function.region()), properties.pingInterval(),
				properties.pingMode());
	}

	@Bean
	CloudEventEndpoint ticks(Function<Inbound, Mono<Outcome>> generate) {
		return CloudEventEndpoint.at("/", generate);
	}

	@Bean
	RouterFunction<ServerResponse> control(ChaosControl chaos, GenerateStats stats, GenerateProperties properties,
			FunctionProperties function, Engine engine) {
		Map<String, Object> status = new LinkedHashMap<>();
		status.put("region", function.region());
		status.put("sink", engine.target());
		status.put("rate_per_s", properties.totalRate(function.region()));
		status.put("continuous", properties.continuous() && engine.generator() != null);
		status.put("ping_mode", properties.pingMode().name().toLowerCase(java.util.Locale.ROOT));
		status.put("ping_interval_s", properties.pingInterval().toSeconds());
		return new ControlHandler(chaos, stats, () -> status, Clock.systemUTC()).routes();
	}

	@Bean
	@ConditionalOnProperty(name = "target")
	LoadTestRunner loadTestRunner(Engine engine, @Value("${rate:100}") double rate, @Value("${duration:30s}") Duration duration,
			@Value("${max-errors:0.01}") double maxErrors) {
		return new LoadTestRunner(new LoadTest(engine.generator(), engine.stats(), engine.target(), rate, duration, maxErrors, System.out));
	}

	/** Runs the load test after start-up and hands its result to the exit status. */
	static final class LoadTestRunner implements ApplicationRunner, ExitCodeGenerator {

		private final LoadTest test;
		private int exitCode;

		LoadTestRunner(LoadTest test) {
			this.test = test;
		}

		@Override
		public void run(org.springframework.boot.ApplicationArguments args) {
			exitCode = test.run();
		}

		@Override
		public int getExitCode() {
			return exitCode;
		}
	}
}
