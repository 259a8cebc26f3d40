package dev.globalevents.aggregate;

import dev.globalevents.events.testing.RedisServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** Base of tests that need a real redis-server: one per test class, stopped after it. */
abstract class RedisTest {

	static RedisServer server;

	@BeforeAll
	static void startRedis() {
		server = RedisServer.started();
	}

	@AfterAll
	static void stopRedis() {
		server.close();
	}
}
