package dev.globalevents.runtime.web;

/** Input that cannot be taken (a bad peer summary, a bad replay request), with the 4xx problem that says why. */
public final class RejectedInput extends RuntimeException {

	private final transient Problem problem;

	public RejectedInput(Problem problem) {
		super(problem.detail(), null, false, false);
		this.problem = problem;
	}

	public Problem problem() {
		return problem;
	}
}
