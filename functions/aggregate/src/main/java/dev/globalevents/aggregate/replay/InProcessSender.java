package dev.globalevents.aggregate.replay;

import java.util.List;
import java.util.function.Function;

import dev.globalevents.events.Json;
import dev.globalevents.runtime.web.CloudEventCodec.Inbound;
import dev.globalevents.runtime.web.CloudEventSender;
import dev.globalevents.runtime.web.Outcome;
import org.springframework.messaging.Message;
import org.springframework.messaging.support.MessageBuilder;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;

/**
 * Hands CloudEvents straight to this instance's function: where replayed events go when there is no {@code K_SINK}
 * (a local run without a broker). Anything but an acknowledgement is an error, as a non-2xx answer would be.
 */
public final class InProcessSender implements CloudEventSender {

	private final Function<Inbound, Mono<Outcome>> function;

	public InProcessSender(Function<Inbound, Mono<Outcome>> function) {
		this.function = function;
	}

	@Override
	public Mono<Void> send(Message<?> event) {
		Message<JsonNode> message = MessageBuilder.<JsonNode>withPayload(Json.MAPPER.valueToTree(event.getPayload()))
				.copyHeaders(event.getHeaders()).build();
		return function.apply(new Inbound(List.of(message), false)).flatMap(outcome -> outcome instanceof Outcome.Ack
				? Mono.<Void>empty()
				: Mono.error(new IllegalStateException("this instance answered " + outcome)));
	}
}
