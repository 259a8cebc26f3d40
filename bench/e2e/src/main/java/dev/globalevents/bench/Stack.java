package dev.globalevents.bench;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** The running local stack as its {@code stack.json} describes it: the gateway, the load key and each region's parts. */
record Stack(URI gateway, String loadKey, List<Region> regions) {

	/** One region: its broker ingress and statistics, validate, aggregate and Redis. */
	record Region(String name, URI broker, URI brokerStats, URI validate, URI aggregate, int redisPort) {
	}

	static Stack read(Path file) throws IOException {
		JsonNode stack = new ObjectMapper().readTree(file.toFile());
		List<Region> regions = new ArrayList<>();
		stack.get("regions").properties().forEach(entry -> {
			JsonNode region = entry.getValue();
			regions.add(new Region(entry.getKey(), URI.create(region.get("broker").asText()),
					URI.create(region.at("/broker_process/stats").asText()),
					URI.create(region.at("/functions/validate/url").asText()),
					URI.create(region.at("/functions/aggregate/url").asText()),
					URI.create(region.get("redis").asText()).getPort()));
		});
		String gateway = stack.path("gateway").asText("");
		return new Stack(gateway.isEmpty() ? null : URI.create(gateway), stack.at("/keys/load").asText(), regions);
	}
}
