package dev.globalevents.local.broker;

import java.net.URI;

import io.fabric8.knative.eventing.v1.Trigger;

/** A Trigger resolved for local delivery: its filters, where its subscriber listens and how to deliver. */
public record Route(String name, Trigger trigger, URI subscriber, Delivery delivery) {
}
