package dev.globalevents.canary;

/** What one analysis of a step concluded, and why (a sentence for the log). */
public record Decision(Verdict verdict, String reason) {

	/** The three answers to "is the canary as good as stable?". */
	public enum Verdict {
		/** As good within the thresholds: go on to the next step. */
		PASS,
		/** Not enough to judge (too few requests, no latency, Prometheus not answering): stay at this step. */
		HOLD,
		/** Worse beyond a threshold: send everything back to stable. */
		ROLLBACK
	}

	static Decision pass(String reason) {
		return new Decision(Verdict.PASS, reason);
	}

	static Decision hold(String reason) {
		return new Decision(Verdict.HOLD, reason);
	}

	static Decision rollback(String reason) {
		return new Decision(Verdict.ROLLBACK, reason);
	}
}
