package com.reetik.bridge.kafka;

/**
 * Whether a failure came from Kafka (broker unreachable, a transaction that could not commit, a fenced producer)
 * rather than from the work itself. A Kafka error leaves the record unhandled: it must propagate so that the
 * container rolls back and reads the record again. Any other failure of the work is the video's: it becomes an
 * event (a retried block, a failed video with its code and stage), never a dead letter after progress was shown.
 */
public final class KafkaErrors {

    private KafkaErrors() {
    }

    public static boolean isKafkaError(Throwable exception) {
        for (Throwable t = exception; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof org.apache.kafka.common.KafkaException
                    || t instanceof org.springframework.kafka.KafkaException) {
                return true;
            }
        }
        return false;
    }

    /** Throws {@code exception} again when it is a Kafka error; else returns, for the caller to record the failure. */
    public static void rethrowIfKafka(RuntimeException exception) {
        if (isKafkaError(exception)) {
            throw exception;
        }
    }
}
