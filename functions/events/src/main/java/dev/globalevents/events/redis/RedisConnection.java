package dev.globalevents.events.redis;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicReference;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.codec.StringCodec;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * One shared, auto-pipelining Lettuce connection that is opened lazily and re-opened after a failure, so a function
 * starts (and reports not-ready) while Redis is down instead of crashing, and commands fail fast rather than queue
 * while it is disconnected: callers turn those failures into 503 so the broker retries.
 */
public final class RedisConnection implements AutoCloseable {

	private static final Log log = LogFactory.getLog(RedisConnection.class);

	private final RedisClient client;
	private final RedisURI uri;
	private final AtomicReference<CompletableFuture<StatefulRedisConnection<String, String>>> connection = new AtomicReference<>();

	public RedisConnection(String url, Duration commandTimeout) {
		this.uri = RedisURI.create(url);
		this.uri.setTimeout(commandTimeout);
		this.client = RedisClient.create();
		this.client.setOptions(ClientOptions.builder()
				.autoReconnect(true)
				.disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
				.timeoutOptions(TimeoutOptions.enabled(commandTimeout))
				.build());
		log.info("Redis at " + uri.getHost() + ":" + uri.getPort() + " (command timeout " + commandTimeout.toMillis() + " ms)");
	}

	/** The async commands of the shared connection; completes exceptionally while Redis cannot be reached. */
	public CompletionStage<RedisAsyncCommands<String, String>> async() {
		CompletableFuture<StatefulRedisConnection<String, String>> current = connection.get();
		if (current == null || current.isCompletedExceptionally()) {
			CompletableFuture<StatefulRedisConnection<String, String>> next = client
					.connectAsync(StringCodec.UTF8, uri).toCompletableFuture();
			if (connection.compareAndSet(current, next)) {
				next.whenComplete((c, e) -> {
					if (e != null) {
						log.warn("Redis at " + uri.getHost() + ":" + uri.getPort() + " unreachable: " + e.getMessage());
					}
					else {
						log.info("connected to Redis at " + uri.getHost() + ":" + uri.getPort());
					}
				});
			}
			current = connection.get();
		}
		return current.thenApply(StatefulRedisConnection::async);
	}

	/** PING through the shared connection: completes with PONG, or exceptionally while Redis cannot be reached. */
	public CompletionStage<String> ping() {
		return async().thenCompose(commands -> commands.ping());
	}

	@Override
	public void close() {
		CompletableFuture<StatefulRedisConnection<String, String>> current = connection.get();
		if (current != null && !current.isCompletedExceptionally() && current.isDone()) {
			current.join().close();
		}
		client.shutdown();
	}
}
