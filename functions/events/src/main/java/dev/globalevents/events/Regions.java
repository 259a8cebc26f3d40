package dev.globalevents.events;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The regions the system runs in. The canonical names come from the {@code source.region} enum of
 * {@code event.schema.json}, so the schema stays the single source; {@link #canonical} maps the spellings senders
 * use ({@code US_East}, {@code us east}, {@code useast}) to them.
 */
public final class Regions {

	private static final List<String> CANONICAL = load();

	private Regions() {
	}

	public static List<String> all() {
		return CANONICAL;
	}

	/** The canonical name of a region, or null when the region is unknown. */
	public static String canonical(String raw) {
		if (raw == null) {
			return null;
		}
		String folded = raw.trim().toLowerCase(Locale.ROOT).replace('_', '-').replace(' ', '-');
		for (String region : CANONICAL) {
			if (region.equals(folded) || region.replace("-", "").equals(folded)) {
				return region;
			}
		}
		return null;
	}

	private static List<String> load() {
		List<String> regions = new ArrayList<>();
		JsonSchemas.schemaNode("event").at("/properties/source/properties/region/enum")
				.forEach(node -> regions.add(node.asString()));
		if (regions.isEmpty()) {
			throw new IllegalStateException("event.schema.json lists no regions");
		}
		return List.copyOf(regions);
	}
}
