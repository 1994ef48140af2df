package com.reetik.projector;

import static org.assertj.core.api.Assertions.assertThat;

import com.reetik.contracts.event.BlockCompleted;
import com.reetik.contracts.event.BlockFailed;
import com.reetik.contracts.event.BlockSubmitted;
import com.reetik.contracts.event.ScriptBlock;
import com.reetik.contracts.event.ScriptGenerated;
import com.reetik.contracts.event.ScriptStarted;
import com.reetik.contracts.event.VideoEvent;
import com.reetik.contracts.event.VideoFailed;
import com.reetik.contracts.event.VideoRequested;
import com.reetik.contracts.json.Json;
import com.reetik.contracts.status.VideoRequest;
import com.reetik.contracts.topic.Topics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The projector counts each status a view enters ({@code reetik.videos.transitions}), once per change. */
class VideoTransitionsMetricsTest {

    private static final Instant T0 = Instant.parse("2026-02-01T20:36:48Z");
    private static final String VIDEO = "volcans_20260201_203648_abcdef";

    @TempDir
    Path stateDir;

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private TopologyTestDriver driver;
    private TestInputTopic<String, byte[]> events;
    private int seq;

    @BeforeEach
    void startDriver() {
        driver = new TopologyTestDriver(StatusProjectorTopology.build(registry),
                StatusProjectorTopology.streamsConfig(new ProjectorSettings("dummy:9092", "metrics-test", stateDir, 1,
                        null)));
        events = driver.createInputTopic(Topics.VIDEO_EVENTS.name(), Serdes.String().serializer(),
                Serdes.ByteArray().serializer());
    }

    @AfterEach
    void closeDriver() {
        driver.close();
    }

    private void send(VideoEvent event) {
        events.pipeInput(event.videoId(), Json.write(event));
    }

    private String id() {
        return "e" + seq++;
    }

    /** Every status counted so far, with its count. */
    private Map<String, Double> transitions() {
        Map<String, Double> counts = new TreeMap<>();
        for (Counter counter : registry.find(VideoStatusProcessor.TRANSITIONS).counters()) {
            counts.put(counter.getId().getTag("status"), counter.count());
        }
        return counts;
    }

    @Test
    void shouldCountEachStatusEnteredOnceAndNotTheEventsThatKeepTheStatus() {
        // Given a two-block video that is requested, scripted, renders a block, then fails on the other
        send(new VideoRequested(id(), VIDEO, T0, "u1", new VideoRequest("Les volcans d'Islande", 8, "informative",
                "fr", "9:16"), null, T0));
        send(new ScriptStarted(id(), VIDEO, T0.plusSeconds(1)));
        send(new ScriptGenerated(id(), VIDEO, T0.plusSeconds(2), List.of(new ScriptBlock(1, "p1", "n1", 4),
                new ScriptBlock(2, "p2", "n2", 4)), null));
        send(new BlockSubmitted(id(), VIDEO, T0.plusSeconds(3), 1, 1, null));
        send(new BlockSubmitted(id(), VIDEO, T0.plusSeconds(3), 2, 1, null));
        send(new BlockCompleted(id(), VIDEO, T0.plusSeconds(4), 1, 1, "file:///v/block_1.mp4", 4.0));
        send(new BlockFailed(id(), VIDEO, T0.plusSeconds(5), 2, 1, "usage_guidelines", false, "filtered"));
        send(new VideoFailed(id(), VIDEO, T0.plusSeconds(5), "usage_guidelines", "block 2", "filtered"));

        // Then each status entered is counted once; block events inside generating_parallel add nothing
        assertThat(transitions()).containsExactlyInAnyOrderEntriesOf(Map.of(
                "queued", 1.0,
                "generating_script", 1.0,
                "script_generated", 1.0,
                "generating_parallel", 1.0,
                "failed", 1.0));

        // And a repeated event (a bridge that wrote it again after a crash) changes nothing, so counts nothing
        send(new VideoFailed(id(), VIDEO, T0.plusSeconds(6), "usage_guidelines", "block 2", "filtered"));
        assertThat(transitions()).containsEntry("failed", 1.0).hasSize(5);
    }

    @Test
    void shouldCountNothingForAnUnreadableRecordOrAnUnknownVideo() {
        // Given a record that is not JSON, and an event of a video never requested
        events.pipeInput(VIDEO, "not json".getBytes(StandardCharsets.UTF_8));
        send(new ScriptStarted(id(), "unknown_20260201_203648_abcdef", T0));

        // Then no transition is counted
        assertThat(transitions()).isEmpty();
    }
}
