package dev.globalevents.runtime.web;

import java.util.List;

import org.springframework.messaging.Message;

/**
 * What a function decided about the CloudEvent(s) it was given; {@link CloudEventRoutes} turns it into the HTTP
 * answer that Knative's reply semantics expect.
 */
public sealed interface Outcome {

	/** 200 with this CloudEvent as the reply (binary mode); the broker publishes it. */
	record Reply(Message<?> event) implements Outcome {
	}

	/** 200 with these CloudEvents as an {@code application/cloudevents-batch+json} body (batch requests). */
	record BatchReply(List<Message<?>> events) implements Outcome {
	}

	/** 200 with an empty body: acknowledged, nothing forwarded. */
	record Ack() implements Outcome {
	}

	/** A 4xx problem: the broker dead-letters the event, a direct caller reads the reason. */
	record Rejected(Problem problem) implements Outcome {
	}

	/** 503 with a problem and {@code Retry-After}: could not decide now, the broker retries. */
	record Unavailable(Problem problem) implements Outcome {
	}

	Outcome ACK = new Ack();
}
