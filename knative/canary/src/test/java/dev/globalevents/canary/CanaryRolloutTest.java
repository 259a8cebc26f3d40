package dev.globalevents.canary;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.globalevents.canary.Decision.Verdict;

import static dev.globalevents.canary.TrafficTarget.latest;
import static dev.globalevents.canary.TrafficTarget.revision;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The rollout's schedule against scripted metrics: which splits it routes, in which order, and when it stops. The
 * metrics come from a queue of (stable, canary) pairs, one per analysis; the splitter records; time is virtual.
 */
class CanaryRolloutTest {

	static final Instant START = Instant.parse("2026-12-01T10:00:00Z");
	static final Duration INTERVAL = Duration.ofMinutes(2);
	static final Thresholds THRESHOLDS = new Thresholds(0.01, 1.5, 100);
	static final RevisionMetrics STABLE = new RevisionMetrics(10_000, 50, 0.080);
	static final RevisionMetrics GOOD = new RevisionMetrics(1_000, 5, 0.085);
	static final RevisionMetrics FAULTY = new RevisionMetrics(1_000, 200, 0.085);
	static final RevisionMetrics QUIET = new RevisionMetrics(3, 0, 0.085);

	final RecordingSplitter splitter = new RecordingSplitter();
	final VirtualPacer pacer = new VirtualPacer(START);
	final List<String> log = new ArrayList<>();

	@Test
	void aGoodCanaryIsPromotedStepByStep() throws Exception {
		CanaryRollout.Outcome outcome = rollout(settings(0, false), GOOD, GOOD, GOOD).run();

		assertThat(outcome.promoted()).isTrue();
		assertThat(splitter.routes()).containsExactly(
				List.of(revision("v1", 90, "stable"), revision("v2", 10, "canary")),
				List.of(revision("v1", 75, "stable"), revision("v2", 25, "canary")),
				List.of(revision("v1", 50, "stable"), revision("v2", 50, "canary")),
				List.of(latest(100)));
		assertThat(outcome.analyses()).extracting(CanaryRollout.Analysis::percent).containsExactly(10, 25, 50);
		assertThat(outcome.analyses()).extracting(a -> a.decision().verdict()).containsOnly(Verdict.PASS);
		assertThat(pacer.ends()).containsExactly(START.plus(INTERVAL), START.plus(INTERVAL.multipliedBy(2)), START.plus(INTERVAL.multipliedBy(3)));
		assertThat(outcome.analyses()).extracting(CanaryRollout.Analysis::end).isEqualTo(pacer.ends());
	}

	@Test
	void theWarmUpDelaysOnlyTheFirstStepsWindow() throws Exception {
		Duration warmup = Duration.ofSeconds(30);
		RolloutSettings settings = new RolloutSettings(List.of(10, 25, 50, 100), INTERVAL, THRESHOLDS, 0, false, warmup);

		CanaryRollout.Outcome outcome = rollout(settings, GOOD, GOOD, GOOD).run();

		assertThat(outcome.promoted()).isTrue();
		assertThat(outcome.analyses()).extracting(CanaryRollout.Analysis::end).containsExactly(START.plus(warmup).plus(INTERVAL),
				START.plus(warmup).plus(INTERVAL.multipliedBy(2)), START.plus(warmup).plus(INTERVAL.multipliedBy(3)));
		assertThat(log).anyMatch(line -> line.contains("warming up for 30 s"));
	}

	@Test
	void aFaultyCanaryIsRolledBackAtTheStepItFails() throws Exception {
		CanaryRollout.Outcome outcome = rollout(settings(0, false), GOOD, FAULTY).run();

		assertThat(outcome.promoted()).isFalse();
		assertThat(outcome.reason()).startsWith("rolled back at 25%: 5xx 20.00 %");
		assertThat(splitter.routes()).containsExactly(
				List.of(revision("v1", 90, "stable"), revision("v2", 10, "canary")),
				List.of(revision("v1", 75, "stable"), revision("v2", 25, "canary")),
				List.of(revision("v1", 100, "stable"), revision("v2", 0, "canary")));
		assertThat(log).last().asString().contains("100% to v1");
	}

	@Test
	void aStepWithoutEnoughTrafficWaitsThenRollsBack() throws Exception {
		CanaryRollout.Outcome outcome = rollout(settings(2, false), QUIET, QUIET, QUIET).run();

		assertThat(outcome.promoted()).isFalse();
		assertThat(outcome.reason()).isEqualTo("rolled back at 10%: still held after 3 intervals: the canary answered 3 requests, fewer than the 100 needed to judge it");
		assertThat(outcome.analyses()).extracting(a -> a.decision().verdict()).containsExactly(Verdict.HOLD, Verdict.HOLD, Verdict.HOLD);
		assertThat(splitter.routes()).containsExactly(
				List.of(revision("v1", 90, "stable"), revision("v2", 10, "canary")),
				List.of(revision("v1", 100, "stable"), revision("v2", 0, "canary")));
	}

	@Test
	void aHeldStepThatGetsItsTrafficGoesOn() throws Exception {
		CanaryRollout.Outcome outcome = rollout(settings(2, false), QUIET, GOOD, GOOD, GOOD).run();

		assertThat(outcome.promoted()).isTrue();
		assertThat(outcome.analyses()).extracting(CanaryRollout.Analysis::percent).containsExactly(10, 10, 25, 50);
		assertThat(splitter.routes()).hasSize(4).last().isEqualTo(List.of(latest(100)));
	}

	@Test
	void aServiceThatMaySeeNoTrafficIsPromotedWhenItSeesNone() throws Exception {
		CanaryRollout.Outcome outcome = rollout(settings(1, true), QUIET, QUIET, QUIET, QUIET, QUIET, QUIET).run();

		assertThat(outcome.promoted()).isTrue();
		assertThat(outcome.analyses()).hasSize(6);
		assertThat(splitter.routes()).last().isEqualTo(List.of(latest(100)));
	}

	@Test
	void promoteWithoutDataStillRollsBackOnErrors() throws Exception {
		CanaryRollout.Outcome outcome = rollout(settings(1, true), QUIET, QUIET, FAULTY).run();

		assertThat(outcome.promoted()).isFalse();
		assertThat(outcome.reason()).startsWith("rolled back at 25%");
	}

	@Test
	void prometheusNotAnsweringHoldsTheStep() throws Exception {
		MetricsSource broken = (revision, window, end) -> {
			throw new IOException("connection refused");
		};
		CanaryRollout rollout = new CanaryRollout("validate", "v1", "v2", settings(1, false), broken, splitter, pacer, log::add);

		CanaryRollout.Outcome outcome = rollout.run();

		assertThat(outcome.promoted()).isFalse();
		assertThat(outcome.reason()).contains("still held after 2 intervals: Prometheus: connection refused");
		assertThat(splitter.routes()).last().isEqualTo(List.of(revision("v1", 100, "stable"), revision("v2", 0, "canary")));
	}

	@Test
	void noNewRevisionIsPromotedAtOnce() throws Exception {
		CanaryRollout rollout = new CanaryRollout("quarantine", "v1", "v1", settings(0, false), scripted(), splitter, pacer, log::add);

		CanaryRollout.Outcome outcome = rollout.run();

		assertThat(outcome.promoted()).isTrue();
		assertThat(outcome.reason()).isEqualTo("no new revision: v1 stays");
		assertThat(splitter.routes()).containsExactly(List.of(latest(100)));
		assertThat(pacer.ends()).isEmpty();
	}

	@Test
	void aSplitThatFailsSendsTrafficBackToStable() {
		splitter.failingAt(1);
		CanaryRollout rollout = rollout(settings(0, false), GOOD, GOOD, GOOD);

		assertThatThrownBy(rollout::run).isInstanceOf(IOException.class).hasMessageContaining("unable to handle");
		assertThat(splitter.routes()).containsExactly(
				List.of(revision("v1", 90, "stable"), revision("v2", 10, "canary")),
				List.of(revision("v1", 100, "stable"), revision("v2", 0, "canary")));
	}

	@Test
	void anAbortAfterTheEndChangesNothing() throws Exception {
		CanaryRollout rollout = rollout(settings(0, false), GOOD, GOOD, GOOD);
		rollout.run();

		rollout.abort();

		assertThat(splitter.routes()).hasSize(4).last().isEqualTo(List.of(latest(100)));
	}

	@Test
	void anAbortMidwayRollsBackAndStopsTheSteps() throws Exception {
		CanaryRollout[] self = new CanaryRollout[1];
		Deque<RevisionMetrics> pairs = new ArrayDeque<>(List.of(STABLE, GOOD));
		MetricsSource abortingAfterFirstStep = (revision, window, end) -> {
			if (pairs.isEmpty()) {
				self[0].abort(); // what the shutdown hook does when the workflow is cancelled
				return GOOD;
			}
			return pairs.poll();
		};
		self[0] = new CanaryRollout("validate", "v1", "v2", settings(0, false), abortingAfterFirstStep, splitter, pacer, log::add);

		assertThatThrownBy(self[0]::run).isInstanceOf(IllegalStateException.class).hasMessageContaining("aborted");
		assertThat(splitter.routes()).containsExactly(
				List.of(revision("v1", 90, "stable"), revision("v2", 10, "canary")),
				List.of(revision("v1", 75, "stable"), revision("v2", 25, "canary")),
				List.of(revision("v1", 100, "stable"), revision("v2", 0, "canary")));
	}

	@Test
	void stepsEndingBelowAHundredStillPromote() throws Exception {
		RolloutSettings settings = new RolloutSettings(List.of(5, 50), INTERVAL, THRESHOLDS, 0, false);

		CanaryRollout.Outcome outcome = rollout(settings, GOOD, GOOD).run();

		assertThat(outcome.promoted()).isTrue();
		assertThat(splitter.routes()).extracting(route -> route.getLast().percent()).containsExactly(5, 50, 100);
	}

	@Test
	void settingsRefuseAScheduleThatDoesNotRise() {
		assertThatThrownBy(() -> new RolloutSettings(List.of(10, 10, 100), INTERVAL, THRESHOLDS, 0, false)).hasMessageContaining("rise");
		assertThatThrownBy(() -> new RolloutSettings(List.of(10, 120), INTERVAL, THRESHOLDS, 0, false)).hasMessageContaining("1..100");
		assertThatThrownBy(() -> new RolloutSettings(List.of(), INTERVAL, THRESHOLDS, 0, false)).hasMessageContaining("no steps");
		assertThatThrownBy(() -> new RolloutSettings(List.of(50), Duration.ZERO, THRESHOLDS, 0, false)).hasMessageContaining("interval");
	}

	RolloutSettings settings(int maxHolds, boolean promoteWithoutData) {
		return new RolloutSettings(List.of(10, 25, 50, 100), INTERVAL, THRESHOLDS, maxHolds, promoteWithoutData);
	}

	CanaryRollout rollout(RolloutSettings settings, RevisionMetrics... canaryPerAnalysis) {
		return new CanaryRollout("validate", "v1", "v2", settings, scripted(canaryPerAnalysis), splitter, pacer, log::add);
	}

	/** Stable reads {@link #STABLE}; the canary reads the given metrics, one per analysis, in order. */
	static MetricsSource scripted(RevisionMetrics... canaryPerAnalysis) {
		Deque<RevisionMetrics> canary = new ArrayDeque<>(List.of(canaryPerAnalysis));
		return (revision, window, end) -> {
			if (revision.equals("v1")) {
				return STABLE;
			}
			RevisionMetrics next = canary.poll();
			if (next == null) {
				throw new AssertionError("an analysis more than scripted");
			}
			return next;
		};
	}
}
