package com.reetik.gateway.video;

import com.reetik.contracts.status.VideoStatus;
import com.reetik.gateway.GatewaySettings;
import com.reetik.gateway.auth.AuthenticatedUser;
import com.reetik.gateway.replica.StatusReplica;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.stereotype.Component;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Schedulers;

/**
 * The live status of one video as server-sent events named {@code status}, each with the view's version
 * as its id: first the current view, then every newer one, never a version already sent (or at or below
 * {@code Last-Event-ID}); heartbeat comments in between; complete after a terminal status.
 * The streams open at a time are the gauge {@value #SUBSCRIBERS}: up when a client subscribes, down when its
 * stream ends (terminal status, client gone, error).
 */
@Component
class VideoEventStream {

    static final String EVENT_NAME = "status";
    static final String SUBSCRIBERS = "reetik.sse.subscribers";

    private final StatusReplica replica;
    private final VideoService videos;
    private final Duration heartbeat;
    private final AtomicInteger open = new AtomicInteger();

    VideoEventStream(StatusReplica replica, VideoService videos, GatewaySettings settings, MeterRegistry registry) {
        this.replica = replica;
        this.videos = videos;
        this.heartbeat = settings.sseHeartbeat();
        Gauge.builder(SUBSCRIBERS, open, AtomicInteger::get)
                .description("Server-sent event streams open on this gateway")
                .strongReference(true)
                .register(registry);
    }

    /** The caller must have checked that the video is theirs (a 404 is answered before the stream starts). */
    Flux<ServerSentEvent<VideoStatus>> events(AuthenticatedUser user, String videoId, long lastEventId) {
        Flux<ServerSentEvent<VideoStatus>> statuses = views(user, videoId, lastEventId)
                .map(view -> ServerSentEvent.builder(PublicViews.of(view)).event(EVENT_NAME)
                        .id(Long.toString(view.version())).build());
        return statuses.publish(shared -> Flux.merge(shared, Flux.interval(heartbeat, heartbeat)
                        .map(tick -> ServerSentEvent.<VideoStatus>builder().comment("heartbeat").build())
                        .takeUntilOther(shared.then(Mono.just(Boolean.TRUE)))))
                .doOnSubscribe(subscription -> open.incrementAndGet())
                .doFinally(signal -> open.decrementAndGet());
    }

    private Flux<VideoStatus> views(AuthenticatedUser user, String videoId, long lastEventId) {
        return Flux.defer(() -> {
            // Listen first, then read the current view: a change between the two is buffered, not missed.
            Sinks.Many<VideoStatus> live = Sinks.many().unicast().onBackpressureBuffer();
            Disposable listening = replica.videoUpdates()
                    .filter(view -> videoId.equals(view.videoId()))
                    .subscribe(live::tryEmitNext, live::tryEmitError, live::tryEmitComplete);
            Mono<VideoStatus> current = Mono.fromCallable(() -> videos.find(user, videoId).orElse(null))
                    .subscribeOn(Schedulers.boundedElastic()); // a replica read: never on the event loop
            AtomicLong lastSent = new AtomicLong(lastEventId);
            return Flux.concat(current, live.asFlux())
                    .takeUntil(VideoStatus::terminal)
                    .filter(view -> {
                        if (view.version() <= lastSent.get()) {
                            return false;
                        }
                        lastSent.set(view.version());
                        return true;
                    })
                    .doFinally(signal -> listening.dispose());
        });
    }
}
