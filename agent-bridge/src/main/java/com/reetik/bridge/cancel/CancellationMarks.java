package com.reetik.bridge.cancel;

import com.reetik.contracts.storage.ObjectStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;

/**
 * Durable, shared marks of cancelled videos ({@code {video_id}/cancelled} in the object store), so that
 * every bridge instance skips the blocks of a cancelled video instead of paying for them. Kept in the
 * store rather than in memory: a restarted or other instance sees them too. A deleted video's objects, its mark
 * included, are purged from the same store ({@link #purge}): after that, its ledger ({@code DELETED}) is what stops
 * its work.
 */
public final class CancellationMarks {

    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(CancellationMarks.class);

    private final ObjectStore store;
    private final Path workDir;

    public CancellationMarks(ObjectStore store, Path workDir) {
        this.store = store;
        this.workDir = workDir;
    }

    static String key(String videoId) {
        return videoId + "/cancelled";
    }

    public void mark(String videoId, Instant at) {
        try {
            Files.createDirectories(workDir);
            Path tmp = Files.createTempFile(workDir, "cancel-", ".txt");
            try {
                Files.writeString(tmp, at.toString(), StandardCharsets.UTF_8);
                store.put(key(videoId), tmp);
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not mark " + videoId + " cancelled", e);
        }
    }

    /**
     * Deletes every object of the video (clips, final video, poster, subtitles, its mark).
     *
     * @return how many there were
     * @throws UncheckedIOException when the store fails (the command is then handled again)
     */
    public int purge(String videoId) {
        try {
            return store.deleteFolder(videoId);
        } catch (IOException e) {
            throw new UncheckedIOException("could not delete the objects of " + videoId, e);
        }
    }

    /**
     * Whether the video's mark is in the store; false when the store cannot tell (an outage): then the video's
     * ledger, which learns every VideoCancelled from Kafka, is what stops its blocks, a moment later.
     */
    public boolean cancelled(String videoId) {
        try {
            return store.exists(key(videoId));
        } catch (RuntimeException e) {
            log.warn("Cannot read the cancel mark of {} ({}); the video's ledger decides", videoId, e.toString());
            return false;
        }
    }
}
