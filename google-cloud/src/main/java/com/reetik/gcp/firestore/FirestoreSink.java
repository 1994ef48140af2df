package com.reetik.gcp.firestore;

import com.google.api.gax.rpc.ApiException;
import com.google.api.gax.rpc.StatusCode;
import com.google.cloud.firestore.DocumentReference;
import com.google.cloud.firestore.DocumentSnapshot;
import com.google.cloud.firestore.Firestore;
import com.google.cloud.firestore.FirestoreException;
import com.google.cloud.firestore.TransactionOptions;
import com.reetik.contracts.status.VideoStatus;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes the seed's two documents of status views to Firestore, newest view per video only.
 *
 * <p>Ordering without a version field in the documents: (1) a view whose version is not above the last one
 * this sink wrote for the video is skipped (a map bounded to {@link #MAX_TRACKED_VIDEOS} entries, cleared on a
 * partition revocation); (2) each batch is one Firestore transaction that reads the stored
 * {@code v2_video_status.updated_at} and skips a view whose {@code updated_at} is older (ISO-8601 UTC strings sort
 * as time), so a fenced-off instance replaying old views cannot overwrite newer documents. The transaction's
 * optimistic concurrency is the precondition: a concurrent write to a read document aborts and retries it.
 *
 * <p>UNAVAILABLE (and DEADLINE_EXCEEDED, ABORTED, RESOURCE_EXHAUSTED, INTERNAL) are retried with exponential
 * backoff until they succeed or the sink is stopped; nothing is dropped, so the caller commits offsets only after
 * {@link #write} returns.
 */
public final class FirestoreSink {

    private static final Logger LOG = LoggerFactory.getLogger(FirestoreSink.class);
    /** Two writes per video, 500 writes per Firestore commit. */
    public static final int MAX_VIDEOS_PER_COMMIT = 250;
    static final int MAX_TRACKED_VIDEOS = 100_000;
    private static final Set<StatusCode.Code> RETRYABLE = EnumSet.of(StatusCode.Code.UNAVAILABLE,
            StatusCode.Code.DEADLINE_EXCEEDED, StatusCode.Code.ABORTED, StatusCode.Code.RESOURCE_EXHAUSTED,
            StatusCode.Code.INTERNAL);

    private final Firestore firestore;
    private final Duration initialBackoff;
    private final Duration maxBackoff;
    private final Map<String, Long> lastWritten = new LinkedHashMap<>(1024, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Long> eldest) {
            return size() > MAX_TRACKED_VIDEOS;
        }
    };
    private volatile boolean stopped;

    public FirestoreSink(Firestore firestore, Duration initialBackoff, Duration maxBackoff) {
        this.firestore = firestore;
        this.initialBackoff = initialBackoff;
        this.maxBackoff = maxBackoff;
    }

    public FirestoreSink(Firestore firestore) {
        this(firestore, Duration.ofMillis(200), Duration.ofSeconds(30));
    }

    /** Writes the newest of these views per video; returns how many videos were written (not skipped). */
    public int write(Collection<VideoStatus> views) throws InterruptedException {
        Map<String, VideoStatus> newest = new LinkedHashMap<>();
        for (VideoStatus view : views) {
            if (view == null || view.videoId() == null) {
                continue;
            }
            newest.merge(view.videoId(), view, (a, b) -> b.version() >= a.version() ? b : a);
        }
        newest.values().removeIf(v -> {
            Long last = lastWritten.get(v.videoId());
            return last != null && v.version() <= last;
        });
        List<VideoStatus> pending = new ArrayList<>(newest.values());
        int written = 0;
        for (int from = 0; from < pending.size(); from += MAX_VIDEOS_PER_COMMIT) {
            List<VideoStatus> chunk = pending.subList(from, Math.min(pending.size(), from + MAX_VIDEOS_PER_COMMIT));
            written += commitWithRetries(chunk);
            chunk.forEach(v -> lastWritten.put(v.videoId(), v.version()));
        }
        return written;
    }

    /**
     * Deletes the documents of deleted videos (their view's tombstone on {@code reetik.video-status}): the status
     * and Veo operations documents, in batches, retried like writes.
     */
    public void delete(Collection<String> videoIds) throws InterruptedException {
        List<String> ids = new ArrayList<>(new java.util.LinkedHashSet<>(videoIds));
        for (int from = 0; from < ids.size(); from += MAX_VIDEOS_PER_COMMIT) {
            List<String> chunk = ids.subList(from, Math.min(ids.size(), from + MAX_VIDEOS_PER_COMMIT));
            withRetries("delete", chunk.size(), () -> deleteDocuments(chunk));
            chunk.forEach(lastWritten::remove);
        }
    }

    /** Forgets the versions written (on a partition revocation: another instance may write these videos next). */
    public void forgetVersions() {
        lastWritten.clear();
    }

    public void stop() {
        stopped = true;
    }

    private int commitWithRetries(List<VideoStatus> chunk) throws InterruptedException {
        return withRetries("write", chunk.size(), () -> commit(chunk));
    }

    /** One Firestore call, which throws a runtime exception (retryable or not) when it fails. */
    @FunctionalInterface
    private interface Call<T> {
        T run() throws InterruptedException;
    }

    /** {@code call}, tried again with a doubling backoff while it fails with a retryable status and runs. */
    private <T> T withRetries(String what, int videos, Call<T> call) throws InterruptedException {
        Duration backoff = initialBackoff;
        for (int attempt = 1; ; attempt++) {
            try {
                return call.run();
            } catch (RuntimeException e) {
                if (!retryable(e) || stopped) {
                    throw e;
                }
                LOG.warn("Firestore {} of {} videos failed (attempt {}): {}; retrying in {} ms",
                        what, videos, attempt, e.toString(), backoff.toMillis());
                Thread.sleep(backoff.toMillis());
                backoff = backoff.multipliedBy(2).compareTo(maxBackoff) > 0 ? maxBackoff : backoff.multipliedBy(2);
            }
        }
    }

    /** Deletes the status and Veo operations documents of these videos, in one batch. */
    private Void deleteDocuments(List<String> videoIds) throws InterruptedException {
        com.google.cloud.firestore.WriteBatch batch = firestore.batch();
        for (String id : videoIds) {
            batch.delete(firestore.collection(FirestoreDocuments.VIDEO_STATUS_COLLECTION).document(id));
            batch.delete(firestore.collection(FirestoreDocuments.VEO_OPERATIONS_COLLECTION).document(id));
        }
        try {
            batch.commit().get();
            return null;
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException runtime ? runtime : new IllegalStateException(e.getCause());
        }
    }

    private int commit(List<VideoStatus> chunk) throws InterruptedException {
        DocumentReference[] statusRefs = chunk.stream()
                .map(v -> firestore.collection(FirestoreDocuments.VIDEO_STATUS_COLLECTION).document(v.videoId()))
                .toArray(DocumentReference[]::new);
        try {
            return firestore.runTransaction(tx -> {
                List<DocumentSnapshot> stored = tx.getAll(statusRefs).get();
                Map<String, DocumentSnapshot> byId = new LinkedHashMap<>();
                stored.forEach(s -> byId.put(s.getId(), s));
                int count = 0;
                for (VideoStatus view : chunk) {
                    DocumentSnapshot current = byId.get(view.videoId());
                    String storedUpdatedAt = current != null && current.exists() ? current.getString("updated_at") : null;
                    String viewUpdatedAt = FirestoreDocuments.timestamp(view.updatedAt());
                    if (storedUpdatedAt != null && viewUpdatedAt != null && storedUpdatedAt.compareTo(viewUpdatedAt) > 0) {
                        LOG.debug("skipping {} version {}: Firestore holds a newer view ({})",
                                view.videoId(), view.version(), storedUpdatedAt);
                        continue;
                    }
                    tx.set(firestore.collection(FirestoreDocuments.VIDEO_STATUS_COLLECTION).document(view.videoId()),
                            FirestoreDocuments.videoStatus(view));
                    tx.set(firestore.collection(FirestoreDocuments.VEO_OPERATIONS_COLLECTION).document(view.videoId()),
                            FirestoreDocuments.veoOperations(view));
                    count++;
                }
                return count;
            }, TransactionOptions.createReadWriteOptionsBuilder().setNumberOfAttempts(5).build()).get();
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            throw cause instanceof RuntimeException runtime ? runtime : new IllegalStateException(cause);
        }
    }

    static boolean retryable(Throwable error) {
        for (Throwable e = error; e != null; e = e.getCause()) {
            if (e instanceof ApiException api && RETRYABLE.contains(api.getStatusCode().getCode())) {
                return true;
            }
            if (e instanceof FirestoreException fe && fe.getStatus() != null
                    && RETRYABLE.contains(StatusCode.Code.valueOf(fe.getStatus().getCode().name()))) {
                return true;
            }
            if (e instanceof io.grpc.StatusRuntimeException sre
                    && RETRYABLE.contains(StatusCode.Code.valueOf(sre.getStatus().getCode().name()))) {
                return true;
            }
            if (e.getCause() == e) {
                break;
            }
        }
        return false;
    }

}
