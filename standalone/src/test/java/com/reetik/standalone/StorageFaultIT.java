package com.reetik.standalone;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.cloud.storage.StorageException;
import com.reetik.bridge.agent.AgentException;
import com.reetik.bridge.agent.AgentPort;
import com.reetik.bridge.agent.Clip;
import com.reetik.bridge.agent.ClipRequest;
import com.reetik.contracts.storage.LocalObjectStore;
import com.reetik.contracts.storage.ObjectStore;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * Issue 9, case 4: an object store that fails (a GCS outage past its client's retries, a full disk) never strands a
 * video nor loses a cancel. The whole product runs with the real local files behind a store that refuses, on the
 * test's word, some keys with the exception Google's client throws after its own retries; the local preview agents
 * render every clip with real ffmpeg.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(600)
class StorageFaultIT {

    @TempDir
    static Path dataDir;

    private FlakyStore store;
    private final Map<String, AtomicInteger> generations = new ConcurrentHashMap<>();
    private RunningServer server;
    private ApiClient api;

    @BeforeAll
    void start() throws Exception {
        store = new FlakyStore(new LocalObjectStore(dataDir.resolve("videos")));
        server = RunningServer.start(dataDir, Map.of("REETIK_BLOCK_WORKERS", "1", "REETIK_MAX_ATTEMPTS", "3"),
                this::counting, settings -> store);
        api = server.api;
    }

    @AfterAll
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    @AfterEach
    void storeBack() {
        store.refusing(key -> false);
    }

    @Test
    void shouldFailTheAssemblyWithItsCodeAndStageWhenTheStoreIsDownThenCompleteOnRetry() throws Exception {
        // Given a store that cannot take final videos (an outage past the client's retries)
        store.refusing(key -> key.endsWith("/final.mp4"));

        // When a user makes a video
        String token = api.newUser();
        String videoId = api.createVideo(token, "Les volcans d'Islande", 8);

        // Then the video does not stay in assembling: it fails at the assembly with its code, and its stream ends
        JsonNode failed = api.awaitTerminal(videoId, token, Duration.ofMinutes(2));
        assertThat(failed.get("status").asText()).as(failed.toString()).isEqualTo("failed");
        assertThat(failed.get("error").get("code").asText()).isEqualTo("assembly_failed");
        assertThat(failed.get("error").get("stage").asText()).isEqualTo("assembly");
        List<ApiClient.Sse> events = api.events(videoId, token, Duration.ofSeconds(30));
        assertThat(events.get(events.size() - 1).data().get("status").asText()).isEqualTo("failed");

        // When the store is back and the user retries
        store.refusing(key -> false);
        HttpResponse<String> retry = api.post("/api/videos/" + videoId + "/retry", token, null, Map.of());
        assertThat(retry.statusCode()).as(retry.body()).isEqualTo(202);

        // Then the video completes from its clips, none rendered again
        JsonNode done = api.awaitTerminalAfter(videoId, token, failed.get("version").asLong(), Duration.ofMinutes(2));
        assertThat(done.get("status").asText()).as(done.toString()).isEqualTo("completed");
        assertThat(store.exists(videoId + "/final.mp4")).isTrue();
        assertThat(generations.get(videoId + "/1").get()).isEqualTo(1);
        assertThat(generations.get(videoId + "/2").get()).isEqualTo(1);
    }

    @Test
    void shouldRetryABlockWhoseClipCouldNotBeStored() throws Exception {
        // Given a store that refuses the first write of each clip
        Map<String, AtomicInteger> writes = new ConcurrentHashMap<>();
        store.refusing(key -> key.contains("/clips/") && writes.computeIfAbsent(key, k -> new AtomicInteger())
                .incrementAndGet() == 1);

        // When a user makes a video
        String token = api.newUser();
        String videoId = api.createVideo(token, "Vagues et marées", 8);

        // Then each block is generated again and the video completes
        JsonNode done = api.awaitTerminal(videoId, token, Duration.ofMinutes(2));
        assertThat(done.get("status").asText()).as(done.toString()).isEqualTo("completed");
        done.get("blocks").forEach(block -> assertThat(block.get("attempt").asInt()).isEqualTo(2));
    }

    @Test
    void shouldCompleteAVideoWhoseCancelMarkCannotBeRead() throws Exception {
        // Given a store that cannot say whether a video was cancelled
        store.refusing(key -> key.endsWith("/cancelled"));

        // When a user makes a video
        String token = api.newUser();
        String videoId = api.createVideo(token, "Aurores boréales", 16);

        // Then its blocks are not lost behind the failing check: the video completes
        JsonNode done = api.awaitTerminal(videoId, token, Duration.ofMinutes(2));
        assertThat(done.get("status").asText()).as(done.toString()).isEqualTo("completed");
    }

    @Test
    void shouldCancelAVideoWhoseCancelMarkCannotBeWritten() throws Exception {
        // Given a store that can neither write nor read cancel marks, and a long video rendering one block at a time
        store.refusing(key -> key.endsWith("/cancelled"));
        String token = api.newUser();
        String videoId = api.createVideo(token, "Une très longue histoire", 120);

        // When the user cancels it
        HttpResponse<String> cancel = api.post("/api/videos/" + videoId + "/cancel", token, null, Map.of());
        assertThat(cancel.statusCode()).as(cancel.body()).isEqualTo(202);

        // Then the cancel is not lost: the video ends cancelled, and its queued blocks are not generated (the
        // bridge's ledger stops them), far fewer than its 15 blocks
        JsonNode view = api.awaitTerminal(videoId, token, Duration.ofMinutes(2));
        assertThat(view.get("status").asText()).as(view.toString()).isEqualTo("cancelled");
        Thread.sleep(3_000);
        int generated = 0;
        for (int block = 1; block <= 15; block++) {
            AtomicInteger n = generations.get(videoId + "/" + block);
            generated += n == null ? 0 : n.get();
        }
        assertThat(generated).isLessThan(8);
        assertThat(ApiClient.json(api.get("/api/videos/" + videoId, token)).get("status").asText())
                .isEqualTo("cancelled");
    }

    private AgentPort counting(AgentPort real) {
        return new ForwardingAgentPort(real) {
            @Override
            public Clip generateClip(ClipRequest request) throws AgentException {
                generations.computeIfAbsent(request.videoId() + "/" + request.block().index(), k -> new AtomicInteger())
                        .incrementAndGet();
                return super.generateClip(request);
            }
        };
    }

    /**
     * The real local store, refusing the keys the test names with what Google's client throws once its own retries
     * are spent (a 503), on writes and reads alike.
     */
    static final class FlakyStore implements ObjectStore {

        private final ObjectStore real;
        private volatile Predicate<String> refused = key -> false;

        FlakyStore(ObjectStore real) {
            this.real = real;
        }

        void refusing(Predicate<String> keys) {
            this.refused = keys;
        }

        private void check(String key) {
            if (refused.test(key)) {
                throw new StorageException(503, "Service Unavailable (test outage of " + key + ")");
            }
        }

        @Override
        public String put(String key, Path file) throws IOException {
            check(key);
            return real.put(key, file);
        }

        @Override
        public boolean exists(String key) {
            check(key);
            return real.exists(key);
        }

        @Override
        public int deleteFolder(String folder) throws IOException {
            check(folder + "/");
            return real.deleteFolder(folder);
        }

        @Override
        public Optional<Path> localFile(String key) throws IOException {
            check(key);
            return real.localFile(key);
        }

        @Override
        public String uri(String key) {
            return real.uri(key);
        }

        @Override
        public Optional<String> keyOf(String uri) {
            return real.keyOf(uri);
        }
    }
}
