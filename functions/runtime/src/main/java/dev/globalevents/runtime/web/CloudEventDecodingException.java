package dev.globalevents.runtime.web;

/** A request that is not a CloudEvent this system accepts; carries the problem to answer with. */
public class CloudEventDecodingException extends RuntimeException {

	private final transient Problem problem;

	public CloudEventDecodingException(Problem problem) {
		super(problem.detail());
		this.problem = problem;
	}

	public CloudEventDecodingException(int status, String code, String title, String detail) {
		this(Problem.of(status, code, title, detail));
	}

	public Problem problem() {
		return problem;
	}
}
