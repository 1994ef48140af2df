package com.reetik.gateway.video;

import com.reetik.contracts.command.CancelVideo;
import com.reetik.contracts.command.CreateVideo;
import com.reetik.contracts.command.VideoCommand;
import com.reetik.contracts.status.Status;
import com.reetik.contracts.status.VideoIds;
import com.reetik.contracts.status.VideoRequest;
import com.reetik.contracts.status.VideoStatus;
import com.reetik.contracts.status.VideoSummary;
import com.reetik.gateway.auth.AuthenticatedUser;
import com.reetik.gateway.command.CommandPublisher;
import com.reetik.gateway.replica.Library;
import com.reetik.gateway.replica.StatusReplica;
import com.reetik.gateway.web.ApiException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;
import reactor.core.publisher.Mono;

/**
 * What the video endpoints do: validate, publish commands (answering once they are durable), and read
 * views from the replica, with the owner checked. Remembers the videos it just accepted (so a read right
 * after a 202 is never a 404) and the idempotency keys it has seen (the library holds them across restarts).
 * Counts {@value #ACCEPTED}: new videos whose CreateVideo is durable (a 202 that started a video; a repeat
 * with a known Idempotency-Key answers the same video and is not counted again).
 */
@Service
class VideoService {

    static final int CACHE_CAPACITY = 10_000;
    static final int MAX_IDEMPOTENCY_KEY = 255;
    static final String ACCEPTED = "reetik.videos.accepted";
    private static final Logger log = LoggerFactory.getLogger(VideoService.class);

    private final StatusReplica replica;
    private final CommandPublisher publisher;
    private final Clock clock;
    private final Counter accepted;
    private final PendingVideos pending = new PendingVideos(CACHE_CAPACITY);
    private final BoundedCache<String, PendingVideo> byIdempotencyKey = new BoundedCache<>(CACHE_CAPACITY);

    VideoService(StatusReplica replica, CommandPublisher publisher, Clock clock, MeterRegistry registry) {
        this.replica = replica;
        this.publisher = publisher;
        this.clock = clock;
        this.accepted = Counter.builder(ACCEPTED)
                .description("Videos accepted (202) whose CreateVideo command is durable")
                .register(registry);
    }

    Mono<AcceptedVideo> create(AuthenticatedUser user, VideoRequest request, String idempotencyKey) {
        String key = checkedIdempotencyKey(idempotencyKey);
        if (key != null) {
            Optional<String> known = byIdempotencyKey.get(cacheKey(user, key)).map(PendingVideo::videoId)
                    .or(() -> fromLibrary(user, key));
            if (known.isPresent()) {
                return Mono.just(AcceptedVideo.of(known.get(), Status.QUEUED.wireName()));
            }
        }
        Instant now = clock.instant();
        PendingVideo fresh = new PendingVideo(VideoIds.newId(request.theme(), now), user.userId(), request, key, now);
        PendingVideo chosen = key == null ? fresh : byIdempotencyKey.computeIfAbsent(cacheKey(user, key), k -> fresh);
        if (chosen != fresh) {
            return Mono.just(AcceptedVideo.of(chosen.videoId(), Status.QUEUED.wireName()));
        }
        pending.add(fresh);
        CreateVideo command = new CreateVideo(UUID.randomUUID().toString(), fresh.videoId(), user.userId(), now,
                request, key);
        return publish(command)
                .doOnError(e -> {
                    pending.remove(fresh);
                    if (key != null) {
                        byIdempotencyKey.remove(cacheKey(user, key), fresh);
                    }
                })
                .doOnSuccess(done -> accepted.increment())
                .thenReturn(AcceptedVideo.of(fresh.videoId(), Status.QUEUED.wireName()));
    }

    private static String checkedIdempotencyKey(String key) {
        if (key == null || key.isBlank()) {
            return null;
        }
        String trimmed = key.trim();
        if (trimmed.length() > MAX_IDEMPOTENCY_KEY || !trimmed.chars().allMatch(c -> c >= 0x20 && c < 0x7f)) {
            throw ApiException.invalid("Idempotency-Key",
                    "Idempotency-Key must be at most " + MAX_IDEMPOTENCY_KEY + " printable ASCII characters.");
        }
        return trimmed;
    }

    private static String cacheKey(AuthenticatedUser user, String key) {
        return user.userId() + '\u0000' + key;
    }

    private Optional<String> fromLibrary(AuthenticatedUser user, String key) {
        return replica.library(user.userId()).videoIdOf(key);
    }

    /** The caller's view of a video; unknown, malformed and other users' ids are the same 404. */
    VideoStatus view(AuthenticatedUser user, String videoId) {
        return find(user, videoId).orElseThrow(VideoService::notFound);
    }

    /** Like {@link #view} but empty rather than a 404. */
    Optional<VideoStatus> find(AuthenticatedUser user, String videoId) {
        if (!VideoIds.isWellFormed(videoId)) {
            return Optional.empty();
        }
        Optional<VideoStatus> view = replica.video(videoId);
        if (view.isPresent()) {
            return view.filter(v -> user.userId().equals(v.userId()));
        }
        return pending.get(videoId).filter(p -> user.userId().equals(p.userId())).map(PendingVideo::queuedView);
    }

    static ApiException notFound() {
        return ApiException.notFound("No video with this id.");
    }

    /**
     * A page of the caller's library, with the videos accepted here that it does not list yet. Reads about
     * {@code size} summaries plus the caller's pending videos, however many videos the caller has; a pending
     * video is forgotten once the replica has both its view and its summary.
     */
    VideoPage list(AuthenticatedUser user, int page, int size) {
        Library library = replica.library(user.userId());
        List<VideoSummary> unlisted = new ArrayList<>();
        for (PendingVideo p : pending.ofUser(user.userId())) {
            Optional<VideoStatus> view = replica.video(p.videoId());
            if (!library.contains(p.videoId())) {
                unlisted.add(VideoSummary.of(view.orElseGet(p::queuedView)));
            } else if (view.isPresent()) {
                pending.remove(p);
            }
        }
        return VideoPage.of(library, unlisted, page, size);
    }

    Mono<AcceptedVideo> cancel(AuthenticatedUser user, String videoId) {
        VideoStatus view = view(user, videoId);
        if (view.terminal()) {
            throw ApiException.conflict("already_finished",
                    "The video is already " + view.status() + "; there is nothing to cancel.");
        }
        return publish(new CancelVideo(UUID.randomUUID().toString(), videoId, user.userId(), clock.instant()))
                .thenReturn(AcceptedVideo.of(videoId, view.status()));
    }

    Mono<AcceptedVideo> retry(AuthenticatedUser user, String videoId) {
        VideoStatus view = view(user, videoId);
        if (view.statusEnum() != Status.FAILED) {
            throw ApiException.conflict("not_failed",
                    "Only a failed video can be retried; this one is " + view.status() + ".");
        }
        return publish(RetryCommands.of(view, UUID.randomUUID().toString(), user.userId(), clock.instant()))
                .thenReturn(AcceptedVideo.of(videoId, view.status()));
    }

    private Mono<Void> publish(VideoCommand command) {
        return Mono.fromFuture(() -> publisher.publish(command))
                .onErrorMap(e -> !(e instanceof ApiException), e -> {
                    log.warn("Could not publish {} for {}: {}", command.getClass().getSimpleName(), command.videoId(),
                            e.toString());
                    return new ApiException(HttpStatus.SERVICE_UNAVAILABLE, "publish_failed",
                            "The request could not be recorded right now (the message broker is unavailable); "
                                    + "please try again.", null);
                });
    }
}
