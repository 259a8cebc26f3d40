package dev.globalevents.canary;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * Moves one Knative Service from its stable revision to a canary revision in steps, analysing each step: at each
 * percent below 100 it splits the traffic, lets the interval pass (after the warm-up, at the first step), and asks {@link CanaryJudge} about both revisions
 * over that interval. A pass goes to the next step; a hold waits another interval (at most
 * {@link RolloutSettings#maxHolds()} times); a rollback, or a step still held after that, routes 100 % back to
 * stable. After the last step the canary is promoted ({@link TrafficTarget#promoted()}).
 */
public final class CanaryRollout {

	/** One analysis: the step's percent, the end of its window, what each revision did, the decision. */
	public record Analysis(int percent, Instant end, RevisionMetrics stable, RevisionMetrics canary, Decision decision) {
	}

	/** How it ended: promoted or rolled back, why, and every analysis on the way. */
	public record Outcome(boolean promoted, String reason, List<Analysis> analyses) {
	}

	private final String service;
	private final String stable;
	private final String canary;
	private final RolloutSettings settings;
	private final MetricsSource metrics;
	private final TrafficSplitter splitter;
	private final Pacer pacer;
	private final Consumer<String> log;
	private final List<Analysis> analyses = new ArrayList<>();
	private boolean settled;

	public CanaryRollout(String service, String stable, String canary, RolloutSettings settings, MetricsSource metrics, TrafficSplitter splitter,
			Pacer pacer, Consumer<String> log) {
		this.service = service;
		this.stable = stable;
		this.canary = canary;
		this.settings = settings;
		this.metrics = metrics;
		this.splitter = splitter;
		this.pacer = pacer;
		this.log = log;
	}

	public Outcome run() throws IOException, InterruptedException {
		if (stable.equals(canary)) {
			settle(TrafficTarget.promoted());
			return new Outcome(true, "no new revision: " + stable + " stays", List.of());
		}
		try {
			for (int percent : settings.steps()) {
				if (percent == 100) {
					break;
				}
				log.accept(String.format(Locale.ROOT, "%s: %d%% to %s, %d%% to %s", service, percent, canary, 100 - percent, stable));
				route(TrafficTarget.split(stable, canary, percent), false);
				if (analyses.isEmpty() && !settings.warmup().isZero()) {
					log.accept(service + ": warming up for " + settings.warmup().toSeconds() + " s: the canary's first requests are not judged");
					pacer.await(settings.warmup());
				}
				Decision decision = analyse(percent);
				if (decision.verdict() != Decision.Verdict.PASS) {
					settle(TrafficTarget.rolledBack(stable, canary));
					String reason = String.format(Locale.ROOT, "rolled back at %d%%: %s", percent, decision.reason());
					log.accept(service + ": " + reason + "; 100% to " + stable);
					return new Outcome(false, reason, List.copyOf(analyses));
				}
			}
			settle(TrafficTarget.promoted());
			log.accept(service + ": promoted " + canary + " (100%)");
			return new Outcome(true, "promoted after " + analyses.size() + " analyses", List.copyOf(analyses));
		}
		catch (IOException | RuntimeException | InterruptedException e) {
			try {
				abort();
			}
			catch (IOException | RuntimeException rollbackFailed) {
				e.addSuppressed(rollbackFailed);
			}
			throw e;
		}
	}

	/**
	 * Sends everything back to stable unless the rollout already settled (promoted or rolled back): for a rollout cut
	 * short (a failure, a cancelled workflow's shutdown hook).
	 */
	public void abort() throws IOException {
		if (!stable.equals(canary)) {
			route(TrafficTarget.rolledBack(stable, canary), true);
		}
	}

	/** Analyses the step until it passes or fails, holding at most maxHolds times; answers a PASS or a ROLLBACK. */
	private Decision analyse(int percent) throws InterruptedException {
		for (int holds = 0;; holds++) {
			Instant end = pacer.await(settings.interval());
			Decision decision;
			RevisionMetrics stableMetrics = null;
			RevisionMetrics canaryMetrics = null;
			try {
				stableMetrics = metrics.read(stable, settings.interval(), end);
				canaryMetrics = metrics.read(canary, settings.interval(), end);
				decision = CanaryJudge.decide(stableMetrics, canaryMetrics, settings.thresholds());
			}
			catch (IOException e) {
				decision = Decision.hold("Prometheus: " + e.getMessage());
			}
			analyses.add(new Analysis(percent, end, stableMetrics, canaryMetrics, decision));
			log.accept(String.format(Locale.ROOT, "%s at %d%%: %s: %s", service, percent, decision.verdict(), decision.reason()));
			if (decision.verdict() != Decision.Verdict.HOLD) {
				return decision;
			}
			if (holds == settings.maxHolds()) {
				if (settings.promoteWithoutData()) {
					return Decision.pass("still held after " + (holds + 1) + " intervals; passing it (promote without data)");
				}
				return Decision.rollback("still held after " + (holds + 1) + " intervals: " + decision.reason());
			}
		}
	}

	private void settle(List<TrafficTarget> traffic) throws IOException {
		route(traffic, true);
	}

	/**
	 * Routes a step ({@code last} false) or the end ({@code last} true). Once the end is routed nothing else is: a
	 * step that comes after an abort fails, and a second end is ignored.
	 */
	private synchronized void route(List<TrafficTarget> traffic, boolean last) throws IOException {
		if (settled) {
			if (last) {
				return;
			}
			throw new IllegalStateException(service + ": the rollout was aborted");
		}
		splitter.route(traffic);
		settled = last;
	}
}
