package dev.globalevents.quarantine;

import java.util.List;
import java.util.Map;

import reactor.core.publisher.Mono;

/** Where dead-lettered requests are kept until someone looks at them or replays them. */
interface QuarantineStore {

	/** Keeps a request; completes once it is stored durably. */
	Mono<String> keep(Map<String, String> headers, byte[] body, long receivedAt);

	/** The newest {@code max} entries, newest first. */
	Mono<List<Quarantined>> newest(int max);

	/** Entries by id (unknown ids are left out). */
	Mono<List<Quarantined>> get(List<String> ids);

	/** Removes entries (after a successful replay). */
	Mono<Void> remove(List<String> ids);

	Mono<Long> size();
}
