package dev.globalevents.local.broker;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.cloudevents.CloudEvent;

import io.fabric8.knative.eventing.v1.SubscriptionsAPIFilter;
import io.fabric8.knative.eventing.v1.Trigger;

/**
 * Knative's Trigger filters evaluated against CloudEvent attributes: the {@code filters} dialects these manifests
 * use (exact, prefix, suffix, all, any, not; every top-level filter must match) and the legacy {@code filter}.
 */
public final class Filters {

	private Filters() {
	}

	public static boolean matches(Trigger trigger, Map<String, String> event) {
		List<SubscriptionsAPIFilter> filters = trigger.getSpec().getFilters();
		if (filters != null && !filters.isEmpty()) {
			return filters.stream().allMatch(f -> matches(f, event));
		}
		if (trigger.getSpec().getFilter() == null || trigger.getSpec().getFilter().getAttributes() == null) {
			return true;
		}
		return trigger.getSpec().getFilter().getAttributes().entrySet().stream()
				.allMatch(a -> a.getValue().isEmpty() || a.getValue().equals(event.get(a.getKey())));
	}

	public static boolean matches(SubscriptionsAPIFilter filter, Map<String, String> event) {
		if (filter.getCesql() != null && !filter.getCesql().isBlank()) {
			throw new IllegalArgumentException("cesql filters are not evaluated by this check: " + filter.getCesql());
		}
		boolean result = true;
		if (filter.getExact() != null) {
			result &= filter.getExact().entrySet().stream().allMatch(e -> e.getValue().equals(event.get(e.getKey())));
		}
		if (filter.getPrefix() != null) {
			result &= filter.getPrefix().entrySet().stream().allMatch(e -> {
				String value = event.get(e.getKey()); // read once: a record's attributes are decoded when asked for
				return value != null && value.startsWith(e.getValue());
			});
		}
		if (filter.getSuffix() != null) {
			result &= filter.getSuffix().entrySet().stream().allMatch(e -> {
				String value = event.get(e.getKey());
				return value != null && value.endsWith(e.getValue());
			});
		}
		if (filter.getAll() != null && !filter.getAll().isEmpty()) {
			result &= filter.getAll().stream().allMatch(f -> matches(f, event));
		}
		if (filter.getAny() != null && !filter.getAny().isEmpty()) {
			result &= filter.getAny().stream().anyMatch(f -> matches(f, event));
		}
		if (filter.getNot() != null) {
			result &= !matches(filter.getNot(), event);
		}
		return result;
	}

	/** An event's attributes and extensions by name, as filters see them. */
	public static Map<String, String> attributes(CloudEvent event) {
		Map<String, String> attributes = new HashMap<>();
		attributes.put("specversion", event.getSpecVersion().toString());
		attributes.put("id", event.getId());
		attributes.put("type", event.getType());
		attributes.put("source", event.getSource().toString());
		if (event.getSubject() != null) {
			attributes.put("subject", event.getSubject());
		}
		if (event.getDataContentType() != null) {
			attributes.put("datacontenttype", event.getDataContentType());
		}
		if (event.getTime() != null) {
			attributes.put("time", event.getTime().toString());
		}
		for (String extension : event.getExtensionNames()) {
			attributes.put(extension, String.valueOf(event.getExtension(extension)));
		}
		return attributes;
	}
}
