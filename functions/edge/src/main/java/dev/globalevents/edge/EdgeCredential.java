package dev.globalevents.edge;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The secret the gateway presents to a region's edge ({@code x-edge-key}). Compared in constant time: both sides
 * are hashed first, so neither the comparison nor the lengths tell an attacker how much of a guess was right.
 */
final class EdgeCredential {

	static final String HEADER = "x-edge-key";

	private final byte[] expected;

	EdgeCredential(String key) {
		this.expected = sha256(key);
	}

	boolean matches(String presented) {
		return presented != null && MessageDigest.isEqual(expected, sha256(presented));
	}

	private static byte[] sha256(String value) {
		try {
			return MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
		}
		catch (NoSuchAlgorithmException e) {
			throw new IllegalStateException(e);
		}
	}
}
