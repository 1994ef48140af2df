package com.reetik.gcp.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.auth.oauth2.ServiceAccountCredentials;
import com.google.cloud.storage.Blob;
import com.google.cloud.storage.BlobId;
import com.google.cloud.storage.Storage;
import com.google.cloud.storage.StorageOptions;
import com.google.cloud.storage.contrib.nio.testing.LocalStorageHelper;
import com.reetik.contracts.storage.ObjectKeys;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.security.interfaces.RSAPrivateKey;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The real store against google-cloud-nio's in-memory Storage (LocalStorageHelper). */
class GcsObjectStoreTest {

    private static final String BUCKET = "tiktok-pipeline-v2-artifacts-test";
    private static final String VIDEO = "test_20260201_203648";

    @TempDir
    Path temp;

    private Storage storage;
    private GcsObjectStore store;
    private Path video;
    private byte[] bytes;

    @BeforeEach
    void setUp() throws IOException {
        storage = LocalStorageHelper.getOptions().getService();
        store = new GcsObjectStore(storage, BUCKET, temp.resolve("cache"));
        bytes = new byte[3 * 1024 * 1024 + 12_345]; // a few MB, not a multiple of the chunk
        new Random(42).nextBytes(bytes);
        video = Files.write(temp.resolve("final.mp4"), bytes);
    }

    @Test
    void putThenExistsUriAndLocalFile() throws IOException {
        String key = ObjectKeys.finalVideo(VIDEO);
        assertThat(store.exists(key)).isFalse();
        assertThat(store.localFile(key)).isEmpty();

        String uri = store.put(key, video);

        assertThat(uri).isEqualTo("gs://" + BUCKET + "/" + VIDEO + "/final.mp4").isEqualTo(store.uri(key));
        assertThat(store.exists(key)).isTrue();
        Blob blob = storage.get(BlobId.of(BUCKET, key));
        assertThat(blob.getContentType()).isEqualTo("video/mp4");
        assertThat(blob.getSize()).isEqualTo(bytes.length);
        assertThat(store.size(key)).isEqualTo(bytes.length);

        Path local = store.localFile(key).orElseThrow();
        assertThat(local).startsWith(temp.resolve("cache"));
        assertThat(Files.readAllBytes(local)).isEqualTo(bytes);
        assertThat(store.localFile(key)).contains(local); // served from the cache
        try (var files = Files.list(local.getParent())) {
            assertThat(files.map(p -> p.getFileName().toString())).noneMatch(n -> n.endsWith(".part"));
        }
    }

    @Test
    void deleteFolderRemovesEveryObjectOfTheVideoAndItsDownloadsOnly() throws IOException {
        // Given a video's final file (downloaded once) and clip, and a video whose id starts with the same text
        store.put(ObjectKeys.finalVideo(VIDEO), video);
        store.put(ObjectKeys.clip(VIDEO, 1), video);
        store.put(ObjectKeys.finalVideo(VIDEO + "0"), video);
        Path cached = store.localFile(ObjectKeys.finalVideo(VIDEO)).orElseThrow();

        // When the first video's folder is deleted
        int deleted = store.deleteFolder(VIDEO);

        // Then both of its objects and its download are gone, and the other video is untouched
        assertThat(deleted).isEqualTo(2);
        assertThat(store.exists(ObjectKeys.finalVideo(VIDEO))).isFalse();
        assertThat(store.exists(ObjectKeys.clip(VIDEO, 1))).isFalse();
        assertThat(cached).doesNotExist();
        assertThat(store.exists(ObjectKeys.finalVideo(VIDEO + "0"))).isTrue();
        // and deleting it again finds nothing
        assertThat(store.deleteFolder(VIDEO)).isZero();
    }

    @Test
    void theCacheKeepsAtMostItsSizeDroppingTheLeastRecentlyUsedDownloads() throws IOException {
        // Given a cache of 2.5 KB and four clips of 1 KB
        GcsObjectStore small = new GcsObjectStore(storage, BUCKET, temp.resolve("small-cache"),
                GcsSettings.DEFAULT_SIGNED_URL_LIFETIME, 2_560);
        byte[] kb = Arrays.copyOf(bytes, 1024);
        Path clip = Files.write(temp.resolve("clip.mp4"), kb);
        for (int i = 1; i <= 4; i++) {
            small.put(ObjectKeys.clip(VIDEO, i), clip);
        }
        // clips 1 and 2 downloaded two hours ago, then clip 1 used again an hour ago (clip 2 is the least recent)
        Path one = small.localFile(ObjectKeys.clip(VIDEO, 1)).orElseThrow();
        Path two = small.localFile(ObjectKeys.clip(VIDEO, 2)).orElseThrow();
        java.time.Instant now = java.time.Instant.now();
        Files.setLastModifiedTime(one, java.nio.file.attribute.FileTime.from(now.minus(Duration.ofHours(1))));
        Files.setLastModifiedTime(two, java.nio.file.attribute.FileTime.from(now.minus(Duration.ofHours(2))));

        // When clip 3 is downloaded: 3 KB would be over the bound
        Path three = small.localFile(ObjectKeys.clip(VIDEO, 3)).orElseThrow();

        // Then the least recently used, clip 2, went (with its generation marker); clip 1 and the new one stay
        assertThat(two).doesNotExist();
        assertThat(two.resolveSibling(two.getFileName() + ".generation")).doesNotExist();
        assertThat(one).exists();
        assertThat(Files.readAllBytes(three)).isEqualTo(kb);

        // And when clip 4 comes while every other file was used within the last minute, none is deleted under a
        // reader (the bound waits), and clip 2 asked again is downloaded again
        Files.setLastModifiedTime(one, java.nio.file.attribute.FileTime.from(now));
        Path four = small.localFile(ObjectKeys.clip(VIDEO, 4)).orElseThrow();
        assertThat(List.of(one, three, four)).allSatisfy(p -> assertThat(p).exists());
        assertThat(Files.readAllBytes(small.localFile(ObjectKeys.clip(VIDEO, 2)).orElseThrow())).isEqualTo(kb);
    }

    @Test
    void replacingAnObjectRefreshesTheCache() throws IOException {
        String key = ObjectKeys.clip(VIDEO, 3);
        store.put(key, video);
        Path first = store.localFile(key).orElseThrow();
        assertThat(Files.readAllBytes(first)).isEqualTo(bytes);

        byte[] other = Arrays.copyOf(bytes, 1000);
        other[0] = (byte) (other[0] + 1);
        store.put(key, Files.write(temp.resolve("other.mp4"), other));

        assertThat(Files.readAllBytes(store.localFile(key).orElseThrow())).isEqualTo(other);
    }

    @Test
    void keyOfRoundTripAndForeignUris() {
        String key = ObjectKeys.clip(VIDEO, 2);
        assertThat(store.keyOf(store.uri(key))).contains(key);
        assertThat(store.keyOf("gs://other-bucket/" + key)).isEmpty();
        assertThat(store.keyOf("gs://" + BUCKET + "-2/" + key)).isEmpty();
        assertThat(store.keyOf("file:///tmp/" + key)).isEmpty();
        assertThat(store.keyOf("https://storage.googleapis.com/" + BUCKET + "/" + key)).isEmpty();
        assertThat(store.keyOf("gs://" + BUCKET + "/")).isEmpty();
        assertThat(store.keyOf("gs://" + BUCKET + "/../x")).isEmpty();
        assertThat(store.keyOf(null)).isEmpty();
        assertThatThrownBy(() -> store.uri("../etc/passwd")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> store.uri("")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void openWithRanges() throws IOException {
        String key = ObjectKeys.finalVideo(VIDEO);
        store.put(key, video);
        try (InputStream in = store.openStream(key, 0, -1)) {
            assertThat(in.readAllBytes()).isEqualTo(bytes);
        }
        try (InputStream in = store.openStream(key, 1_000_000, 4096)) {
            assertThat(in.readAllBytes()).isEqualTo(Arrays.copyOfRange(bytes, 1_000_000, 1_000_000 + 4096));
        }
        try (InputStream in = store.openStream(key, bytes.length - 10, -1)) {
            assertThat(in.readAllBytes()).isEqualTo(Arrays.copyOfRange(bytes, bytes.length - 10, bytes.length));
        }
        assertThatThrownBy(() -> store.open("missing/final.mp4")).isInstanceOf(NoSuchFileException.class);
        assertThatThrownBy(() -> store.size("missing/final.mp4")).isInstanceOf(NoSuchFileException.class);
    }

    @Test
    void noSignedUrlWhenTheCredentialsCannotSign() throws IOException {
        String key = ObjectKeys.finalVideo(VIDEO);
        store.put(key, video);
        assertThat(store.signedUrl(key, Duration.ofMinutes(15))).isEmpty();
    }

    @Test
    void v4SignedUrlWithAServiceAccountKey() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        RSAPrivateKey privateKey = (RSAPrivateKey) generator.generateKeyPair().getPrivate();
        ServiceAccountCredentials credentials = ServiceAccountCredentials.newBuilder()
                .setClientEmail("reetik-test@reetik-project.iam.gserviceaccount.com")
                .setPrivateKey(privateKey)
                .setPrivateKeyId("test-key")
                .setProjectId("reetik-project")
                .build();
        StorageOptions options = LocalStorageHelper.getOptions().toBuilder().setCredentials(credentials).build();
        GcsObjectStore signing = new GcsObjectStore(options.getService(), BUCKET, temp.resolve("cache2"));

        Optional<URL> url = signing.signedUrl(ObjectKeys.finalVideo(VIDEO), Duration.ofMinutes(15));

        assertThat(url).isPresent();
        String text = url.get().toString();
        assertThat(text).contains("/" + BUCKET + "/" + VIDEO + "/final.mp4")
                .contains("X-Goog-Algorithm=GOOG4-RSA-SHA256")
                .contains("X-Goog-Expires=900")
                .contains("X-Goog-Signature=");
    }
}
