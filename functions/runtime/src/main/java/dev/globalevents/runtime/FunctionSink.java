package dev.globalevents.runtime;

import java.util.Optional;

import dev.globalevents.runtime.web.CloudEventSender;

/**
 * Where this function sends CloudEvents of its own ({@code K_SINK}): the broker in Knative, given by a SinkBinding.
 * Empty when unset (a function run alone). A record rather than an {@code Optional} bean, which Spring would unwrap.
 */
public record FunctionSink(Optional<CloudEventSender> sender) {

	public boolean present() {
		return sender.isPresent();
	}
}
