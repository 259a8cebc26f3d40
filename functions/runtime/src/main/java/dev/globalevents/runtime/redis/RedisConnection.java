package dev.globalevents.runtime.redis;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.ClusterClientOptions;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.tracing.MicrometerTracing;
import io.micrometer.observation.ObservationRegistry;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * One shared, auto-pipelining Lettuce connection that is opened lazily and re-opened after a failure, so a function
 * starts (and reports not-ready) while Redis is down instead of crashing, and commands fail fast rather than queue
 * while it is disconnected: callers turn those failures into 503 so the broker retries.
 * <p>
 * {@code redis://host:port} is one Redis; {@code redis-cluster://host:port,host:port} a Redis Cluster (the seed
 * nodes). Callers see the commands both have ({@link RedisClusterAsyncCommands}); every script declares its keys,
 * with one hash tag per script, so it runs on either.
 */
public final class RedisConnection implements AutoCloseable {

	private static final Log log = LogFactory.getLog(RedisConnection.class);
	private static final String CLUSTER = "redis-cluster://";

	private final AbstractRedisClient client;
	private final ClientResources resources;
	private final String describe;
	private final Supplier<CompletableFuture<? extends StatefulConnection<String, String>>> connect;
	private final AtomicReference<CompletableFuture<? extends StatefulConnection<String, String>>> connection = new AtomicReference<>();

	public RedisConnection(String url, Duration commandTimeout) {
		this(url, commandTimeout, ObservationRegistry.NOOP, "redis");
	}

	/**
	 * As {@link #RedisConnection(String, Duration)}, every command observed in {@code observations}: with tracing on,
	 * each is a client span ({@code serviceName} names the remote side) under the span of the request it serves.
	 */
	public RedisConnection(String url, Duration commandTimeout, ObservationRegistry observations, String serviceName) {
		this.resources = observations.isNoop() ? ClientResources.create()
				: ClientResources.builder().tracing(new MicrometerTracing(observations, serviceName)).build();
		TimeoutOptions timeouts = TimeoutOptions.enabled(commandTimeout);
		if (url.startsWith(CLUSTER)) {
			List<RedisURI> seeds = Arrays.stream(url.substring(CLUSTER.length()).split(","))
					.map(node -> RedisURI.create("redis://" + node.trim())).peek(uri -> uri.setTimeout(commandTimeout)).toList();
			RedisClusterClient cluster = RedisClusterClient.create(resources, seeds);
			cluster.setOptions(ClusterClientOptions.builder().autoReconnect(true)
					.disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS).timeoutOptions(timeouts).build());
			this.client = cluster;
			// the cluster's topology is read first (a node that answers lists every slot's owner), then connected
			this.connect = () -> cluster.refreshPartitionsAsync().toCompletableFuture()
					.thenCompose(topology -> cluster.connectAsync(StringCodec.UTF8).toCompletableFuture());
			this.describe = "Redis Cluster seeded by " + url.substring(CLUSTER.length());
		}
		else {
			RedisURI uri = RedisURI.create(url);
			uri.setTimeout(commandTimeout);
			RedisClient single = RedisClient.create(resources);
			single.setOptions(ClientOptions.builder().autoReconnect(true)
					.disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS).timeoutOptions(timeouts).build());
			this.client = single;
			this.connect = () -> single.connectAsync(StringCodec.UTF8, uri).toCompletableFuture();
			this.describe = "Redis at " + uri.getHost() + ":" + uri.getPort();
		}
		log.info(describe + " (command timeout " + commandTimeout.toMillis() + " ms)");
	}

	/** The async commands of the shared connection; completes exceptionally while Redis cannot be reached. */
	public CompletionStage<RedisClusterAsyncCommands<String, String>> async() {
		CompletableFuture<? extends StatefulConnection<String, String>> current = connection.get();
		if (current == null || current.isCompletedExceptionally()) {
			CompletableFuture<? extends StatefulConnection<String, String>> next = connect.get();
			if (connection.compareAndSet(current, next)) {
				next.whenComplete((c, e) -> {
					if (e != null) {
						log.warn(describe + " unreachable: " + e.getMessage());
					}
					else {
						log.info("connected to " + describe);
					}
				});
			}
			current = connection.get();
		}
		return current.thenApply(RedisConnection::commands);
	}

	private static RedisClusterAsyncCommands<String, String> commands(StatefulConnection<String, String> connection) {
		return connection instanceof StatefulRedisClusterConnection<String, String> cluster ? cluster.async()
				: ((StatefulRedisConnection<String, String>) connection).async();
	}

	/** PING through the shared connection: completes with PONG, or exceptionally while Redis cannot be reached. */
	public CompletionStage<String> ping() {
		return async().thenCompose(commands -> commands.ping());
	}

	@Override
	public void close() {
		CompletableFuture<? extends StatefulConnection<String, String>> current = connection.get();
		if (current != null && !current.isCompletedExceptionally() && current.isDone()) {
			current.join().close();
		}
		client.shutdown();
		resources.shutdown();
	}
}
