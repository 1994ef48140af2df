package com.reetik.projector;

import static org.assertj.core.api.Assertions.assertThat;

import com.reetik.contracts.event.BlockCompleted;
import com.reetik.contracts.event.BlockSubmitted;
import com.reetik.contracts.event.ScriptBlock;
import com.reetik.contracts.event.ScriptGenerated;
import com.reetik.contracts.event.ScriptStarted;
import com.reetik.contracts.event.VideoCompleted;
import com.reetik.contracts.event.AssemblyStarted;
import com.reetik.contracts.event.VideoEvent;
import com.reetik.contracts.event.VideoFailed;
import com.reetik.contracts.event.VideoRequested;
import com.reetik.contracts.json.Json;
import com.reetik.contracts.status.VideoRequest;
import com.reetik.contracts.status.VideoStatus;
import com.reetik.contracts.topic.Topics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** REETIK_STALL_TIMEOUT: a video with no new event for the timeout fails, whatever held it up; others do not. */
class StallCheckTest {

    private static final Instant T0 = Instant.parse("2026-11-30T12:00:00Z");
    private static final Duration TIMEOUT = Duration.ofMinutes(30);

    @TempDir
    Path stateDir;

    private TopologyTestDriver driver;
    private TestInputTopic<String, byte[]> events;
    private TestOutputTopic<String, VideoEvent> eventLog;
    private TestOutputTopic<String, VideoStatus> statuses;
    private int seq;

    private void start(Duration stallTimeout) {
        driver = new TopologyTestDriver(StatusProjectorTopology.build(new SimpleMeterRegistry(), stallTimeout),
                StatusProjectorTopology.streamsConfig(new ProjectorSettings("dummy:9092", "stall-test", stateDir, 1,
                        null)), T0);
        events = driver.createInputTopic(Topics.VIDEO_EVENTS.name(), Serdes.String().serializer(),
                Serdes.ByteArray().serializer());
        eventLog = driver.createOutputTopic(Topics.VIDEO_EVENTS.name(), Serdes.String().deserializer(),
                Topics.VIDEO_EVENTS.valueSerde().deserializer());
        statuses = driver.createOutputTopic(Topics.VIDEO_STATUS.name(), Serdes.String().deserializer(),
                Topics.VIDEO_STATUS.valueSerde().deserializer());
    }

    @AfterEach
    void stop() {
        if (driver != null) {
            driver.close();
        }
    }

    private void send(VideoEvent event) {
        events.pipeInput(event.videoId(), Json.write(event));
    }

    /** A two-block video whose block 1 completed and block 2 was submitted, all at {@code at}. */
    private void startedTwoBlocks(String videoId, Instant at) {
        send(new VideoRequested("e" + seq++, videoId, at, "u1", new VideoRequest("Les volcans d'Islande", 8,
                "informative", "fr", "9:16"), null, at));
        send(new ScriptStarted("e" + seq++, videoId, at));
        send(new ScriptGenerated("e" + seq++, videoId, at, List.of(new ScriptBlock(1, "p1", "n1", 4),
                new ScriptBlock(2, "p2", "n2", 4)), null));
        send(new BlockSubmitted("e" + seq++, videoId, at, 1, 1, null));
        send(new BlockSubmitted("e" + seq++, videoId, at, 2, 1, null));
        send(new BlockCompleted("e" + seq++, videoId, at, 1, 1, "file:///v/" + videoId + "/clips/block_1.mp4", 4.0));
    }

    private List<VideoFailed> failuresWritten() {
        return eventLog.readValuesToList().stream().filter(VideoFailed.class::isInstance).map(VideoFailed.class::cast)
                .toList();
    }

    private Map<String, VideoStatus> latestViews() {
        return statuses.readKeyValuesToMap();
    }

    @Test
    void shouldFailAVideoWithNoEventForTheTimeoutAtItsStageAndOnlyOnce() {
        // Given a video waiting on its block 2, and one still moving
        start(TIMEOUT);
        startedTwoBlocks("stuck", T0);
        startedTwoBlocks("moving", T0);

        // When 20 minutes pass, the moving one gets an event, and 11 more minutes pass
        driver.advanceWallClockTime(Duration.ofMinutes(20));
        send(new BlockCompleted("e" + seq++, "moving", T0.plus(Duration.ofMinutes(20)), 2, 1,
                "file:///v/moving/clips/block_2.mp4", 4.0));
        assertThat(failuresWritten()).isEmpty();
        driver.advanceWallClockTime(Duration.ofMinutes(11));

        // Then only the stuck video fails, with operation_timeout at the block it was waiting for
        List<VideoFailed> failures = failuresWritten();
        assertThat(failures).extracting(VideoFailed::videoId).containsExactly("stuck");
        assertThat(failures.get(0).errorCode()).isEqualTo("operation_timeout");
        assertThat(failures.get(0).stage()).isEqualTo("block 2");
        // and its view says so in the user's language, as for any failure
        VideoStatus view = latestViews().get("stuck");
        assertThat(view.status()).isEqualTo("failed");
        assertThat(view.error().code()).isEqualTo("operation_timeout");
        assertThat(view.error().stage()).isEqualTo("block 2");
        assertThat(view.error().message()).startsWith("La génération a pris trop de temps");

        // and later checks do not fail it again, while the other one fails once its own 30 minutes are up
        driver.advanceWallClockTime(Duration.ofMinutes(20));
        assertThat(failuresWritten()).extracting(VideoFailed::videoId).containsExactly("moving");
        driver.advanceWallClockTime(Duration.ofHours(2));
        assertThat(failuresWritten()).isEmpty();
    }

    @Test
    void shouldNeverFailAFinishedVideoNorAnyWhenTheCheckIsOff() {
        // Given a completed video
        start(TIMEOUT);
        startedTwoBlocks("done", T0);
        send(new BlockCompleted("e" + seq++, "done", T0, 2, 1, "file:///v/done/clips/block_2.mp4", 4.0));
        send(new AssemblyStarted("e" + seq++, "done", T0));
        send(new VideoCompleted("e" + seq++, "done", T0, "file:///v/done/final.mp4", 8.0));

        // When hours pass
        driver.advanceWallClockTime(Duration.ofHours(3));

        // Then nothing is failed
        assertThat(failuresWritten()).isEmpty();
        assertThat(latestViews().get("done").status()).isEqualTo("completed");
    }

    @Test
    void shouldLeaveStuckVideosAloneWhenTheTimeoutIsZero() {
        // Given the check turned off (REETIK_STALL_TIMEOUT=0) and a video waiting on a block
        start(Duration.ZERO);
        startedTwoBlocks("stuck", T0);

        // When a day passes / Then it is not failed
        driver.advanceWallClockTime(Duration.ofDays(1));
        assertThat(failuresWritten()).isEmpty();
    }

    @Test
    void shouldCheckEveryTenthOfTheTimeoutBetweenOneSecondAndOneMinute() {
        assertThat(VideoStatusProcessor.checkInterval(Duration.ofMinutes(30))).isEqualTo(Duration.ofMinutes(1));
        assertThat(VideoStatusProcessor.checkInterval(Duration.ofSeconds(5))).isEqualTo(Duration.ofSeconds(1));
        assertThat(VideoStatusProcessor.checkInterval(Duration.ofMinutes(5))).isEqualTo(Duration.ofSeconds(30));
    }
}
