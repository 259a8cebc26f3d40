package dev.globalevents.aggregate;

import dev.globalevents.runtime.web.Problem;

/** Input that cannot be taken (a bad peer summary, a bad replay request), with the 4xx problem that says why. */
final class RejectedInput extends RuntimeException {

	private final transient Problem problem;

	RejectedInput(Problem problem) {
		super(problem.detail(), null, false, false);
		this.problem = problem;
	}

	Problem problem() {
		return problem;
	}
}
