package com.reetik.gcp.storage;

import com.google.auth.ServiceAccountSigner;
import com.google.cloud.ReadChannel;
import com.google.cloud.storage.Blob;
import com.google.cloud.storage.BlobId;
import com.google.cloud.storage.BlobInfo;
import com.google.cloud.storage.HttpMethod;
import com.google.cloud.storage.Storage;
import com.google.cloud.storage.StorageException;
import com.google.cloud.storage.StorageOptions;
import com.reetik.contracts.storage.ObjectStore;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URL;
import java.nio.channels.Channels;
import java.nio.channels.ReadableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Objects in one GCS bucket, at {@code gs://{bucket}/{key}}: {@code {video_id}/final.mp4},
 * {@code {video_id}/clips/block_{i}.mp4}. Uploads are resumable; downloads for {@link #localFile} go to a
 * cache folder through a temporary file and an atomic move, keyed by the object's generation.
 */
public final class GcsObjectStore implements ObjectStore {

    private static final Logger LOG = LoggerFactory.getLogger(GcsObjectStore.class);
    /** Upload chunk: a multiple of 256 KiB, as resumable uploads require. */
    static final int UPLOAD_CHUNK_BYTES = 8 * 1024 * 1024;
    private static final String GENERATION_SUFFIX = ".generation";

    private final Storage storage;
    private final String bucket;
    private final Path cacheDir;
    private final String prefix;
    private final Duration signedUrlLifetime;
    private final long cacheMaxBytes;
    private final Object trimming = new Object();

    /** A cached file used this recently is never deleted to make room: someone may be about to read it. */
    static final Duration IN_USE = Duration.ofMinutes(1);

    public GcsObjectStore(Storage storage, String bucket, Path cacheDir) {
        this(storage, bucket, cacheDir, GcsSettings.DEFAULT_SIGNED_URL_LIFETIME, GcsSettings.DEFAULT_CACHE_MAX_BYTES);
    }

    /**
     * @param signedUrlLifetime how long the URLs of {@link #downloadUrl} stay valid
     * @param cacheMaxBytes     how many bytes of downloads the cache folder keeps (see {@link #localFile})
     */
    public GcsObjectStore(Storage storage, String bucket, Path cacheDir, Duration signedUrlLifetime,
                          long cacheMaxBytes) {
        if (cacheMaxBytes < 1) {
            throw new IllegalArgumentException("cache size must be positive: " + cacheMaxBytes);
        }
        this.cacheMaxBytes = cacheMaxBytes;
        this.signedUrlLifetime = Objects.requireNonNull(signedUrlLifetime, "signedUrlLifetime");
        this.storage = Objects.requireNonNull(storage, "storage");
        this.bucket = Objects.requireNonNull(bucket, "bucket");
        this.cacheDir = cacheDir.toAbsolutePath().normalize();
        this.prefix = "gs://" + bucket + "/";
    }

    /** A store on the real service, with Application Default Credentials ({@code GOOGLE_APPLICATION_CREDENTIALS}, workload identity…). */
    public static GcsObjectStore create(GcsSettings settings) {
        StorageOptions.Builder options = StorageOptions.newBuilder();
        if (settings.project() != null) {
            options.setProjectId(settings.project());
        }
        return new GcsObjectStore(options.build().getService(), settings.bucket(), settings.cacheDir(),
                settings.signedUrlLifetime(), settings.cacheMaxBytes());
    }

    public String bucket() {
        return bucket;
    }

    public Storage storage() {
        return storage;
    }

    @Override
    public String put(String key, Path file) throws IOException {
        BlobInfo info = BlobInfo.newBuilder(blobId(key)).setContentType(contentType(key)).build();
        try {
            // createFrom streams the file through a resumable upload session: an object appears whole or not at all.
            storage.createFrom(info, file, UPLOAD_CHUNK_BYTES);
        } catch (StorageException e) {
            throw new IOException("upload of " + file + " to " + uri(key) + " failed: " + e.getMessage(), e);
        }
        return uri(key);
    }

    @Override
    public boolean exists(String key) {
        return blob(key).isPresent();
    }

    /** Lists the objects under {@code folder/} and deletes them one by one, with their downloads in the cache. */
    @Override
    public int deleteFolder(String folder) throws IOException {
        String prefix = checkKey(folder) + "/";
        int deleted = 0;
        try {
            for (Blob blob : storage.list(bucket, Storage.BlobListOption.prefix(prefix)).iterateAll()) {
                if (storage.delete(BlobId.of(bucket, blob.getName()))) {
                    deleted++;
                }
            }
        } catch (StorageException e) {
            throw new IOException("deleting " + uri(folder) + "/ failed: " + e.getMessage(), e);
        }
        Path cached = cacheDir.resolve(folder).normalize();
        if (cached.startsWith(cacheDir) && !cached.equals(cacheDir) && Files.isDirectory(cached)) {
            try (java.util.stream.Stream<Path> files = Files.walk(cached)) {
                for (Path file : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(file);
                }
            }
        }
        return deleted;
    }

    /**
     * Downloads the object into the cache folder (once per generation) and returns that file, or empty when
     * there is no such object. The folder keeps at most {@code cacheMaxBytes} of downloads: after each download the
     * least recently used files go (a hit counts as a use), except files used in the last {@link #IN_USE}, which
     * a caller may be about to read. A blocking call: never on an event loop.
     */
    @Override
    public Optional<Path> localFile(String key) throws IOException {
        Optional<Blob> blob = blob(key);
        if (blob.isEmpty()) {
            return Optional.empty();
        }
        long generation = blob.get().getGeneration() == null ? -1 : blob.get().getGeneration();
        Path target = cacheDir.resolve(key).normalize();
        Path marker = target.resolveSibling(target.getFileName() + GENERATION_SUFFIX);
        if (Files.isRegularFile(target) && Files.isRegularFile(marker)
                && Files.readString(marker, StandardCharsets.US_ASCII).equals(Long.toString(generation))) {
            try {
                Files.setLastModifiedTime(target, FileTime.from(Instant.now()));
                return Optional.of(target);
            } catch (NoSuchFileException trimmedMeanwhile) {
                // made room for another download just now: download it again below
            }
        }
        Files.createDirectories(target.getParent());
        Path tmp = Files.createTempFile(target.getParent(), ".download-", ".part");
        try {
            BlobId id = generation < 0 ? blobId(key) : BlobId.of(bucket, key, generation);
            try (ReadChannel reader = storage.reader(id); InputStream in = Channels.newInputStream(reader)) {
                Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
            } catch (StorageException e) {
                if (e.getCode() == 404) {
                    return Optional.empty();
                }
                throw new IOException("download of " + uri(key) + " failed: " + e.getMessage(), e);
            }
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            Files.writeString(marker, Long.toString(generation), StandardCharsets.US_ASCII);
            trimCache();
            return Optional.of(target);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /**
     * Deletes the least recently used downloads until the folder holds at most {@code cacheMaxBytes} (files in use
     * excepted). Hand-written: a size-bounded cache library (Caffeine's weigher) may refuse a new entry at once,
     * deleting a file its caller is about to read, and knows nothing of the files a restart leaves behind.
     */
    private void trimCache() {
        synchronized (trimming) {
            record Cached(Path file, long bytes, FileTime used) {
            }
            List<Cached> files = new ArrayList<>();
            try (Stream<Path> walk = Files.walk(cacheDir)) {
                for (Path p : (Iterable<Path>) walk::iterator) {
                    String name = p.getFileName().toString();
                    if (name.endsWith(GENERATION_SUFFIX) || name.endsWith(".part")) {
                        continue;
                    }
                    BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class);
                    if (a.isRegularFile()) {
                        files.add(new Cached(p, a.size(), a.lastModifiedTime()));
                    }
                }
            } catch (IOException | UncheckedIOException e) {
                LOG.warn("GCS cache folder {} not trimmed: {}", cacheDir, e.toString());
                return;
            }
            long total = files.stream().mapToLong(Cached::bytes).sum();
            FileTime inUseSince = FileTime.from(Instant.now().minus(IN_USE));
            files.sort(Comparator.comparing(Cached::used));
            for (Cached c : files) {
                if (total <= cacheMaxBytes) {
                    break;
                }
                if (c.used().compareTo(inUseSince) > 0) {
                    break; // the rest were used later still
                }
                try {
                    Files.deleteIfExists(c.file());
                    Files.deleteIfExists(c.file().resolveSibling(c.file().getFileName() + GENERATION_SUFFIX));
                    total -= c.bytes();
                } catch (IOException e) {
                    LOG.warn("GCS cache file {} not deleted: {}", c.file(), e.toString());
                }
            }
            if (total > cacheMaxBytes) {
                LOG.info("GCS cache folder {} holds {} bytes, over its {} for now: every file in it was used in the "
                        + "last {}", cacheDir, total, cacheMaxBytes, IN_USE);
            }
        }
    }

    @Override
    public String uri(String key) {
        return prefix + checkKey(key);
    }

    /** The key of a {@code gs://{this bucket}/…} URI; any other URI (another bucket, scheme, a bad key) is refused. */
    @Override
    public Optional<String> keyOf(String uri) {
        if (uri == null || !uri.startsWith(prefix)) {
            return Optional.empty();
        }
        String key = uri.substring(prefix.length());
        return validKey(key) ? Optional.of(key) : Optional.empty();
    }

    /**
     * A V4 signed GET URL for the object, valid for {@code lifetime}, when the credentials can sign
     * (a service-account key, or workload identity with {@code roles/iam.serviceAccountTokenCreator});
     * empty otherwise, and the caller streams the object itself.
     */
    /** A V4 signed URL valid for the configured lifetime, when these credentials can sign. */
    @Override
    public Optional<java.net.URI> downloadUrl(String key) {
        return signedUrl(key, signedUrlLifetime).flatMap(url -> {
            try {
                return Optional.of(url.toURI());
            } catch (java.net.URISyntaxException e) {
                return Optional.empty();
            }
        });
    }

    public Optional<URL> signedUrl(String key, Duration lifetime) {
        if (!(storage.getOptions().getCredentials() instanceof ServiceAccountSigner)) {
            return Optional.empty();
        }
        try {
            return Optional.of(storage.signUrl(BlobInfo.newBuilder(blobId(key)).build(), lifetime.toSeconds(),
                    TimeUnit.SECONDS, Storage.SignUrlOption.withV4Signature(),
                    Storage.SignUrlOption.httpMethod(HttpMethod.GET)));
        } catch (ServiceAccountSigner.SigningException | IllegalStateException | IllegalArgumentException e) {
            LOG.warn("cannot sign a URL for {}: {}; the object will be streamed", uri(key), e.toString());
            return Optional.empty();
        }
    }

    /** The object's size in bytes. */
    public long size(String key) throws IOException {
        Blob blob = blob(key).orElseThrow(() -> new NoSuchFileException(uri(key)));
        return blob.getSize() == null ? 0 : blob.getSize();
    }

    /** A channel on the whole object. */
    public ReadableByteChannel open(String key) throws IOException {
        return open(key, 0, -1);
    }

    /**
     * A channel on {@code length} bytes of the object from {@code offset} (to the end when {@code length < 0}),
     * for HTTP range requests.
     */
    public ReadableByteChannel open(String key, long offset, long length) throws IOException {
        if (offset < 0) {
            throw new IllegalArgumentException("negative offset " + offset);
        }
        if (!exists(key)) {
            throw new NoSuchFileException(uri(key));
        }
        ReadChannel reader = storage.reader(blobId(key));
        try {
            if (offset > 0) {
                reader.seek(offset);
            }
            if (length >= 0) {
                reader.limit(offset + length);
            }
        } catch (IOException | RuntimeException e) {
            reader.close();
            throw e;
        }
        return reader;
    }

    /** {@link #open(String, long, long)} as a stream. */
    public InputStream openStream(String key, long offset, long length) throws IOException {
        return Channels.newInputStream(open(key, offset, length));
    }

    private Optional<Blob> blob(String key) {
        try {
            return Optional.ofNullable(storage.get(blobId(key)));
        } catch (StorageException e) {
            if (e.getCode() == 404) {
                return Optional.empty();
            }
            throw new UncheckedIOException(new IOException("cannot read " + uri(key) + ": " + e.getMessage(), e));
        }
    }

    private BlobId blobId(String key) {
        return BlobId.of(bucket, checkKey(key));
    }

    static String contentType(String key) {
        String lower = key.toLowerCase(Locale.ROOT);
        if (lower.endsWith(".mp4")) {
            return "video/mp4";
        }
        if (lower.endsWith(".json")) {
            return "application/json";
        }
        if (lower.endsWith(".jpg") || lower.endsWith(".jpeg")) {
            return "image/jpeg";
        }
        if (lower.endsWith(".png")) {
            return "image/png";
        }
        return "application/octet-stream";
    }

    private static String checkKey(String key) {
        if (!validKey(key)) {
            throw new IllegalArgumentException("not an object key: '" + key + "'");
        }
        return key;
    }

    /** Relative, slash-separated, no empty, {@code .} or {@code ..} segment. */
    static boolean validKey(String key) {
        if (key == null || key.isEmpty() || key.startsWith("/") || key.endsWith("/") || key.contains("\\")) {
            return false;
        }
        for (String segment : key.split("/", -1)) {
            if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) {
                return false;
            }
        }
        return true;
    }
}
