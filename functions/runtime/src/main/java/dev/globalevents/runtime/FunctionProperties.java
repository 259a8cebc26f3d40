package dev.globalevents.runtime;

import java.time.Duration;
import java.util.Map;

import dev.globalevents.runtime.web.HttpCloudEventSender;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * What every function is told by its environment, read in one place ({@code function.*}, mapped from the variables
 * Knative and the manifests set in {@code function-defaults.properties}).
 *
 * @param region      the region this function serves ({@code REGION})
 * @param instance    this process: the pod's name in Knative ({@code HOSTNAME})
 * @param sink        where the function sends CloudEvents of its own ({@code K_SINK}, from a SinkBinding); empty: none
 * @param ceOverrides Knative's {@code K_CE_OVERRIDES} ({@code {"extensions":{…}}}), added to every event sent
 * @param redis       the function's Redis ({@code REDIS_URL}; empty URL: no Redis), and its per-command timeout
 * @param maxEventBytes the largest request body a CloudEvent route reads (413 beyond)
 * @param maxBatchBytes the largest body of a route that takes batches of the pipeline's own events from the broker
 */
@ConfigurationProperties("function")
public record FunctionProperties(String region, String instance, String sink, String ceOverrides, Redis redis, int maxEventBytes,
		int maxBatchBytes) {

	/** @param url {@code redis://host:port}; empty: the function runs without Redis */
	public record Redis(String url, Duration timeout) {
	}

	public boolean hasSink() {
		return sink != null && !sink.isBlank();
	}

	/** The extensions of {@code K_CE_OVERRIDES}, names lower-cased. */
	public Map<String, String> overrides() {
		return HttpCloudEventSender.parseOverrides(ceOverrides);
	}
}
