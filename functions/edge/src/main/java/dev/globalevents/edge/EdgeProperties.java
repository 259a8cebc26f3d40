package dev.globalevents.edge;

import java.net.URI;
import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * What the edge needs, from the environment its Knative Service declares (application.yaml names the variables).
 *
 * @param role          {@code edge}: the region's public entry; {@code relay}: the sync relay to the gateway
 * @param key           the edge credential ({@code EDGE_KEY}, a Secret): the gateway sends it as {@code x-edge-key}
 * @param brokerIngress the region's broker ingress, where {@code POST /events} goes
 * @param aggregate     the region's aggregate, where reads and replays go
 * @param gateway       the gateway's base URL, where the relay sends peers' summaries
 * @param syncKey       this region's sync credential ({@code SYNC_KEY}, a Secret), sent to the gateway as a bearer
 * @param timeout       how long a call to the next hop may take
 */
@ConfigurationProperties("edge")
public record EdgeProperties(Role role, String key, URI brokerIngress, URI aggregate, URI gateway, String syncKey, Duration timeout) {

	public enum Role {
		EDGE, RELAY
	}

	/** Refuses to start without what the role needs, naming the missing variable. */
	public EdgeProperties {
		if (role == Role.EDGE) {
			require(key != null && key.length() >= 32, "EDGE_KEY (at least 32 characters) is required for the edge role");
			require(present(brokerIngress), "BROKER_INGRESS is required for the edge role");
			require(present(aggregate), "AGGREGATE_URL is required for the edge role");
		}
		else if (role == Role.RELAY) {
			require(present(gateway), "GATEWAY_URL is required for the relay role");
			require(syncKey != null && syncKey.length() >= 32, "SYNC_KEY (at least 32 characters) is required for the relay role");
		}
		else {
			throw new IllegalArgumentException("EDGE_ROLE must be edge or relay");
		}
	}

	private static boolean present(URI uri) {
		return uri != null && uri.getHost() != null;
	}

	private static void require(boolean holds, String message) {
		if (!holds) {
			throw new IllegalArgumentException(message);
		}
	}

	@Override
	public String toString() { // never the credentials
		return "EdgeProperties[role=" + role + ", brokerIngress=" + brokerIngress + ", aggregate=" + aggregate + ", gateway=" + gateway + "]";
	}
}
