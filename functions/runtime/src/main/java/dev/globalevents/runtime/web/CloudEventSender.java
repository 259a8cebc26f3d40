package dev.globalevents.runtime.web;

import org.springframework.messaging.Message;
import reactor.core.publisher.Mono;

/** Sends a CloudEvent to a sink (Knative's {@code K_SINK}: a broker, a channel or a service). */
public interface CloudEventSender {

	/** Completes when the sink accepted the event (2xx); errors otherwise, with the status in the message. */
	Mono<Void> send(Message<?> event);
}
