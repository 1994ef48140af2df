package com.reetik.gateway.video;

import com.reetik.contracts.status.VideoStatus;
import com.reetik.gateway.replica.StatusReplica;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.annotation.PreDestroy;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.stereotype.Component;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * The views of the live path ({@link LiveEvents}: events folded onto the projector's view as soon as they commit)
 * and the replica's new views handed to the live streams of their video only, off the replica's thread. The replica
 * publishes each view on the thread that applies it; were every stream to filter the shared flux there, each view
 * would cost that thread one check per open stream (10,000 streams: 10,000 checks per change) and, for the streams
 * of its video, the whole delivery (JSON, the socket write) while the next views wait. Here that thread does one map
 * lookup and, per stream of the video, one queue offer; each stream reads its queue on {@code delivery}.
 *
 * <p>Hand-written because Reactor has no keyed multicast: a {@code groupBy} would keep a group per video ever seen.
 */
@Component
class LiveViews {

    private final ConcurrentHashMap<String, Set<Sinks.Many<VideoStatus>>> byVideo = new ConcurrentHashMap<>();
    private final Scheduler delivery;
    private final Disposable subscription;
    private final LiveEvents liveEvents;

    /**
     * Views the live path sent to streams before the replica had them: reads of this gateway answer them too
     * ({@link #freshest}), so a client told "completed" by its stream can fetch the file at once. Each leaves when
     * the replica has its version; at most {@value #MAX_AHEAD} (then those the replica caught up with are dropped,
     * and if the projector is that far behind, all: reads fall back to the replica).
     */
    private final ConcurrentHashMap<String, VideoStatus> ahead = new ConcurrentHashMap<>();
    private final java.util.function.Function<String, java.util.Optional<VideoStatus>> replicaView;

    static final int MAX_AHEAD = 2_000;

    @Autowired
    LiveViews(StatusReplica replica, KafkaProperties kafka, MeterRegistry registry) {
        // Counted once the replica has caught up: the views it restores at start are hours old, not late.
        this(replica.videoUpdates().doOnNext(delay(registry, "projector", replica::ready)), Schedulers.parallel(),
                new LiveEvents(String.join(",", kafka.getBootstrapServers()), replica, registry), replica::video);
    }

    /** @param liveEvents the live path, whose views are merged with {@code updates}; null: the replica's only */
    LiveViews(Flux<VideoStatus> updates, Scheduler delivery, LiveEvents liveEvents,
              java.util.function.Function<String, java.util.Optional<VideoStatus>> replicaView) {
        this.delivery = delivery;
        this.liveEvents = liveEvents;
        this.replicaView = replicaView;
        Flux<VideoStatus> projected = updates.doOnNext(view -> ahead.computeIfPresent(view.videoId(),
                (id, live) -> view.version() >= live.version() ? null : live));
        // merge serializes the two sources' signals: dispatch never runs on two threads at once.
        this.subscription = (liveEvents == null ? projected
                : Flux.merge(projected, liveEvents.views().doOnNext(this::ahead)))
                .subscribe(this::dispatch);
    }

    /** {@code view} from the replica, or this gateway's newer view of the same video from the live path. */
    VideoStatus freshest(VideoStatus view) {
        VideoStatus live = ahead.get(view.videoId());
        return live != null && live.version() > view.version() ? live : view;
    }

    private void ahead(VideoStatus live) {
        if (ahead.size() >= MAX_AHEAD && !ahead.containsKey(live.videoId())) {
            try {
                ahead.entrySet().removeIf(entry -> replicaView.apply(entry.getKey())
                        .map(view -> view.version() >= entry.getValue().version()).orElse(true));
            } catch (RuntimeException replicaNotReady) {
                ahead.clear(); // never let a read of the replica end the streams' flux
            }
            if (ahead.size() >= MAX_AHEAD) {
                ahead.clear();
            }
        }
        ahead.merge(live.videoId(), live, (before, after) -> after.version() > before.version() ? after : before);
    }

    /**
     * {@value #DELAY}: from a view's {@code updated_at} (its last event's time) to its hand-over to the streams, by
     * path ({@code live}: folded here from the events; {@code projector}: the projector's view from the replica).
     */
    static java.util.function.Consumer<VideoStatus> delay(MeterRegistry registry, String path) {
        return delay(registry, path, () -> true);
    }

    /** {@link #delay(MeterRegistry, String)}, counting a view only while {@code counting} says so. */
    static java.util.function.Consumer<VideoStatus> delay(MeterRegistry registry, String path,
                                                          java.util.function.BooleanSupplier counting) {
        io.micrometer.core.instrument.Timer timer = io.micrometer.core.instrument.Timer.builder(DELAY)
                .description("From a view's last event to its hand-over to the progress streams")
                .tag("path", path)
                .publishPercentiles(0.5, 0.9, 0.99)
                .register(registry);
        return view -> {
            if (view.updatedAt() != null && counting.getAsBoolean()) {
                timer.record(java.time.Duration.between(view.updatedAt(), java.time.Instant.now()));
            }
        };
    }

    static final String DELAY = "reetik.sse.view.delay";

    /**
     * The views of {@code videoId} accepted from the moment of the subscription on (hot), delivered on the delivery
     * scheduler; buffered without bound while the stream is slower than the changes (a video has few).
     */
    Flux<VideoStatus> of(String videoId) {
        return Flux.defer(() -> {
            Sinks.Many<VideoStatus> sink = Sinks.many().unicast().onBackpressureBuffer();
            byVideo.computeIfAbsent(videoId, id -> ConcurrentHashMap.newKeySet()).add(sink);
            if (liveEvents != null) {
                liveEvents.follow(videoId);
            }
            return sink.asFlux()
                    .publishOn(delivery)
                    .doFinally(signal -> {
                        byVideo.computeIfPresent(videoId, (id, sinks) -> {
                            sinks.remove(sink);
                            return sinks.isEmpty() ? null : sinks;
                        });
                        if (liveEvents != null) {
                            liveEvents.unfollow(videoId);
                        }
                    });
        });
    }

    /** Videos with at least one stream listening (what the map holds: none left behind by ended streams). */
    int videosFollowed() {
        return byVideo.size();
    }

    private void dispatch(VideoStatus view) {
        Set<Sinks.Many<VideoStatus>> sinks = byVideo.get(view.videoId());
        if (sinks != null) {
            for (Sinks.Many<VideoStatus> sink : sinks) {
                sink.tryEmitNext(view);
            }
        }
    }

    @PreDestroy
    void close() {
        subscription.dispose();
        if (liveEvents != null) {
            liveEvents.close();
        }
    }
}
