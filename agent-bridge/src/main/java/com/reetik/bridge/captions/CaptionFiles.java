package com.reetik.bridge.captions;

import com.reetik.contracts.storage.ObjectKeys;
import com.reetik.contracts.storage.ObjectStore;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stores a video's subtitles beside its {@code final.mp4}: {@code {video_id}/captions.vtt} and
 * {@code {video_id}/captions.srt} (UTF-8). Written before the video is announced completed, so a completed video has
 * them; written again, identically, when an assembly is done again. Subtitles that cannot be stored are logged, not
 * fatal: the video itself is what the user paid for (the poster follows the same rule).
 */
public final class CaptionFiles {

    private static final Logger log = LoggerFactory.getLogger(CaptionFiles.class);

    private final ObjectStore store;
    private final Path workDir;

    public CaptionFiles(ObjectStore store, Path workDir) {
        this.store = store;
        this.workDir = workDir;
    }

    /** Stores both files; a failure is logged (see the class). */
    public void store(String videoId, Captions captions) {
        store(videoId, 1, captions);
    }

    /** Stores both files of version {@code version} of the video. */
    public void store(String videoId, int version, Captions captions) {
        try {
            Files.createDirectories(workDir);
            for (String format : List.of("vtt", "srt")) {
                Path file = Files.createTempFile(workDir, "captions-", "." + format);
                try {
                    Files.writeString(file, format.equals("vtt") ? captions.toVtt() : captions.toSrt(),
                            StandardCharsets.UTF_8);
                    store.put(ObjectKeys.captions(videoId, format, version), file);
                } finally {
                    Files.deleteIfExists(file);
                }
            }
        } catch (IOException | RuntimeException e) {
            log.warn("No subtitles for video {}: {}", videoId, e.toString());
        }
    }
}
