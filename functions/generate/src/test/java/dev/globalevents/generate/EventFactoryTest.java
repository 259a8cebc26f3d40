package dev.globalevents.generate;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import dev.globalevents.events.Event;
import dev.globalevents.events.Json;
import dev.globalevents.events.JsonSchemas;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class EventFactoryTest {

	static final Instant NOW = Instant.parse("2026-06-01T12:00:00Z");

	static List<String> events(long seed, String region, int n) {
		EventFactory factory = new EventFactory(region, "gen-1", DefaultConfig.properties().types(), false, new SplittableRandom(seed));
		List<String> events = new ArrayList<>();
		for (int i = 0; i < n; i++) {
			events.add(Json.MAPPER.writeValueAsString(factory.next(NOW.plusMillis(i))));
		}
		return events;
	}

	@Test
	void theSameSeedGivesTheSameEventsAndAnotherSeedOthers() {
		assertThat(events(42, "eu-west", 300)).isEqualTo(events(42, "eu-west", 300));
		assertThat(events(43, "eu-west", 300)).doesNotContainAnyElementsOf(events(42, "eu-west", 300));
	}

	@ParameterizedTest
	@ValueSource(strings = { "us-east", "eu-west", "ap-south" })
	void everyGeneratedEventConformsToTheEventSchemaAndItsPayloadSchema(String region) {
		var eventSchema = JsonSchemas.load(JsonSchemas.EVENT);
		Map<String, JsonSchemas.CompiledSchema> payloadSchemas = new HashMap<>();
		for (String json : events(7, region, 2000)) {
			var event = Json.MAPPER.readTree(json);
			String type = event.get("type").asString();
			var payloadSchema = payloadSchemas.computeIfAbsent(type,
					t -> dev.globalevents.events.EventRegistry.shipped().payloadSchema(t));

			assertThat(eventSchema.validate(event, "")).as(json).isEmpty();
			assertThat(payloadSchema.validate(event.get("payload"), "/payload")).as(json).isEmpty();
			assertThat(event.at("/source/region").asString()).isEqualTo(region);
		}
	}

	@Test
	void typesFollowTheirRatesInTheRegion() {
		GenerateProperties properties = DefaultConfig.properties();
		EventFactory factory = new EventFactory("eu-west", "gen-1", properties.types(), false, new SplittableRandom(1));
		Map<String, Integer> counts = new HashMap<>();
		int n = 50_000;
		for (int i = 0; i < n; i++) {
			counts.merge(factory.next(NOW).type(), 1, Integer::sum);
		}
		double total = properties.types().values().stream().mapToDouble(t -> t.rateIn("eu-west")).sum();
		properties.types().forEach((type, spec) -> assertThat(counts.getOrDefault(type, 0) / (double) n)
				.as(type).isCloseTo(spec.rateIn("eu-west") / total, within(0.01)));
	}

	@Test
	void eventsCarryTheConfiguredMetadataAndUniqueIds() {
		EventFactory factory = new EventFactory("ap-south", "gen-9", DefaultConfig.properties().types(), true, new SplittableRandom(3));
		List<Event> events = new ArrayList<>();
		for (int i = 0; i < 5000; i++) {
			events.add(factory.next(NOW));
		}

		assertThat(events).extracting(Event::id).doesNotHaveDuplicates();
		assertThat(events).filteredOn(e -> e.type().equals("payment.processed"))
				.allSatisfy(e -> {
					assertThat(e.metadata().version()).isEqualTo("2.0");
					assertThat(e.metadata().tags()).containsExactly("payments");
					assertThat(e.metadata().priority()).isIn(6, 9);
				});
		assertThat(events).extracting(e -> e.source().toUri()).containsOnly("/regions/ap-south/instances/gen-9");
	}
}
