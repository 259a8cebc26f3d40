package dev.globalevents.quarantine;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Typed configuration of the quarantine ({@code quarantine.*}); region, Redis and where replays go (the broker,
 * {@code K_SINK}) come from the runtime ({@code function.*}).
 *
 * @param maxEntries  requests kept at most (the oldest go first); the largest request taken is the runtime's
 *                    {@code function.max-batch-bytes} (a dead-lettered batch)
 */
@ConfigurationProperties("quarantine")
public record QuarantineProperties(@DefaultValue("100000") long maxEntries) {
}
