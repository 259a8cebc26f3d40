package dev.globalevents.local;

import java.net.URI;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where a Trigger whose subscriber is a URI goes locally. A peer region's gateway sync route
 * ({@code /v1/regions/<peer>/sync}) maps to that region's local broker when the peer runs here; anything else maps to
 * null and the Trigger is left out: the local stack never calls outside this machine.
 */
final class PeerRoutes {

	private static final Pattern SYNC = Pattern.compile("/v1/regions/([a-z-]+)/sync");

	private PeerRoutes() {
	}

	static URI peerIngress(URI uri, Map<String, Manifests> manifests, Map<String, Integer> brokerPorts) {
		Matcher sync = SYNC.matcher(uri.getPath());
		if (sync.matches() && brokerPorts.containsKey(sync.group(1))) {
			String peer = sync.group(1);
			return URI.create("http://127.0.0.1:" + brokerPorts.get(peer) + "/" + manifests.get(peer).namespace() + "/events");
		}
		return null;
	}
}
