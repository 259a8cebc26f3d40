package dev.globalevents.canary;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/** A {@link TrafficSplitter} that keeps every split it is asked for (no cluster here), and can be made to fail. */
final class RecordingSplitter implements TrafficSplitter {

	private final List<List<TrafficTarget>> routes = new ArrayList<>();
	private int failAt = -1;

	@Override
	public synchronized void route(List<TrafficTarget> traffic) throws IOException {
		if (routes.size() == failAt) {
			failAt = -1;
			throw new IOException("kubectl: the server is currently unable to handle the request");
		}
		routes.add(List.copyOf(traffic));
	}

	/** The {@code n}-th call (from 0) fails once, and is not recorded. */
	RecordingSplitter failingAt(int n) {
		failAt = n;
		return this;
	}

	synchronized List<List<TrafficTarget>> routes() {
		return List.copyOf(routes);
	}
}
