package com.reetik.contracts.storage;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;

/** Where clips and final videos are kept: local files by default, a GCS bucket in production. */
public interface ObjectStore {

    /** Stores the file under {@code key}, replacing any earlier object whole (never half-written). */
    String put(String key, Path file) throws IOException;

    boolean exists(String key);

    /** A local file holding the object's bytes (the object itself for local storage). */
    Optional<Path> localFile(String key) throws IOException;

    /**
     * Deletes every object under {@code folder} (the keys that start with {@code folder + "/"}, e.g. a video's
     * clips, final video, poster, subtitles and marks under its id); nothing there is no error.
     *
     * @return how many objects were deleted
     */
    int deleteFolder(String folder) throws IOException;

    /** The object's URI, e.g. {@code file:///…/videos/x/final.mp4} or {@code gs://bucket/x/final.mp4}. */
    String uri(String key);

    /** The key of one of this store's URIs, or empty when the URI is not this store's. */
    Optional<String> keyOf(String uri);

    /**
     * A URL a client may download the object from directly for a while (a signed URL), or empty when this
     * store cannot give one: then the gateway serves the bytes itself.
     */
    default Optional<java.net.URI> downloadUrl(String key) {
        return Optional.empty();
    }
}
