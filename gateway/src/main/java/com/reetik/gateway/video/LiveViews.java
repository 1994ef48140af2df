package com.reetik.gateway.video;

import com.reetik.contracts.status.VideoStatus;
import com.reetik.gateway.replica.StatusReplica;
import jakarta.annotation.PreDestroy;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * The replica's new views handed to the live streams of their video only, off the replica's thread. The replica
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

    @Autowired
    LiveViews(StatusReplica replica) {
        this(replica.videoUpdates(), Schedulers.parallel());
    }

    LiveViews(Flux<VideoStatus> updates, Scheduler delivery) {
        this.delivery = delivery;
        this.subscription = updates.subscribe(this::dispatch);
    }

    /**
     * The views of {@code videoId} accepted from the moment of the subscription on (hot), delivered on the delivery
     * scheduler; buffered without bound while the stream is slower than the changes (a video has few).
     */
    Flux<VideoStatus> of(String videoId) {
        return Flux.defer(() -> {
            Sinks.Many<VideoStatus> sink = Sinks.many().unicast().onBackpressureBuffer();
            byVideo.computeIfAbsent(videoId, id -> ConcurrentHashMap.newKeySet()).add(sink);
            return sink.asFlux()
                    .publishOn(delivery)
                    .doFinally(signal -> byVideo.computeIfPresent(videoId, (id, sinks) -> {
                        sinks.remove(sink);
                        return sinks.isEmpty() ? null : sinks;
                    }));
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
    }
}
