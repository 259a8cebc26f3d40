package dev.globalevents.export;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Typed configuration of export-metrics ({@code export.*}); the defaults are here and only here. Credentials come
 * from the environment (Secrets in Knative), never from files in git. The region and Redis (the spill) come from the
 * runtime ({@code function.*}).
 *
 * @param sink         {@code clickhouse} or {@code trafficpeak}
 * @param batchSize    rows per batch at most
 * @param batchWait    how long the oldest row of a batch waits at most
 * @param retries      retries of a batch on 429, 5xx or no answer
 * @param backoff      first backoff (doubling, with jitter)
 * @param maxBackoff   longest backoff; a {@code Retry-After} asking for longer wins
 * @param drainInterval how often spilled rows are offered to the store again
 * @param clickhouse   ClickHouse over HTTP
 * @param trafficpeak  Hydrolix streaming ingest
 */
@ConfigurationProperties("export")
public record ExportProperties(
		@DefaultValue("clickhouse") String sink,
		@DefaultValue("500") int batchSize,
		@DefaultValue("1s") Duration batchWait,
		@DefaultValue("5") int retries,
		@DefaultValue("200ms") Duration backoff,
		@DefaultValue("10s") Duration maxBackoff,
		@DefaultValue("1s") Duration drainInterval,
		@DefaultValue ClickHouse clickhouse,
		@DefaultValue TrafficPeak trafficpeak) {

	/** {@code url} such as {@code http://127.0.0.1:8123}; the table is {@code <database>.metrics}. */
	public record ClickHouse(@DefaultValue("http://127.0.0.1:8123") String url, @DefaultValue("globalevents") String database,
			@DefaultValue("") String user, @DefaultValue("") String password, @DefaultValue("true") boolean createTable) {
	}

	/** {@code url} of the TrafficPeak host; {@code token} (Bearer) or {@code user}/{@code password} (Basic). */
	public record TrafficPeak(@DefaultValue("") String url, @DefaultValue("globalevents.metrics") String table,
			@DefaultValue("metrics_json") String transform, @DefaultValue("") String token, @DefaultValue("") String user,
			@DefaultValue("") String password) {

		String authorization() {
			if (!token.isBlank()) {
				return "Bearer " + token;
			}
			return user.isBlank() ? "" : "Basic " + java.util.Base64.getEncoder()
					.encodeToString((user + ":" + password).getBytes(java.nio.charset.StandardCharsets.UTF_8));
		}
	}
}
