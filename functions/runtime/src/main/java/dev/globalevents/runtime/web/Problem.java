package dev.globalevents.runtime.web;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.globalevents.events.Violation;

/**
 * An RFC 9457 problem detail ({@code application/problem+json}) with the list of every violation found.
 *
 * @param type       {@code urn:globalevents:problem:<code>}
 * @param title      short summary of the problem kind
 * @param status     the HTTP status
 * @param detail     what went wrong with this request
 * @param violations every reason, when the request was invalid
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record Problem(String type, String title, int status, String detail, List<Violation> violations) {

	public static final String MEDIA_TYPE = "application/problem+json";

	public static Problem of(int status, String code, String title, String detail) {
		return new Problem("urn:globalevents:problem:" + code, title, status, detail, List.of());
	}

	public static Problem invalid(List<Violation> violations) {
		String detail = violations.size() == 1 ? violations.get(0).message()
				: violations.size() + " violations; see the violations list";
		return new Problem("urn:globalevents:problem:invalid-event", "The event is invalid", 400, detail,
				List.copyOf(violations));
	}

	/** The code after the URN prefix, used as the reason tag of rejection metrics. */
	public String code() {
		return type.substring(type.lastIndexOf(':') + 1);
	}
}
