package dev.globalevents.events;

/**
 * One reason an event was rejected.
 *
 * @param field   JSON pointer into the CloudEvent envelope ({@code /id}, {@code /data/amount}) or a header name
 * @param code    stable, machine-readable reason ({@code schema.pattern}, {@code time.future})
 * @param message human-readable explanation
 */
public record Violation(String field, String code, String message) {
}
