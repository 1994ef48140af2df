package com.reetik.gateway.video;

import com.reetik.contracts.command.DeleteVideo;
import com.reetik.contracts.status.VideoStatus;
import com.reetik.gateway.command.CommandPublisher;
import com.reetik.gateway.replica.ReplicaNotReadyException;
import com.reetik.gateway.replica.StatusReplica;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * {@code REETIK_RETENTION_DAYS}: every {@link RetentionProperties#sweepInterval()}, the finished videos of the
 * replica whose last change is older than the retention get a {@link DeleteVideo}, as if their owner had deleted
 * them (objects, views, summary, Firestore documents: see docs/architecture.md). Every gateway sweeps: two
 * DeleteVideo commands of one video are harmless (the bridge handles the first and skips the second, the video
 * being deleted), and a gateway that was down catches up at its next sweep. Off (no thread) when the retention
 * is 0. A video asked for deletion here is not asked again for a day, while its tombstones arrive.
 */
@Component
class RetentionSweeper implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(RetentionSweeper.class);

    private final RetentionProperties settings;
    private final StatusReplica replica;
    private final CommandPublisher publisher;
    private final Clock clock;
    private final BoundedCache<String, Instant> asked = new BoundedCache<>(100_000);
    private ScheduledExecutorService scheduler;

    RetentionSweeper(RetentionProperties settings, StatusReplica replica, CommandPublisher publisher, Clock clock) {
        this.settings = settings;
        this.replica = replica;
        this.publisher = publisher;
        this.clock = clock;
    }

    /** Publishes a DeleteVideo for each finished video past the retention; returns how many. */
    int sweep() {
        Instant now = clock.instant();
        Instant cutoff = now.minus(Duration.ofDays(settings.days()));
        List<VideoStatus> expired;
        try {
            expired = replica.videos(v -> v.terminal() && v.updatedAt() != null && v.updatedAt().isBefore(cutoff)
                    && asked.get(v.videoId()).filter(at -> at.isAfter(now.minus(Duration.ofDays(1)))).isEmpty());
        } catch (ReplicaNotReadyException e) {
            return 0; // loading: the next sweep
        }
        for (VideoStatus video : expired) {
            asked.put(video.videoId(), now);
            publisher.publish(new DeleteVideo(UUID.randomUUID().toString(), video.videoId(), video.userId(), now))
                    .whenComplete((ok, error) -> {
                        if (error != null) {
                            log.warn("Retention: could not ask for the deletion of {} ({}); next sweep",
                                    video.videoId(), error.toString());
                            asked.remove(video.videoId(), now);
                        }
                    });
        }
        if (!expired.isEmpty()) {
            log.info("Retention ({} days): deleting {} videos finished before {}", settings.days(), expired.size(),
                    cutoff);
        }
        return expired.size();
    }

    @Override
    public synchronized void start() {
        if (!settings.enabled() || scheduler != null) {
            return;
        }
        scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "retention-sweep");
            t.setDaemon(true);
            return t;
        });
        long every = settings.sweepInterval().toMillis();
        scheduler.scheduleWithFixedDelay(() -> {
            try {
                sweep();
            } catch (RuntimeException e) {
                log.warn("Retention sweep failed; next in {}", settings.sweepInterval(), e);
            }
        }, every, every, TimeUnit.MILLISECONDS);
        log.info("Retention: finished videos are deleted {} days after their last change (swept every {})",
                settings.days(), settings.sweepInterval());
    }

    @Override
    public synchronized void stop() {
        if (scheduler != null) {
            scheduler.shutdownNow();
            scheduler = null;
        }
    }

    @Override
    public synchronized boolean isRunning() {
        return scheduler != null;
    }
}
