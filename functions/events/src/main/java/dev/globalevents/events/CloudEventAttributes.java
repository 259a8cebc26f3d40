package dev.globalevents.events;

/**
 * Names of the CloudEvent attributes and extensions this system reads and writes, and how they map to an
 * {@link Event}:
 * <ul>
 * <li>{@code id} ↔ event.id, {@code time} ↔ event.timestamp, {@code type} ↔ event.type (incoming events)</li>
 * <li>{@code source} ↔ event.source as {@code /regions/{region}/instances/{instance}}</li>
 * <li>{@code data} ↔ event.payload (incoming) or the whole Event (validated)</li>
 * <li>extensions {@code priority}, {@code tags} (comma separated), {@code eventversion} ↔ event.metadata</li>
 * <li>extension {@code eventtype} on validated events carries event.type so triggers can filter on it</li>
 * <li>extension {@code validatedat} (ISO 8601) on validated events: when validate forwarded it</li>
 * <li>extension {@code replayed} ("true") marks events re-emitted by a replay, {@code arrivedat} (epoch ms) is
 * when aggregate first received them</li>
 * </ul>
 */
public final class CloudEventAttributes {

	public static final String SPECVERSION = "specversion";
	public static final String ID = "id";
	public static final String SOURCE = "source";
	public static final String TYPE = "type";
	public static final String TIME = "time";
	public static final String DATACONTENTTYPE = "datacontenttype";
	public static final String DATA = "data";
	public static final String DATA_BASE64 = "data_base64";

	public static final String PRIORITY = "priority";
	public static final String TAGS = "tags";
	public static final String EVENT_VERSION = "eventversion";
	public static final String EVENT_TYPE = "eventtype";
	public static final String REGION = "region";
	public static final String REPLAYED = "replayed";
	public static final String VALIDATED_AT = "validatedat";
	/**
	 * Extension of a validated event: its number in the region's sequence of validated events (validate numbers each
	 * event it sees first). aggregate's queue depth is the highest number it has seen minus the events it counted.
	 */
	public static final String VALIDATED_SEQ = "validatedseq";
	public static final String ARRIVED_AT = "arrivedat";

	/** Prefix of CloudEvent attributes in binary-mode HTTP headers and in Spring messages. */
	public static final String HEADER_PREFIX = "ce-";

	private CloudEventAttributes() {
	}
}
