package dev.globalevents.local.broker;

import java.nio.charset.StandardCharsets;
import java.util.AbstractMap;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/**
 * The CloudEvent attributes of a record the receiver wrote (binary mode: {@code ce_<name>} headers, the content type
 * as {@code datacontenttype}), read when asked. Every Trigger's consumer reads every record and its filter asks for one
 * or two attributes (mostly {@code type}): only those headers are decoded, not all of them into a map per Trigger.
 */
final class RecordAttributes extends AbstractMap<String, String> {

	private static final String PREFIX = "ce_";
	private final Headers headers;

	RecordAttributes(Headers headers) {
		this.headers = headers;
	}

	@Override
	public String get(Object name) {
		if (!(name instanceof String attribute)) {
			return null;
		}
		Header found = null;
		for (Header header : headers) { // the last one wins, as when they are read into a map
			if (attribute.equals("datacontenttype") ? header.key().equalsIgnoreCase("content-type")
					: header.key().length() == PREFIX.length() + attribute.length() && header.key().startsWith(PREFIX)
							&& header.key().endsWith(attribute)) {
				found = header;
			}
		}
		return found == null ? null : new String(found.value(), StandardCharsets.UTF_8);
	}

	@Override
	public boolean containsKey(Object name) {
		return get(name) != null;
	}

	/** All of them (equality, printing): decoded in full. */
	@Override
	public Set<Entry<String, String>> entrySet() {
		Map<String, String> all = new HashMap<>();
		for (Header header : headers) {
			if (header.key().startsWith(PREFIX)) {
				all.put(header.key().substring(PREFIX.length()), new String(header.value(), StandardCharsets.UTF_8));
			}
			else if (header.key().equalsIgnoreCase("content-type")) {
				all.put("datacontenttype", new String(header.value(), StandardCharsets.UTF_8));
			}
		}
		return all.entrySet();
	}
}
