package com.reetik.bridge.kafka;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.event.EventListener;
import org.springframework.kafka.event.ConsumerStoppedEvent;
import org.springframework.kafka.listener.MessageListenerContainer;
import org.springframework.scheduling.TaskScheduler;

/**
 * Starts again a listener whose consumer thread died. Spring Kafka stops a container for good on an {@link Error}
 * thrown in a listener, a fenced {@code group.instance.id}, an authentication failure without retry, a partition
 * without offset: its work would then wait, unseen, until someone restarts the process. Spring Kafka restarts a
 * container by itself only after authentication errors ({@code restartAfterAuthExceptions}); no library does it for
 * the other reasons, hence this class.
 *
 * <p>On a {@link ConsumerStoppedEvent} whose reason is not {@code NORMAL} (a stop the application did not ask for),
 * the listener's container is stopped whole and started again after a pause that doubles at each death of the same
 * listener within a minute (from {@code initialDelay} up to one minute), so a listener that dies at once each time
 * does not spin. The record it was handling was not committed: the new consumer reads it again. Counted in
 * {@value #RESTARTS} (tag {@code listener}); the health indicator says DOWN meanwhile.
 */
public final class ListenerRestarter {

    private static final Logger log = LoggerFactory.getLogger(ListenerRestarter.class);

    public static final String RESTARTS = "reetik.listener.restarts";

    private final TaskScheduler scheduler;
    private final Duration initialDelay;
    private final MeterRegistry registry;
    private final Map<String, Death> deaths = new ConcurrentHashMap<>();

    private record Death(Instant at, Duration delay) {
    }

    public ListenerRestarter(TaskScheduler scheduler, Duration initialDelay, MeterRegistry registry) {
        this.scheduler = scheduler;
        this.initialDelay = initialDelay;
        this.registry = registry;
    }

    @EventListener
    public void onConsumerStopped(ConsumerStoppedEvent event) {
        if (event.getReason() == ConsumerStoppedEvent.Reason.NORMAL) {
            return;
        }
        MessageListenerContainer container = event.getContainer(MessageListenerContainer.class);
        String id = container.getListenerId();
        Instant now = Instant.now();
        Death death = deaths.compute(id, (key, last) -> {
            Duration delay = last == null || last.at().plus(Duration.ofMinutes(1)).isBefore(now) ? initialDelay
                    : min(last.delay().multipliedBy(2), Duration.ofMinutes(1));
            return new Death(now, delay);
        });
        log.error("Listener {} stopped ({}): its work waits; starting it again in {} ms", id, event.getReason(),
                death.delay().toMillis());
        scheduler.schedule(() -> restart(container), now.plus(death.delay()));
    }

    private void restart(MessageListenerContainer container) {
        String id = container.getListenerId();
        if (container.isInExpectedState()) {
            log.info("Listener {} is running again; nothing to restart", id);
            return;
        }
        try {
            container.stop();
            container.start();
            Counter.builder(RESTARTS).description("Listener containers started again after their consumer died")
                    .tag("listener", String.valueOf(id)).register(registry).increment();
            log.info("Listener {} started again", id);
        } catch (RuntimeException e) {
            log.error("Listener {} could not be started again; trying later", id, e);
            scheduler.schedule(() -> restart(container), Instant.now().plus(Duration.ofMinutes(1)));
        }
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }
}
