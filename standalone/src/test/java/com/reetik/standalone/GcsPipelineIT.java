package com.reetik.standalone;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.auth.oauth2.ServiceAccountCredentials;
import com.google.cloud.storage.Blob;
import com.google.cloud.storage.BlobId;
import com.google.cloud.storage.Storage;
import com.google.cloud.storage.contrib.nio.testing.LocalStorageHelper;
import com.reetik.gcp.storage.GcsObjectStore;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.security.interfaces.RSAPrivateKey;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * The whole product storing in a GCS bucket: the real GcsObjectStore against google-cloud-nio's in-memory
 * storage (Google's own test helper), local preview agents, real ffmpeg. Clips and final.mp4 land at the
 * seed's paths; the download streams the bytes with ranges when the credentials cannot sign, and
 * redirects to a V4 signed URL when they can.
 */
@Timeout(300)
class GcsPipelineIT {

    private static final String BUCKET = "tiktok-pipeline-v2-artifacts-test";

    @TempDir
    Path dataDir;

    private RunningServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void shouldStoreClipsAndFinalVideoAtTheSeedsBucketPathsAndServeThem() throws Exception {
        // Given the stack storing in a bucket
        Storage storage = LocalStorageHelper.getOptions().getService();
        ApiClient api = start(storage);

        // When a user makes an 8 s video
        String token = api.newUser();
        String videoId = api.createVideo(token, "Les volcans d'Islande", 8);
        JsonNode view = api.awaitTerminal(videoId, token, Duration.ofMinutes(2));

        // Then the clips and the final video are in the bucket at the seed's paths
        assertThat(view.get("status").asText()).as(view.toString()).isEqualTo("completed");
        assertThat(server.internalView(videoId).get("final_url").asText())
                .isEqualTo("gs://" + BUCKET + "/" + videoId + "/final.mp4");
        for (int block = 1; block <= 2; block++) {
            Blob clip = storage.get(BlobId.of(BUCKET, videoId + "/clips/block_" + block + ".mp4"));
            assertThat(clip).as("clip %d", block).isNotNull();
            assertThat(clip.getSize()).isGreaterThan(1000);
        }
        Blob finalVideo = storage.get(BlobId.of(BUCKET, videoId + "/final.mp4"));
        assertThat(finalVideo.getContentType()).isEqualTo("video/mp4");

        // and the download gives the bucket's bytes, whole or by range
        HttpResponse<byte[]> whole = api.getBytes("/api/videos/" + videoId + "/file", token, Map.of());
        assertThat(whole.statusCode()).isEqualTo(200);
        assertThat(whole.body()).isEqualTo(storage.readAllBytes(BlobId.of(BUCKET, videoId + "/final.mp4")));
        HttpResponse<byte[]> part = api.getBytes("/api/videos/" + videoId + "/file", token, Map.of("Range", "bytes=10-19"));
        assertThat(part.statusCode()).isEqualTo(206);
        assertThat(part.body()).isEqualTo(java.util.Arrays.copyOfRange(whole.body(), 10, 20));
    }

    @Test
    void shouldRedirectTheDownloadToAV4SignedUrlWhenTheCredentialsCanSign() throws Exception {
        // Given a bucket whose credentials can sign (a service-account key made for the test)
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        ServiceAccountCredentials credentials = ServiceAccountCredentials.newBuilder()
                .setClientEmail("reetik-test@reetik-project.iam.gserviceaccount.com")
                .setPrivateKey((RSAPrivateKey) generator.generateKeyPair().getPrivate())
                .setPrivateKeyId("test-key").setProjectId("reetik-project").build();
        Storage storage = LocalStorageHelper.getOptions().toBuilder().setCredentials(credentials).build().getService();
        ApiClient api = start(storage);
        String token = api.newUser();
        String videoId = api.createVideo(token, "Les volcans d'Islande", 8);
        assertThat(api.awaitTerminal(videoId, token, Duration.ofMinutes(2)).get("status").asText()).isEqualTo("completed");

        // When the user downloads it
        HttpResponse<byte[]> download = api.getBytes("/api/videos/" + videoId + "/file", token, Map.of());

        // Then the gateway redirects to a V4 signed URL of the object, valid 15 minutes
        assertThat(download.statusCode()).isEqualTo(302);
        assertThat(download.headers().firstValue("Location")).hasValueSatisfying(location -> assertThat(location)
                .contains("/" + BUCKET + "/" + videoId + "/final.mp4")
                .contains("X-Goog-Algorithm=GOOG4-RSA-SHA256", "X-Goog-Expires=900", "X-Goog-Signature="));
    }

    private ApiClient start(Storage storage) throws Exception {
        server = RunningServer.start(dataDir, Map.of(), agents -> agents,
                settings -> new GcsObjectStore(storage, BUCKET, dataDir.resolve("gcs-cache")));
        return server.api;
    }
}
