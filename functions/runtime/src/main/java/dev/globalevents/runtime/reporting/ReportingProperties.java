package dev.globalevents.runtime.reporting;

import java.time.Duration;

import dev.globalevents.events.Metrics;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * How a function reports itself ({@code reporting.*}).
 *
 * (Samples go to the function's sink, {@code K_SINK}; the instance is {@code function.instance}.)
 *
 * @param interval    how often
 * @param environment {@code tags.environment}
 * @param version     {@code tags.version}
 */
@ConfigurationProperties("reporting")
public record ReportingProperties(Duration interval, String environment, String version) {

	public Metrics.Tags tags(String service) {
		return new Metrics.Tags(environment, service, version);
	}
}
