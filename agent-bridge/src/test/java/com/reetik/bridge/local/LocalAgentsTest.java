package com.reetik.bridge.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.reetik.bridge.agent.AgentException;
import com.reetik.bridge.agent.AgentPort;
import com.reetik.bridge.agent.Assembled;
import com.reetik.bridge.agent.Clip;
import com.reetik.bridge.agent.ClipRequest;
import com.reetik.bridge.agent.Script;
import com.reetik.contracts.event.ScriptBlock;
import com.reetik.contracts.status.ErrorCode;
import com.reetik.contracts.status.VideoRequest;
import com.reetik.contracts.storage.LocalObjectStore;
import com.reetik.contracts.storage.ObjectKeys;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalAgentsTest {

    @TempDir
    Path dir;

    @Test
    void shouldRenderNineDistinctBlocksForThirtySixSecondsAndAssembleThemIntoAFaststartFinalVideo() throws Exception {
        // Given local agents and a 36 s vertical French request
        LocalObjectStore store = new LocalObjectStore(dir.resolve("videos"));
        AgentPort agents = new LocalAgents(TestMedia.FFMPEG, store, dir.resolve("work"), 4, 0.0,
                RandomGenerator.getDefault());
        VideoRequest request = TestMedia.request(36, "fr", "9:16");

        // When the script is written, every block rendered and the clips assembled
        Script script = agents.writeScript("vid-36", request);
        List<String> uris = new ArrayList<>();
        List<byte[]> frames = new ArrayList<>();
        long renderStart = System.nanoTime();
        for (ScriptBlock block : script.blocks()) {
            Clip clip = agents.generateClip(new ClipRequest("vid-36", script.agentVideoId(), script.blocks().size(),
                    block, 1, request));
            uris.add(clip.clipUri());
            frames.add(TestMedia.grayFrame(Path.of(URI.create(clip.clipUri())), 1));
        }
        long renderMs = (System.nanoTime() - renderStart) / 1_000_000;
        long assembleStart = System.nanoTime();
        Assembled assembled = agents.assemble("vid-36", uris);
        long assembleMs = (System.nanoTime() - assembleStart) / 1_000_000;
        System.out.printf("rendered 9 blocks in %d ms, assembled them in %d ms%n", renderMs, assembleMs);

        // Then there were 9 clips at {video_id}/clips/block_{i}.mp4, each looking different from the next
        assertThat(script.blocks()).hasSize(9);
        for (int i = 1; i <= 9; i++) {
            assertThat(uris.get(i - 1)).isEqualTo(store.uri(ObjectKeys.clip("vid-36", i)));
        }
        for (int i = 1; i < frames.size(); i++) {
            assertThat(TestMedia.meanAbsoluteDifference(frames.get(i - 1), frames.get(i)))
                    .as("block %d vs %d", i, i + 1).isGreaterThan(10.0);
        }
        // and the final video is {video_id}/final.mp4, 36 ± 1 s of 720x1280 h264 + aac
        assertThat(assembled.finalUrl()).isEqualTo(store.uri(ObjectKeys.finalVideo("vid-36")));
        Path file = store.localFile(ObjectKeys.finalVideo("vid-36")).orElseThrow();
        Ffmpeg.MediaInfo info = TestMedia.FFMPEG.probe(file);
        assertThat(assembled.durationS()).isCloseTo(36.0, within(1.0));
        assertThat(info.durationS()).isCloseTo(36.0, within(1.0));
        assertThat(info.width()).isEqualTo(720);
        assertThat(info.height()).isEqualTo(1280);
        assertThat(info.videoCodec()).isEqualTo("h264");
        assertThat(info.audioCodec()).isEqualTo("aac");
        // and it starts playing before it is fully downloaded: moov before mdat
        long moov = TestMedia.topLevelBoxOffset(file, "moov");
        long mdat = TestMedia.topLevelBoxOffset(file, "mdat");
        assertThat(moov).isNotNegative();
        assertThat(mdat).isGreaterThan(moov);
        // and the last block of the final video is the last clip (the order was kept)
        assertThat(TestMedia.meanAbsoluteDifference(TestMedia.grayFrame(file, 33), frames.get(8))).isLessThan(10.0);
        // and no temp files were left in the work dir
        try (var left = Files.walk(dir.resolve("work"))) {
            assertThat(left.filter(Files::isRegularFile)).isEmpty();
        }
    }

    @Test
    void shouldFailRetryablyAndWriteNothingWhenTheFailureRateIsOne() throws Exception {
        // Given local agents that always fail clips
        LocalObjectStore store = new LocalObjectStore(dir.resolve("videos"));
        AgentPort agents = new LocalAgents(TestMedia.FFMPEG, store, dir.resolve("work"), 4, 1.0,
                RandomGenerator.getDefault());
        VideoRequest request = TestMedia.request(8, "en", "9:16");
        Script script = agents.writeScript("vid-fail", request);

        // When a clip is generated
        // Then it fails with a retryable error and stores nothing
        assertThatThrownBy(() -> agents.generateClip(new ClipRequest("vid-fail", null, 2, script.blocks().get(0), 1, request)))
                .isInstanceOfSatisfying(AgentException.class, e -> {
                    assertThat(e.retryable()).isTrue();
                    assertThat(e.code()).isEqualTo(ErrorCode.DEFAULT);
                    assertThat(e.getMessage()).startsWith("local preview: simulated clip failure");
                });
        assertThat(store.exists(ObjectKeys.clip("vid-fail", 1))).isFalse();
    }

    @Test
    void shouldTurnAnInvalidRequestIntoANonRetryableError() {
        // Given a request without a theme
        AgentPort agents = new LocalAgents(TestMedia.FFMPEG, new LocalObjectStore(dir), dir, 4, 0.0,
                RandomGenerator.getDefault());

        // When / Then
        assertThatThrownBy(() -> agents.writeScript("v", new VideoRequest(null, 36, "informative", "fr", "9:16")))
                .isInstanceOfSatisfying(AgentException.class, e -> assertThat(e.retryable()).isFalse());
    }
}
