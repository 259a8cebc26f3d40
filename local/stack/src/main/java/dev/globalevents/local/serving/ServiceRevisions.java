package dev.globalevents.local.serving;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One Knative Service of one region in the local stack: its revisions (each a process of its own, named as Knative
 * names them, {@code <service>-00001}, {@code -00002}, …, added once ready) and its traffic split, which
 * {@link RevisionRouter} follows. {@link #describe()} reads like the Service's {@code spec.traffic} and {@code status}
 * ({@code kubectl get ksvc -o json}), with what the router counted per revision.
 */
public final class ServiceRevisions {

	private final String name;
	private final Map<String, Revision> revisions = new LinkedHashMap<>();
	private final Map<String, AtomicLong[]> answered = new java.util.concurrent.ConcurrentHashMap<>();
	private volatile Traffic traffic = Traffic.latest();
	private volatile String latestReady;

	public ServiceRevisions(String name) {
		this.name = name;
	}

	public String name() {
		return name;
	}

	/** The name the next revision gets. */
	public synchronized String nextRevisionName() {
		return String.format("%s-%05d", name, revisions.size() + 1);
	}

	/** A revision that is ready: the latest ready one from now on (what {@code latestRevision: true} routes to). */
	public synchronized void add(Revision revision) {
		revisions.put(revision.name(), revision);
		answered.put(revision.name(), new AtomicLong[] { new AtomicLong(), new AtomicLong(), new AtomicLong() });
		latestReady = revision.name();
	}

	/** Applies a merge patch of the Service ({@code {"spec":{"traffic":[…]}}}); throws IllegalArgumentException when invalid. */
	public synchronized void patch(JsonNode patch) {
		JsonNode spec = patch.path("spec");
		if (!spec.has("traffic")) {
			throw new IllegalArgumentException("the patch sets nothing the local stack honours: it takes {\"spec\":{\"traffic\":[…]}}");
		}
		traffic = spec.get("traffic").isNull() ? Traffic.latest() : Traffic.parse(spec.get("traffic"), revisions.keySet());
	}

	/** The revision a request goes to: by its tag when it names one, else by the split; null when none is ready. */
	String choose(String tag) {
		String latest = latestReady;
		if (latest == null) {
			return null;
		}
		Traffic current = traffic;
		String tagged = tag == null ? null : current.tagged(tag, latest);
		return tagged != null ? tagged : current.pick(ThreadLocalRandom.current().nextDouble(100), latest);
	}

	/** The revision's instances (null when there is no such revision). */
	synchronized RevisionScaler scaler(String revision) {
		Revision found = revisions.get(revision);
		return found == null ? null : found.scaler();
	}

	/** Each revision's autoscaler looks at its requests in flight (about once a second). */
	public void tick() {
		all().forEach(revision -> revision.scaler().tick());
	}

	/** No instance of any revision is started from now on (the stack is stopping). */
	public void close() {
		all().forEach(revision -> revision.scaler().close());
	}

	private synchronized List<Revision> all() {
		return List.copyOf(revisions.values());
	}

	void answered(String revision, int status) {
		AtomicLong[] counts = answered.get(revision);
		counts[0].incrementAndGet();
		if (status >= 500) {
			counts[1].incrementAndGet();
		}
	}

	void failed(String revision) {
		answered.get(revision)[2].incrementAndGet();
	}

	/** {@code spec.traffic}, {@code status} (latest ready revision, traffic resolved) and each revision's counts. */
	public synchronized Map<String, Object> describe() {
		Map<String, Object> perRevision = new LinkedHashMap<>();
		revisions.forEach((revision, process) -> {
			AtomicLong[] counts = answered.get(revision);
			Map<String, Object> described = new LinkedHashMap<>(Map.of("url", process.url().toString(), "requests", counts[0].get(),
					"answered_5xx", counts[1].get(), "unreachable", counts[2].get()));
			described.putAll(process.scaler().describe());
			perRevision.put(revision, described);
		});
		Map<String, Object> status = new LinkedHashMap<>();
		status.put("latestReadyRevisionName", latestReady);
		status.put("traffic", traffic.status(latestReady));
		Map<String, Object> description = new LinkedHashMap<>();
		description.put("metadata", Map.of("name", name));
		description.put("spec", Map.of("traffic", traffic.spec()));
		description.put("status", status);
		description.put("revisions", perRevision);
		return description;
	}

	/** Each revision's scale now, by revision name. */
	public synchronized Map<String, RevisionScaler.Status> statuses() {
		Map<String, RevisionScaler.Status> statuses = new LinkedHashMap<>();
		revisions.forEach((revision, process) -> statuses.put(revision, process.scaler().status()));
		return statuses;
	}

	/**
	 * One revision: the Service's template as it was when the revision was made, served by the instances its scaler
	 * keeps ({@code url}: its first instance's address).
	 */
	public record Revision(String name, URI url, RevisionScaler scaler) {
	}
}
