package com.reetik.gateway.video;

import com.reetik.contracts.command.CancelVideo;
import com.reetik.contracts.command.CreateVideo;
import com.reetik.contracts.command.DeleteVideo;
import com.reetik.contracts.command.VideoCommand;
import com.reetik.contracts.status.ReferenceImage;
import com.reetik.contracts.status.Status;
import com.reetik.contracts.status.VideoIds;
import com.reetik.contracts.status.VideoRequest;
import com.reetik.contracts.status.VideoStatus;
import com.reetik.contracts.status.VideoSummary;
import com.reetik.contracts.storage.ObjectKeys;
import com.reetik.contracts.storage.ObjectStore;
import com.reetik.gateway.auth.AuthenticatedUser;
import com.reetik.gateway.command.CommandPublisher;
import com.reetik.gateway.replica.Library;
import com.reetik.gateway.replica.StatusReplica;
import com.reetik.gateway.web.ApiException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import com.reetik.contracts.status.Language;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
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
import reactor.core.scheduler.Schedulers;

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
    /** Retry-After of the videos-in-flight quota: when a video ends is not known; about a block's time. */
    static final long ACTIVE_RETRY_AFTER_SECONDS = 30;
    private static final Logger log = LoggerFactory.getLogger(VideoService.class);

    private final StatusReplica replica;
    /** Views this gateway's streams got from the live path before the replica: reads answer them too. */
    private final LiveViews liveViews;
    private final CommandPublisher publisher;
    private final Clock clock;
    private final Counter accepted;
    private final PendingVideos pending = new PendingVideos(CACHE_CAPACITY);
    private final BoundedCache<String, PendingVideo> byIdempotencyKey = new BoundedCache<>(CACHE_CAPACITY);
    /** The retries accepted here, by video: the failed view's version each was decided from. */
    private final BoundedCache<String, AcceptedRetry> retries = new BoundedCache<>(CACHE_CAPACITY);
    /** Videos deleted through this gateway: a 404 at once, before the replica has the tombstones. */
    private final BoundedCache<String, Instant> deleted = new BoundedCache<>(CACHE_CAPACITY);

    /** How long an accepted retry holds off another one while the replica still shows the failure. */
    static final Duration RETRY_PENDING_FOR = Duration.ofSeconds(60);

    private record AcceptedRetry(long version, Instant at) {
    }

    private final QuotaProperties quota;
    private final ObjectStore store;
    /** Striped locks: one user's quota check and the record of the video it lets in happen as one step. */
    private final Object[] userLocks = new Object[64];

    VideoService(StatusReplica replica, LiveViews liveViews, CommandPublisher publisher, Clock clock,
                 MeterRegistry registry, QuotaProperties quota, ObjectStore store) {
        this.replica = replica;
        this.liveViews = liveViews;
        this.store = store;
        this.publisher = publisher;
        this.clock = clock;
        this.quota = quota;
        for (int i = 0; i < userLocks.length; i++) {
            userLocks[i] = new Object();
        }
        this.accepted = Counter.builder(ACCEPTED)
                .description("Videos accepted (202) whose CreateVideo command is durable")
                .register(registry);
    }

    /**
     * Accepts a video: its reference images ({@code images}, the bytes of {@code request.referenceImages()} in order)
     * are stored beside it before its command is published, so a bridge that reads the command finds them.
     */
    Mono<AcceptedVideo> create(AuthenticatedUser user, VideoRequest request, String idempotencyKey,
                               List<byte[]> images) {
        String key = checkedIdempotencyKey(idempotencyKey);
        if (key != null) {
            Optional<PendingVideo> cached = byIdempotencyKey.get(cacheKey(user, key));
            Optional<String> known = cached.map(PendingVideo::videoId).or(() -> fromLibrary(user, key));
            if (known.isPresent()) {
                return Mono.just(sameKey(user, known.get(), cached.map(PendingVideo::request).orElse(null), request));
            }
        }
        Instant now = clock.instant();
        PendingVideo fresh = new PendingVideo(VideoIds.newId(request.theme(), now), user.userId(), request, key, now);
        PendingVideo chosen = key == null ? fresh : byIdempotencyKey.computeIfAbsent(cacheKey(user, key), k -> fresh);
        if (chosen != fresh) {
            return Mono.just(sameKey(user, chosen.videoId(), chosen.request(), request));
        }
        try {
            Counted counted = counted(user.userId());
            synchronized (lockOf(user)) {
                checkQuota(withPending(counted, user.userId()), request.targetDuration(),
                        Language.ofOrFrench(request.language()));
                pending.add(fresh);
            }
        } catch (RuntimeException refused) {
            if (key != null) {
                byIdempotencyKey.remove(cacheKey(user, key), fresh);
            }
            throw refused;
        }
        CreateVideo command = new CreateVideo(UUID.randomUUID().toString(), fresh.videoId(), user.userId(), now,
                request, key);
        Mono<Void> stored = images.isEmpty() ? Mono.empty()
                : Mono.<Void>fromRunnable(() -> storeReferenceImages(fresh.videoId(), request, images))
                        .subscribeOn(Schedulers.boundedElastic());
        return stored.then(publish(command))
                .doOnError(e -> {
                    if (!images.isEmpty()) {
                        deleteReferenceImages(fresh.videoId());
                    }
                    pending.remove(fresh);
                    if (key != null) {
                        byIdempotencyKey.remove(cacheKey(user, key), fresh);
                    }
                })
                .doOnSuccess(done -> accepted.increment())
                .thenReturn(AcceptedVideo.of(fresh.videoId(), Status.QUEUED.wireName()));
    }

    private void storeReferenceImages(String videoId, VideoRequest request, List<byte[]> images) {
        for (int i = 0; i < images.size(); i++) {
            String key = ObjectKeys.referenceImage(videoId, i + 1, request.referenceImages().get(i).mimeType());
            Path file = null;
            try {
                file = Files.createTempFile("reetik-reference-", ".img");
                Files.write(file, images.get(i));
                store.put(key, file);
            } catch (IOException e) {
                log.warn("Storing the reference images of {} failed: {}", videoId, e.toString());
                throw ApiException.unavailable("storage_unavailable",
                        "The reference images could not be stored; nothing was created. Please try again.");
            } finally {
                if (file != null) {
                    try {
                        Files.deleteIfExists(file);
                    } catch (IOException ignored) {
                        // a temporary file
                    }
                }
            }
        }
    }

    /** The reference images of a video that was not accepted after all: nothing of it stays. */
    private void deleteReferenceImages(String videoId) {
        Schedulers.boundedElastic().schedule(() -> {
            try {
                store.deleteFolder(videoId + "/references/");
            } catch (IOException e) {
                log.warn("Deleting the reference images of {}, not accepted, failed: {}", videoId, e.toString());
            }
        });
    }

    /**
     * The answer to a repeat of a known {@code Idempotency-Key}: the same video with its real status; or 422 when
     * the body differs from the one the key was first sent with (a key names one request, not one slot).
     * {@code cachedRequest}: the first request as this gateway kept it, else it is read from the video's view.
     */
    private AcceptedVideo sameKey(AuthenticatedUser user, String videoId, VideoRequest cachedRequest,
                                  VideoRequest request) {
        Optional<VideoStatus> view = find(user, videoId);
        VideoRequest first = view.map(VideoStatus::request).orElse(cachedRequest);
        if (first != null && !first.equals(request)) {
            throw new ApiException(HttpStatus.valueOf(422), "idempotency_key_reused",
                    "This Idempotency-Key was already used for another request (video " + videoId
                            + "): use a new key for a new video.", "Idempotency-Key");
        }
        return AcceptedVideo.of(videoId, view.map(VideoStatus::status).orElse(Status.QUEUED.wireName()));
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
        if (!VideoIds.isWellFormed(videoId) || deleted.get(videoId).isPresent()) {
            return Optional.empty();
        }
        Optional<VideoStatus> view = replica.video(videoId).map(liveViews::freshest);
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
        for (PendingVideo p : pending.unlisted(user.userId(), library::contains, id -> replica.video(id).isPresent())) {
            unlisted.add(VideoSummary.of(replica.video(p.videoId()).orElseGet(p::queuedView)));
        }
        VideoPage listed = VideoPage.of(library, unlisted, page, size);
        return new VideoPage(listed.videos().stream().map(this::freshest).toList(), listed.page(), listed.size(),
                listed.total());
    }

    /**
     * The summary, or the video's view when that is newer: the projector derives each summary from the view one hop
     * later, so a page read just after a change could list the previous status (a video seen completed on its own
     * page, listed as failed a moment later). One local read per listed video.
     */
    private VideoSummary freshest(VideoSummary summary) {
        return replica.video(summary.videoId()).map(liveViews::freshest)
                .filter(view -> view.version() > summary.version())
                .map(VideoSummary::of)
                .orElse(summary);
    }

    Mono<AcceptedVideo> cancel(AuthenticatedUser user, String videoId) {
        VideoStatus view = view(user, videoId);
        // a failed edit may be cancelled: the video returns to its playable version
        boolean failedEdit = view.edit() != null && view.statusEnum() == Status.FAILED && view.finalUrl() != null;
        if (view.terminal() && !failedEdit) {
            throw ApiException.conflict("already_finished",
                    "The video is already " + view.status() + "; there is nothing to cancel.");
        }
        return publish(new CancelVideo(UUID.randomUUID().toString(), videoId, user.userId(), clock.instant()))
                .thenReturn(AcceptedVideo.of(videoId, view.status()));
    }

    /** How long {@link #delete} waits for the replica to drop a deleted video before it answers 202 instead of 204. */
    static final Duration DELETE_WAIT = Duration.ofSeconds(10);

    /**
     * Deletes a video of the caller, whatever its status: a {@code DeleteVideo} command, which the bridge carries out
     * (a running video cancelled, its objects removed from storage, {@code VideoDeleted}), and the projector
     * removes its view and summary. From then on every route of this gateway answers 404 for it. Completes
     * {@code true} once the replica no longer lists it (usually within a second), {@code false} when that takes
     * more than {@link #DELETE_WAIT} (the deletion goes on).
     */
    Mono<Boolean> delete(AuthenticatedUser user, String videoId) {
        view(user, videoId);
        pending.get(videoId).ifPresent(pending::remove);
        return publish(new DeleteVideo(UUID.randomUUID().toString(), videoId, user.userId(), clock.instant()))
                .then(Mono.fromRunnable(() -> deleted.put(videoId, clock.instant())))
                .then(reactor.core.publisher.Flux.interval(Duration.ZERO, Duration.ofMillis(100),
                                reactor.core.scheduler.Schedulers.boundedElastic()) // replica reads: never on the loop
                        .map(tick -> replica.video(videoId).isEmpty()
                                && !replica.library(user.userId()).contains(videoId))
                        .filter(gone -> gone)
                        .next()
                        .timeout(DELETE_WAIT, Mono.just(false)));
    }

    Mono<AcceptedVideo> retry(AuthenticatedUser user, String videoId) {
        VideoStatus view = view(user, videoId);
        if (view.statusEnum() != Status.FAILED) {
            throw ApiException.conflict("not_failed",
                    "Only a failed video can be retried; this one is " + view.status() + ".");
        }
        long seconds = Library.retriedSeconds(view.request() == null ? null : view.request().targetDuration(),
                view.totalBlocks(), view.completedBlocks());
        Instant now = clock.instant();
        AcceptedRetry mine = new AcceptedRetry(view.version(), now);
        Counted counted = counted(user.userId());
        synchronized (lockOf(user)) {
            refuseIfJustAccepted(videoId, view, now, "retry_in_progress",
                    "A retry of this video was just accepted; follow its progress instead of retrying again.");
            checkQuota(withPending(counted, user.userId()), seconds,
                    Language.ofOrFrench(view.request() == null ? null : view.request().language()));
            retries.put(videoId, mine);
        }
        return publish(RetryCommands.of(view, UUID.randomUUID().toString(), user.userId(), now))
                .doOnError(e -> retries.remove(videoId, mine))
                .thenReturn(AcceptedVideo.of(videoId, view.status()));
    }

    /**
     * An edit of one block ({@link BlockEdits}): one clip paid, counted against the daily quota as a retry's blocks
     * are; a second edit accepted here before the replica shows the first is refused like a second retry.
     */
    Mono<AcceptedVideo> edit(AuthenticatedUser user, String videoId, BlockEdits.Edit edit) {
        VideoStatus view = view(user, videoId);
        BlockEdits.Checked checked = BlockEdits.checked(view, edit);
        Instant now = clock.instant();
        AcceptedRetry mine = new AcceptedRetry(view.version(), now);
        Counted counted = counted(user.userId());
        synchronized (lockOf(user)) {
            refuseIfJustAccepted(videoId, view, now, "video_busy",
                    "A change to this video was just accepted; follow its progress before editing again.");
            checkQuota(withPending(counted, user.userId()), checked.before().durationS(),
                    Language.ofOrFrench(view.request() == null ? null : view.request().language()));
            retries.put(videoId, mine);
        }
        return publish(BlockEdits.command(view, checked, UUID.randomUUID().toString(), user.userId(), now))
                .doOnError(e -> retries.remove(videoId, mine))
                .thenReturn(AcceptedVideo.of(videoId, Status.GENERATING_PARALLEL.wireName()));
    }

    /**
     * 409 when a retry or an edit of this very view was accepted here: the replica has not shown the video reopened
     * yet, and a second one would be a second run paid for (the bridge's ledger also starts only the first of two
     * sent through two gateways). Forgotten once the view moved on, or after a while (a command the bridge found
     * nothing to do for leaves the view as it was). Called under the user's lock.
     */
    private void refuseIfJustAccepted(String videoId, VideoStatus view, Instant now, String code, String message) {
        Optional<AcceptedRetry> earlier = retries.get(videoId);
        if (earlier.isPresent() && earlier.get().version() >= view.version()
                && earlier.get().at().plus(RETRY_PENDING_FOR).isAfter(now)) {
            throw ApiException.conflict(code, message);
        }
    }

    /** What a user has in flight and has asked for today (UTC), as {@code GET /api/quota} shows it. */
    record Usage(long activeVideos, int maxActiveVideos, long secondsToday, int dailySeconds, Instant resetsAt) {
    }

    /**
     * The replica's counts (from {@code reetik.video-summaries}: the same on every gateway, kept across restarts)
     * plus the videos accepted here that the replica does not show yet, so a burst is counted at once.
     */
    Usage usage(String userId) {
        return withPending(counted(userId), userId);
    }

    /**
     * What the replica counts for a user, and which of the videos accepted here it already lists: read before the
     * user's lock is taken, as each read may wait for the replica's writer (a create that read them under the lock
     * held every other create of that user meanwhile: one user creating 50 a second waited seconds for each).
     */
    private record Counted(LocalDate today, long active, long seconds, java.util.Set<String> listed) {
    }

    private Counted counted(String userId) {
        LocalDate today = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
        Library library = replica.library(userId);
        // The pending videos first, then the counts: a video listed in between is counted twice (a refusal one video
        // early at worst), never missed.
        java.util.Set<String> listed = new java.util.HashSet<>();
        pending.unlisted(userId, id -> {
            boolean known = library.contains(id);
            if (known) {
                listed.add(id);
            }
            return known;
        }, id -> replica.video(id).isPresent());
        return new Counted(today, library.activeVideos(), library.secondsOn(today), listed);
    }

    /**
     * {@code counted} plus every pending video of the user it did not find listed, those accepted since included: in
     * memory only, so that it runs under the user's lock, where the check and the new pending video go together.
     */
    private Usage withPending(Counted counted, String userId) {
        long active = counted.active();
        long seconds = counted.seconds();
        for (PendingVideo p : pending.ofUser(userId)) {
            if (!counted.listed().contains(p.videoId())) {
                active++;
                if (LocalDate.ofInstant(p.createdAt(), ZoneOffset.UTC).equals(counted.today())) {
                    seconds += p.request().targetDuration();
                }
            }
        }
        return new Usage(active, quota.maxActiveVideos(), seconds, quota.dailySeconds(),
                counted.today().plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant());
    }

    /** 429 {@code user_quota}, in the request's language, when {@code seconds} more would pass a limit. */
    private void checkQuota(Usage usage, long seconds, Language language) {
        boolean french = language != Language.EN;
        if (usage.activeVideos() >= usage.maxActiveVideos()) {
            throw ApiException.tooMany("user_quota", french
                    ? "Vous avez déjà " + usage.activeVideos() + " vidéos en cours (maximum "
                            + usage.maxActiveVideos() + "). Réessayez quand l'une d'elles sera terminée."
                    : "You already have " + usage.activeVideos() + " videos in progress (limit "
                            + usage.maxActiveVideos() + "). Try again when one of them has finished.",
                    ACTIVE_RETRY_AFTER_SECONDS);
        }
        if (usage.secondsToday() + seconds > usage.dailySeconds()) {
            long untilReset = Duration.between(clock.instant(), usage.resetsAt()).toSeconds();
            String at = DateTimeFormatter.ofPattern("HH:mm").withZone(ZoneOffset.UTC).format(usage.resetsAt());
            throw ApiException.tooMany("user_quota", french
                    ? "Limite quotidienne atteinte : " + usage.secondsToday() + " s de vidéo demandées aujourd'hui sur "
                            + usage.dailySeconds() + " s, et celle-ci en demande " + seconds
                            + " s. Le compteur repart à zéro à " + at + " UTC."
                    : "Daily limit reached: " + usage.secondsToday() + " s of video asked for today out of "
                            + usage.dailySeconds() + " s, and this one asks for " + seconds
                            + " s. The count starts again at " + at + " UTC.",
                    untilReset);
        }
    }

    private Object lockOf(AuthenticatedUser user) {
        return userLocks[Math.floorMod(user.userId().hashCode(), userLocks.length)];
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
