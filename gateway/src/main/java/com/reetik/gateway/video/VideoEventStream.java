package com.reetik.gateway.video;

import com.reetik.contracts.status.VideoStatus;
import com.reetik.gateway.GatewaySettings;
import com.reetik.gateway.auth.AuthenticatedUser;
import com.reetik.gateway.web.ApiException;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
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

    private final LiveViews liveViews;
    private final VideoService videos;
    private final Duration heartbeat;
    private final int perUser;
    private final Duration maxLifetime;
    private final AtomicInteger open = new AtomicInteger();
    private final ConcurrentHashMap<String, AtomicInteger> openByUser = new ConcurrentHashMap<>();

    VideoEventStream(LiveViews liveViews, VideoService videos, GatewaySettings settings, MeterRegistry registry) {
        this.liveViews = liveViews;
        this.videos = videos;
        this.heartbeat = settings.sseHeartbeat();
        this.perUser = settings.sseStreamsPerUser();
        this.maxLifetime = settings.sseMaxLifetime();
        Gauge.builder(SUBSCRIBERS, open, AtomicInteger::get)
                .description("Server-sent event streams open on this gateway")
                .strongReference(true)
                .register(registry);
    }

    /** The caller must have checked that the video is theirs (a 404 is answered before the stream starts). */
    Flux<ServerSentEvent<VideoStatus>> events(AuthenticatedUser user, String videoId, long lastEventId) {
        // Counted from here (the controller subscribes to what it returns) to the stream's end, whatever ends it.
        AtomicInteger mine = openByUser.computeIfAbsent(user.userId(), id -> new AtomicInteger());
        if (mine.incrementAndGet() > perUser) {
            release(user.userId(), mine);
            throw ApiException.tooMany("too_many_streams", "Too many live progress streams open for this account ("
                    + perUser + "); close a page or try again in a moment.", 5);
        }
        Flux<ServerSentEvent<VideoStatus>> statuses = views(user, videoId, lastEventId)
                .map(view -> ServerSentEvent.builder(PublicViews.of(view)).event(EVENT_NAME)
                        .id(Long.toString(view.version())).build());
        return statuses.publish(shared -> Flux.merge(shared, Flux.interval(heartbeat, heartbeat)
                        .map(tick -> ServerSentEvent.<VideoStatus>builder().comment("heartbeat").build())
                        .takeUntilOther(shared.then(Mono.just(Boolean.TRUE)))))
                // A stream lives at most maxLifetime; the client resumes after the last id it got.
                .take(maxLifetime)
                .doOnSubscribe(subscription -> open.incrementAndGet())
                .doFinally(signal -> {
                    open.decrementAndGet();
                    release(user.userId(), mine);
                });
    }

    private void release(String userId, AtomicInteger counter) {
        if (counter.decrementAndGet() <= 0) {
            openByUser.remove(userId, counter);
        }
    }

    private Flux<VideoStatus> views(AuthenticatedUser user, String videoId, long lastEventId) {
        return Flux.defer(() -> {
            // Listen first, then read the current view: a change between the two is buffered, not missed.
            Sinks.Many<VideoStatus> live = Sinks.many().unicast().onBackpressureBuffer();
            Disposable listening = liveViews.of(videoId)
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
