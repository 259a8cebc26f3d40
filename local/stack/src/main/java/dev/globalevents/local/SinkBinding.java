package dev.globalevents.local;

import io.fabric8.knative.serving.v1.Service;

/**
 * The SinkBinding {@code functions-to-broker} of {@code knative/base/sources.yaml}: every Knative Service labelled
 * {@code globalevents.dev/sink: broker} gets the region's broker as {@code K_SINK}.
 */
final class SinkBinding {

	static final String LABEL = "globalevents.dev/sink";

	private SinkBinding() {
	}

	static boolean selects(Service service) {
		var labels = service.getMetadata().getLabels();
		return labels != null && "broker".equals(labels.get(LABEL));
	}
}
