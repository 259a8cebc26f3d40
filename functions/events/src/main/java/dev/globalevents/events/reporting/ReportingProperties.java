package dev.globalevents.events.reporting;

import java.time.Duration;

import dev.globalevents.events.Metrics;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How a function reports itself ({@code reporting.*}).
 *
 * @param sink        where samples go ({@code K_SINK}, given by a SinkBinding in Knative); empty: no reporting
 * @param interval    how often
 * @param environment {@code tags.environment}
 * @param version     {@code tags.version}
 * @param instance    this process (pod name in Knative, {@code HOSTNAME})
 */
@ConfigurationProperties("reporting")
public record ReportingProperties(
		@DefaultValue("") String sink,
		@DefaultValue("10s") Duration interval,
		@DefaultValue("local") String environment,
		@DefaultValue("0.1.0") String version,
		@DefaultValue("local") String instance) {

	public Metrics.Tags tags(String service) {
		return new Metrics.Tags(environment, service, version);
	}
}
