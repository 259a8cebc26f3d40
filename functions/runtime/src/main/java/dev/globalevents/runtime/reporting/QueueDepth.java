package dev.globalevents.runtime.reporting;

import reactor.core.publisher.Mono;

/** A function's backlog, reported in its metrics samples (a function without one declares none: 0 is reported). */
@FunctionalInterface
public interface QueueDepth {

	Mono<Long> read();
}
