package com.reetik.bridge.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import com.reetik.bridge.ledger.VideoLedger.Stage;
import com.reetik.contracts.event.VideoEvent;
import com.reetik.contracts.json.Json;
import com.reetik.contracts.topic.Topics;
import java.nio.file.Path;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The ledger's topology on the real serdes and config: events in, one ledger per video in the global store. */
class BridgeLedgerTopologyTest {

    @TempDir
    Path state;

    @Test
    void shouldFoldEachVideosEventsIntoItsLedgerAndLeaveUnreadableRecordsOut() {
        try (TopologyTestDriver driver = new TopologyTestDriver(BridgeLedger.topology(),
                BridgeLedger.config("unused:9092", "bridge-ledger-test", state))) {
            TestInputTopic<String, byte[]> events = driver.createInputTopic(Topics.VIDEO_EVENTS.name(),
                    new StringSerializer(), new ByteArraySerializer());
            // Given a video that completed, and records that cannot be read or belong to no known video
            events.pipeInput(VideoHistory.VIDEO, "not json".getBytes());
            for (VideoEvent event : VideoHistory.completed().events()) {
                events.pipeInput(event.videoId(), Json.write(event));
            }
            events.pipeInput("other_video", Json.write(VideoHistory.completed().events().get(2)));

            // Then the store holds the video's ledger, as folded in memory, and nothing for the rest
            KeyValueStore<String, VideoLedger> store = driver.getKeyValueStore(BridgeLedger.STORE);
            VideoLedger ledger = store.get(VideoHistory.VIDEO);
            assertThat(ledger).isEqualTo(VideoHistory.completed().ledger());
            assertThat(ledger.stage()).isEqualTo(Stage.COMPLETED);
            assertThat(ledger.run()).isEqualTo(VideoHistory.CREATE);
            assertThat(ledger.blocks()).allMatch(VideoLedger.BlockLedger::completed).hasSize(2);
            assertThat(store.get("other_video")).isNull();
        }
    }
}
