package dev.globalevents.local;

import java.security.SecureRandom;
import java.util.Base64;

/**
 * A region's two secrets, made fresh for each run as terraform/ makes them for a deployment: the edge credential
 * (Secret {@code edge-credentials}, only the gateway has it) and the region's sync credential (Secret
 * {@code sync-credentials}, the sync relay presents it to the gateway).
 */
record RegionCredentials(String edgeKey, String syncKey) {

	private static final SecureRandom RANDOM = new SecureRandom();

	static RegionCredentials generate() {
		return new RegionCredentials(secret(), secret());
	}

	private static String secret() {
		byte[] bytes = new byte[32];
		RANDOM.nextBytes(bytes);
		return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
	}

	@Override
	public String toString() {
		return "RegionCredentials[...]";
	}
}
