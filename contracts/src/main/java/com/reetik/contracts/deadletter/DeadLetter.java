package com.reetik.contracts.deadletter;

import java.time.Instant;

/**
 * A record that could not be read, kept whole with where it came from and why it was refused.
 *
 * @param value the original value as text (UTF-8, invalid bytes replaced)
 */
public record DeadLetter(String sourceTopic, int partition, long offset, String key, String value,
                         String reason, String rejectedBy, Instant rejectedAt) {
}
