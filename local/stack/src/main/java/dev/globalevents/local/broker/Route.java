package dev.globalevents.local.broker;

import java.net.URI;

import io.fabric8.knative.eventing.v1.Trigger;

/**
 * A Trigger resolved for local delivery (an egress of the broker's contract): its filters, where its subscriber
 * listens, how to deliver, and whether its events go out one at a time per partition
 * ({@code kafka.eventing.knative.dev/delivery.order: ordered}) or concurrently ({@code unordered}, the default).
 */
public record Route(String name, Trigger trigger, URI subscriber, Delivery delivery, boolean ordered) {

	public static final String DELIVERY_ORDER = "kafka.eventing.knative.dev/delivery.order";
}
