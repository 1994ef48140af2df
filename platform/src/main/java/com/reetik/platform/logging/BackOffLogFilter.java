package com.reetik.platform.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.turbo.TurboFilter;
import ch.qos.logback.core.spi.FilterReply;
import org.slf4j.Marker;
import org.springframework.kafka.listener.KafkaBackoffException;

/**
 * Drops the "Transaction rolled back" ERROR that Spring Kafka's listener container logs, with a stack
 * trace, when a transactional listener backs off a task that is not due yet ({@link KafkaBackoffException}:
 * the bridge pauses a partition until a block's next check). That back-off is the normal way a wait is
 * done, not an error, and would otherwise print a stack trace at every poll interval of every block. Every
 * other rollback is still logged. Hand-written because the container logs rollbacks unconditionally (Spring
 * Kafka 4.0 has no setting for it). Installed by {@code logback-spring.xml} (services) and standalone's
 * {@code logback.xml}.
 */
public final class BackOffLogFilter extends TurboFilter {

    private static final String CONTAINER = "org.springframework.kafka.listener.KafkaMessageListenerContainer";

    @Override
    public FilterReply decide(Marker marker, Logger logger, Level level, String format, Object[] params,
                              Throwable t) {
        if (t == null || level != Level.ERROR || !logger.getName().startsWith(CONTAINER)) {
            return FilterReply.NEUTRAL;
        }
        for (Throwable cause = t; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (cause instanceof KafkaBackoffException) {
                return FilterReply.DENY;
            }
        }
        return FilterReply.NEUTRAL;
    }
}
