package dev.globalevents.local.serving;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A revision's autoscaling from its annotations, Knative's defaults where one is absent, within the machine's capacity. */
class ScalingTest {

	static final Map<String, String> VALIDATE = Map.of(Scaling.PREFIX + "min-scale", "1", Scaling.PREFIX + "max-scale", "20",
			Scaling.PREFIX + "target", "50", Scaling.PREFIX + "target-utilization-percentage", "70");

	@Test
	void targetTimesUtilizationIsWhatOneInstanceCarriesAndTheInstancesWantedStayBetweenMinAndMaxScale() {
		Scaling scaling = Scaling.of(VALIDATE, null);

		assertThat(scaling.concurrency()).isEqualTo(35.0);
		assertThat(scaling.window()).isEqualTo(Duration.ofSeconds(60));
		assertThat(scaling.wanted(0)).isEqualTo(1);
		assertThat(scaling.wanted(35)).isEqualTo(1);
		assertThat(scaling.wanted(36)).isEqualTo(2);
		assertThat(scaling.wanted(10_000)).isEqualTo(20);
	}

	@Test
	void knativesDefaultsTheStacksWindowAndTheMachinesCapacity() {
		Scaling defaults = Scaling.of(Map.of(Scaling.PREFIX + "window", "2m", Scaling.PREFIX + "scale-to-zero-pod-retention-period", "30s"), null);
		assertThat(defaults.minScale()).isZero();
		assertThat(defaults.maxScale()).as("unbounded").isZero();
		assertThat(defaults.concurrency()).isEqualTo(70.0);
		assertThat(defaults.window()).isEqualTo(Duration.ofMinutes(2));
		assertThat(defaults.retention()).isEqualTo(Duration.ofSeconds(30));

		assertThat(Scaling.of(VALIDATE, Duration.ofSeconds(6)).window()).isEqualTo(Duration.ofSeconds(6));
		assertThat(Scaling.of(VALIDATE, null).capped(2).maxScale()).isEqualTo(2);
		assertThat(defaults.capped(3).maxScale()).isEqualTo(3);
		assertThat(Scaling.of(Map.of(Scaling.PREFIX + "min-scale", "4"), null).capped(2).minScale()).isEqualTo(2);
		assertThatThrownBy(() -> Scaling.of(Map.of(Scaling.PREFIX + "window", "60"), null)).hasMessageContaining("60s, 2m or 1h");
		assertThat(Scaling.of(Map.of(Scaling.PREFIX + "window", "30s", Scaling.PREFIX + "scale-down-delay", "15m"), null).window())
				.as("a scale-down waits the delay after the stable window").isEqualTo(Duration.ofSeconds(30).plusMinutes(15));
		assertThat(Scaling.of(Map.of(Scaling.PREFIX + "scale-down-delay", "10s"), Duration.ofSeconds(6)).window()).isEqualTo(Duration.ofSeconds(16));
	}
}
