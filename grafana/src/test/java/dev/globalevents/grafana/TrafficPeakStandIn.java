package dev.globalevents.grafana;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

import dev.globalevents.events.testing.ClickHouseServer;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import tools.jackson.databind.json.JsonMapper;

/**
 * TrafficPeak's local stand-in for the proofs: a real clickhouse-server (18.16 here) with {@code globalevents.metrics}
 * created from export-metrics' own DDL, holding every {@link DataSet}. One per test run, shared by the test classes
 * that ask for it as a parameter (see {@link Extension}), stopped when the run ends.
 */
final class TrafficPeakStandIn implements AutoCloseable {

	/** export-metrics' DDL of the table, as it creates it at start (relative to this module's folder). */
	static final Path DDL = Path.of("../functions/export-metrics/src/main/resources/sql/metrics.clickhouse.sql");

	private static final JsonMapper JSON = JsonMapper.builder().build();

	final ClickHouseServer server;
	final ClickHouseHttp clickhouse;
	final DataSet normal = DataSet.normal();
	final List<DataSet> breaches = DataSet.breaches();

	private TrafficPeakStandIn() {
		server = new ClickHouseServer();
		clickhouse = new ClickHouseHttp(server.url());
		try {
			clickhouse.execute("CREATE DATABASE IF NOT EXISTS globalevents");
			clickhouse.execute(Files.readString(DDL).replace("${database}", "globalevents"));
		}
		catch (IOException e) {
			throw new UncheckedIOException(e);
		}
		List<DataSet> all = new ArrayList<>(breaches);
		all.addFirst(normal);
		for (DataSet set : all) {
			String rows = set.rows().stream().map(r -> JSON.writeValueAsString(r.json())).collect(Collectors.joining("\n"));
			for (int i = 0; i < set.inserts(); i++) { // each insert its own part: duplicates stay until a merge
				clickhouse.insert("globalevents.metrics", rows);
			}
		}
	}

	String url() {
		return server.url();
	}

	DataSet breach(String name) {
		return breaches.stream().filter(b -> b.name().startsWith(name + ":")).findFirst()
				.orElseThrow(() -> new IllegalArgumentException("no data set " + name));
	}

	@Override
	public void close() {
		server.close();
	}

	/** Hands the one stand-in of the run to a test's (or {@code @BeforeAll}'s) parameter. */
	static final class Extension implements ParameterResolver {

		@Override
		public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
			return parameter.getParameter().getType() == TrafficPeakStandIn.class;
		}

		@Override
		public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
			return context.getRoot().getStore(ExtensionContext.Namespace.GLOBAL)
					.computeIfAbsent(TrafficPeakStandIn.class, type -> new TrafficPeakStandIn(), TrafficPeakStandIn.class);
		}
	}
}
