package dev.globalevents.canary;

import java.io.IOException;
import java.util.List;

/** Sets how one Knative Service divides its traffic among its revisions. */
public interface TrafficSplitter {

	/** Replaces the Service's {@code spec.traffic} with {@code traffic} (percentages totalling 100). */
	void route(List<TrafficTarget> traffic) throws IOException;
}
