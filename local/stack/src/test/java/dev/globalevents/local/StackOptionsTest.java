package dev.globalevents.local;

import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The local stack's switches: the environment make run reads them from, with the defaults the README states. */
class StackOptionsTest {

	@Test
	void theGatewayTracesEveryRequestAndTheStacksOwnTrafficIsSampledByDefault() {
		StackOptions options = StackOptions.parse(new String[] { "." }, Map.of());

		assertThat(options.traceSampling()).isEqualTo(1.0);
		assertThat(options.generatedTraceSampling()).isEqualTo(0.1);
		assertThat(options.regions()).containsExactly("us-east", "eu-west", "ap-south");
	}

	@Test
	void bothSharesAreSetFromTheEnvironmentAndMustLieBetweenZeroAndOne() {
		StackOptions options = StackOptions.parse(new String[] { "." },
				Map.of("LOCAL_TRACE_SAMPLING", "0.5", "LOCAL_GENERATED_TRACE_SAMPLING", "0"));

		assertThat(options.traceSampling()).isEqualTo(0.5);
		assertThat(options.generatedTraceSampling()).isZero();
		assertThatThrownBy(() -> StackOptions.parse(new String[] { "." }, Map.of("LOCAL_GENERATED_TRACE_SAMPLING", "1.5")))
				.hasMessageContaining("LOCAL_GENERATED_TRACE_SAMPLING is a share between 0 and 1");
	}

	@Test
	void routedServicesScaleAsTheirAnnotationsSayWithinTheMachinesCapacity() {
		StackOptions defaults = StackOptions.parse(new String[] { "." }, Map.of());
		assertThat(defaults.scaleWindow()).as("each revision's own window").isNull();
		assertThat(defaults.maxInstances()).isEqualTo(Runtime.getRuntime().availableProcessors());

		StackOptions set = StackOptions.parse(new String[] { "." }, Map.of("LOCAL_SCALE_WINDOW", "10s", "LOCAL_MAX_INSTANCES", "3"));
		assertThat(set.scaleWindow()).isEqualTo(java.time.Duration.ofSeconds(10));
		assertThat(set.maxInstances()).isEqualTo(3);
		assertThatThrownBy(() -> StackOptions.parse(new String[] { "." }, Map.of("LOCAL_MAX_INSTANCES", "0")))
				.hasMessageContaining("LOCAL_MAX_INSTANCES is at least 1");
	}

	@Test
	void localRevisionsNamesTheRoutedServicesOrAllOrThoseThatMayScaleToZero() {
		StackOptions defaults = StackOptions.parse(new String[] { "." }, Map.of());
		assertThat(defaults.routed("generate", 0)).as("by default every Service is one process, always on").isFalse();

		StackOptions named = StackOptions.parse(new String[] { "." }, Map.of("LOCAL_REVISIONS", "validate, sync-relay"));
		assertThat(named.routed("validate", 1)).isTrue();
		assertThat(named.routed("sync-relay", 0)).isTrue();
		assertThat(named.routed("generate", 0)).as("only those named").isFalse();

		StackOptions scaleToZero = StackOptions.parse(new String[] { "." }, Map.of("LOCAL_REVISIONS", "scale-to-zero,validate"));
		assertThat(scaleToZero.routed("quarantine", 0)).as("min-scale 0").isTrue();
		assertThat(scaleToZero.routed("aggregate", 1)).isFalse();
		assertThat(scaleToZero.routed("validate", 1)).isTrue();
		StackOptions all = StackOptions.parse(new String[] { "." }, Map.of("LOCAL_REVISIONS", "all"));
		assertThat(all.routed("aggregate", 1)).isTrue();
		assertThat(StackOptions.parse(new String[] { "." }, Map.of("LOCAL_REVISIONS", "none")).routed("generate", 0)).isFalse();
	}
}
