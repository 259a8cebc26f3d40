package dev.globalevents.events.redis;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.async.RedisAsyncCommands;

/**
 * A Lua script run atomically in Redis: sent once by EVALSHA, and by EVAL when the server does not know it yet
 * (after a restart or a SCRIPT FLUSH), after which EVALSHA works again.
 */
public final class RedisScript {

	private final String name;
	private final String source;
	private final String sha;

	private RedisScript(String name, String source) {
		this.name = name;
		this.source = source;
		try {
			this.sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(source.getBytes(StandardCharsets.UTF_8)));
		}
		catch (NoSuchAlgorithmException e) {
			throw new IllegalStateException(e);
		}
	}

	/** Loads {@code classpath:<location>}. */
	public static RedisScript load(String location) {
		try (InputStream in = RedisScript.class.getClassLoader().getResourceAsStream(location)) {
			if (in == null) {
				throw new IllegalArgumentException("no Lua script on the classpath at " + location);
			}
			return new RedisScript(location, new String(in.readAllBytes(), StandardCharsets.UTF_8));
		}
		catch (IOException e) {
			throw new UncheckedIOException(e);
		}
	}

	public <T> CompletionStage<T> run(RedisAsyncCommands<String, String> commands, ScriptOutputType output,
			String[] keys, String... args) {
		CompletableFuture<T> result = new CompletableFuture<>();
		commands.<T>evalsha(sha, output, keys, args).whenComplete((value, error) -> {
			if (error instanceof RedisNoScriptException || (error != null && error.getCause() instanceof RedisNoScriptException)) {
				commands.<T>eval(source, output, keys, args).whenComplete((v, e) -> {
					if (e != null) {
						result.completeExceptionally(e);
					}
					else {
						result.complete(v);
					}
				});
			}
			else if (error != null) {
				result.completeExceptionally(error);
			}
			else {
				result.complete(value);
			}
		});
		return result;
	}

	@Override
	public String toString() {
		return name + " (" + sha + ")";
	}

}
