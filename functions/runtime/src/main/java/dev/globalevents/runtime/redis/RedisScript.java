package dev.globalevents.runtime.redis;

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
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.output.NestedMultiOutput;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.CommandType;

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

	/**
	 * Runs the script. Arguments go to Redis as UTF-8 bytes encoded up front ({@code String.getBytes} is fast);
	 * handing Lettuce strings makes Netty encode them a byte at a time into a direct buffer when it cannot use
	 * {@code sun.misc.Unsafe}, as on Java 25 by default, which was the largest cost of a large batch.
	 */
	public <T> CompletionStage<T> run(RedisClusterAsyncCommands<String, String> commands, ScriptOutputType output,
			String[] keys, String... args) {
		if (keys.length == 0) {
			throw new IllegalArgumentException(name + ": pass the keys the script touches in KEYS[] (Redis Cluster routes a script by them)");
		}
		if (output != ScriptOutputType.MULTI) {
			return call(commands.<T>evalsha(sha, output, keys, args), () -> commands.<T>eval(source, output, keys, args));
		}
		return call(dispatch(commands, CommandType.EVALSHA, sha, keys, args),
				() -> dispatch(commands, CommandType.EVAL, source, keys, args));
	}

	@SuppressWarnings("unchecked")
	private static <T> CompletionStage<T> dispatch(RedisClusterAsyncCommands<String, String> commands, CommandType type,
			String script, String[] keys, String[] args) {
		CommandArgs<String, String> arguments = new CommandArgs<>(StringCodec.UTF8).add(script).add(keys.length).addKeys(keys);
		for (String arg : args) {
			arguments.add(arg.getBytes(StandardCharsets.UTF_8));
		}
		return (CompletionStage<T>) commands.dispatch(type, new NestedMultiOutput<>(StringCodec.UTF8), arguments);
	}

	private static <T> CompletionStage<T> call(CompletionStage<T> first, java.util.function.Supplier<CompletionStage<T>> fallback) {
		CompletableFuture<T> result = new CompletableFuture<>();
		first.whenComplete((value, error) -> {
			if (error instanceof RedisNoScriptException || (error != null && error.getCause() instanceof RedisNoScriptException)) {
				fallback.get().whenComplete((v, e) -> {
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
