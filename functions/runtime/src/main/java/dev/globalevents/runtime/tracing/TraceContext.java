package dev.globalevents.runtime.tracing;

import java.util.function.Supplier;

import io.micrometer.context.ContextSnapshot;
import io.micrometer.context.ContextSnapshotFactory;
import reactor.core.CoreSubscriber;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Operators;

/**
 * The trace context of a request, in thread locals exactly where work that reads it there starts: the functions run
 * with {@code spring.reactor.context-propagation=limited} (restoring it around every Reactor operator, {@code auto},
 * cost validate a third of its throughput; bench/README.md), so the context travels in the Reactor context and is
 * put into thread locals only while a piece of work is subscribed. What that work does synchronously (its log lines
 * with {@code traceId}, the Redis command it sends, whose span is then a child of the request's) belongs to the
 * request's trace.
 */
public final class TraceContext {

	private static final ContextSnapshotFactory SNAPSHOTS = ContextSnapshotFactory.builder().build();

	private TraceContext() {
	}

	/** {@code work}, assembled and subscribed with the subscriber's trace context in thread locals. */
	public static <T> Mono<T> restoring(Supplier<? extends Mono<T>> work) {
		return new Mono<>() {
			@Override
			public void subscribe(CoreSubscriber<? super T> actual) {
				Mono<T> mono;
				try (ContextSnapshot.Scope scope = SNAPSHOTS.setThreadLocalsFrom(actual.currentContext())) {
					try {
						mono = work.get();
					}
					catch (RuntimeException e) {
						Operators.error(actual, Operators.onOperatorError(e, actual.currentContext()));
						return;
					}
					mono.subscribe(actual);
				}
			}
		};
	}
}
