package com.reetik.projector;

import static org.assertj.core.api.Assertions.assertThat;

import com.reetik.contracts.deadletter.DeadLetter;
import com.reetik.contracts.event.AssemblyStarted;
import com.reetik.contracts.event.BlockCompleted;
import com.reetik.contracts.event.BlockFailed;
import com.reetik.contracts.event.BlockRetried;
import com.reetik.contracts.event.BlockSubmitted;
import com.reetik.contracts.event.ScriptBlock;
import com.reetik.contracts.event.ScriptGenerated;
import com.reetik.contracts.event.ScriptStarted;
import com.reetik.contracts.event.VideoCancelled;
import com.reetik.contracts.event.VideoCompleted;
import com.reetik.contracts.event.VideoEvent;
import com.reetik.contracts.event.VideoFailed;
import com.reetik.contracts.event.VideoRequested;
import com.reetik.contracts.json.Json;
import com.reetik.contracts.status.VideoRequest;
import com.reetik.contracts.status.VideoStatus;
import com.reetik.contracts.status.VideoSummary;
import com.reetik.contracts.topic.Topics;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StatusProjectorTopologyTest {

    private static final Instant T0 = Instant.parse("2026-02-01T20:36:48Z");

    @TempDir
    Path stateDir;

    private TopologyTestDriver driver;
    private TestInputTopic<String, byte[]> events;
    private TestOutputTopic<String, VideoStatus> statuses;
    private TestInputTopic<String, byte[]> views;
    private TestOutputTopic<String, VideoSummary> summaries;
    private TestOutputTopic<String, DeadLetter> deadLetters;
    private int seq;

    @BeforeEach
    void startDriver() {
        driver = newDriver(stateDir.resolve("a"));
    }

    private TopologyTestDriver newDriver(Path dir) {
        TopologyTestDriver d = new TopologyTestDriver(StatusProjectorTopology.build(),
                StatusProjectorTopology.streamsConfig(new ProjectorSettings("dummy:9092", "projector-test", dir, 1, null)));
        events = d.createInputTopic(Topics.VIDEO_EVENTS.name(), Serdes.String().serializer(),
                Serdes.ByteArray().serializer());
        statuses = d.createOutputTopic(Topics.VIDEO_STATUS.name(), Serdes.String().deserializer(),
                Topics.VIDEO_STATUS.valueSerde().deserializer());
        views = d.createInputTopic(Topics.VIDEO_STATUS.name(), Serdes.String().serializer(),
                Serdes.ByteArray().serializer());
        summaries = d.createOutputTopic(Topics.VIDEO_SUMMARIES.name(), Serdes.String().deserializer(),
                Topics.VIDEO_SUMMARIES.valueSerde().deserializer());
        deadLetters = d.createOutputTopic(Topics.DEAD_LETTERS.name(), Serdes.String().deserializer(),
                Topics.DEAD_LETTERS.valueSerde().deserializer());
        return d;
    }

    @AfterEach
    void closeDriver() {
        driver.close();
    }

    private Instant at(int seconds) {
        return T0.plusSeconds(seconds);
    }

    private void send(VideoEvent event) {
        events.pipeInput(event.videoId(), Json.write(event));
    }

    private List<VideoEvent> happyPath(String videoId, String userId, String language, int blocks, int startSecond) {
        List<VideoEvent> list = new ArrayList<>();
        int t = startSecond;
        list.add(new VideoRequested("e" + seq++, videoId, at(t), userId,
                new VideoRequest("Les volcans d'Islande", blocks * 4, "informative", language, "9:16"), null, at(t)));
        list.add(new ScriptStarted("e" + seq++, videoId, at(++t)));
        List<ScriptBlock> script = IntStream.rangeClosed(1, blocks)
                .mapToObj(i -> new ScriptBlock(i, "prompt " + i, "narration " + i, 4)).toList();
        list.add(new ScriptGenerated("e" + seq++, videoId, at(++t), script, null));
        for (int i = 1; i <= blocks; i++) {
            list.add(new BlockSubmitted("e" + seq++, videoId, at(++t), i, 1, null));
        }
        for (int i = 1; i <= blocks; i++) {
            list.add(new BlockCompleted("e" + seq++, videoId, at(++t), i, 1, "file:///v/" + videoId + "/clips/block_" + i
                    + ".mp4", 4.0));
        }
        list.add(new AssemblyStarted("e" + seq++, videoId, at(++t)));
        list.add(new VideoCompleted("e" + seq++, videoId, at(++t), "file:///v/" + videoId + "/final.mp4", 36.0));
        return list;
    }

    @Test
    void shouldWalkEveryStatusWithFrenchMessagesAndRisingBlockCount() {
        // Given the events of a nine-block French video
        happyPath("volcans_1", "u1", "fr", 9, 0).forEach(this::send);

        // When the projector has read them
        List<VideoStatus> views = statuses.readValuesToList();

        // Then the views walk the statuses in order with the seed's French messages
        assertThat(views).extracting(VideoStatus::status).containsSubsequence("queued", "generating_script",
                "script_generated", "generating_parallel", "ready_for_assembly", "assembling", "completed");
        assertThat(views).extracting(VideoStatus::currentStep).contains("En attente", "Génération du script",
                "Génération script terminée", "Génération vidéos (0/9 blocs)", "Génération vidéos (3/9 blocs)",
                "Génération vidéos (8/9 blocs)", "Préparation assemblage", "Assemblage", "Terminé");
        // and versions rise by one, completed blocks and progress never go back
        for (int i = 1; i < views.size(); i++) {
            assertThat(views.get(i).version()).isEqualTo(views.get(i - 1).version() + 1);
            assertThat(views.get(i).completedBlocks()).isGreaterThanOrEqualTo(views.get(i - 1).completedBlocks());
            assertThat(views.get(i).progress()).isGreaterThanOrEqualTo(views.get(i - 1).progress());
        }
        VideoStatus last = views.get(views.size() - 1);
        assertThat(last.progress()).isEqualTo(100);
        assertThat(last.completedBlocks()).isEqualTo(9);
        assertThat(last.finalUrl()).endsWith("volcans_1/final.mp4");
        assertThat(last.createdAt()).isEqualTo(T0);
        assertThat(last.blocks()).allSatisfy(b -> assertThat(b.state()).isEqualTo("completed"));
    }

    @Test
    void shouldSayInEachViewWhereTheLastEventFoldedIntoItIs() {
        // Given a video's events, with another video's between them (offsets 0, 1, 2, ... of the one input partition)
        List<VideoEvent> mine = happyPath("positions_1", "u1", "fr", 2, 0);
        List<VideoEvent> other = happyPath("positions_2", "u1", "fr", 2, 0);
        for (int i = 0; i < mine.size(); i++) {
            send(mine.get(i));
            send(other.get(i));
        }

        // When the projector has written their views
        List<org.apache.kafka.streams.test.TestRecord<String, VideoStatus>> views = statuses.readRecordsToList().stream()
                .filter(r -> r.key().equals("positions_1")).toList();

        // Then each says the position of the event that made it
        assertThat(views).hasSize(mine.size());
        for (int i = 0; i < views.size(); i++) {
            assertThat(com.reetik.contracts.topic.EventPosition.of(views.get(i).headers()))
                    .contains(new com.reetik.contracts.topic.EventPosition(0, 2L * i));
        }
    }

    @Test
    void shouldSpeakEnglishForAnEnglishVideo() {
        // Given an English video
        happyPath("volcanoes", "u1", "en", 3, 0).forEach(this::send);

        // Then its messages are English
        assertThat(statuses.readValuesToList()).extracting(VideoStatus::currentStep)
                .contains("Queued", "Generating videos (2/3 blocks)", "Done");
    }

    @Test
    void shouldNotCountABlockTwiceNorEmitWhenNothingChanged() {
        // Given a video whose block 1 completed
        List<VideoEvent> path = happyPath("dup", "u1", "fr", 3, 0);
        path.subList(0, 7).forEach(this::send);
        VideoStatus before = statuses.readValuesToList().get(6 - 0);
        assertThat(before.completedBlocks()).isEqualTo(1);

        // When the same completion arrives again (a redelivered event)
        send(new BlockCompleted("again", "dup", at(100), 1, 2, "file:///elsewhere.mp4", 4.0));

        // Then no new view is emitted and the count stays at one
        assertThat(statuses.isEmpty()).isTrue();
    }

    @Test
    void shouldFailWithTheSeedMessageAndStage() {
        // Given a video generating its blocks
        happyPath("fails", "u1", "fr", 3, 0).subList(0, 6).forEach(this::send);

        // When block 2 fails for good
        send(new BlockFailed("f1", "fails", at(50), 2, 3, "usage_guidelines", false, "RAI filtered"));
        send(new VideoFailed("f2", "fails", at(51), "usage_guidelines", "block 2", "RAI filtered"));
        send(new BlockCompleted("f3", "fails", at(52), 3, 1, "file:///c3.mp4", 4.0));

        // Then the video is failed with the French message and the stage, and later completions are kept
        List<VideoStatus> views = statuses.readValuesToList();
        VideoStatus last = views.get(views.size() - 1);
        assertThat(last.status()).isEqualTo("failed");
        assertThat(last.currentStep()).isEqualTo("Erreur");
        assertThat(last.error().code()).isEqualTo("usage_guidelines");
        assertThat(last.error().message()).isEqualTo(
                "Le contenu demandé ne respecte pas les règles de sécurité de Google. Essayez un thème différent.");
        assertThat(last.error().stage()).isEqualTo("block 2");
        assertThat(last.blocks().get(2).state()).isEqualTo("completed");
        assertThat(last.blocks().get(1).state()).isEqualTo("failed");
    }

    @Test
    void shouldReopenAFailedVideoOnlyOnTheUsersRetry() {
        // Given a failed video
        happyPath("retry", "u1", "fr", 2, 0).subList(0, 5).forEach(this::send);
        send(new BlockFailed("f1", "retry", at(50), 2, 3, "default", false, "boom"));
        send(new VideoFailed("f2", "retry", at(51), "default", "block 2", "boom"));
        // When a late automatic retry arrives, nothing reopens
        send(new BlockRetried("f3", "retry", at(52), 1, 2, false));
        List<VideoStatus> views = statuses.readValuesToList();
        assertThat(views.get(views.size() - 1).status()).isEqualTo("failed");

        // When the user retries block 2 and it completes
        send(new BlockRetried("f4", "retry", at(60), 2, 1, true));
        send(new BlockCompleted("f5", "retry", at(61), 1, 2, "file:///c1.mp4", 4.0));
        send(new BlockCompleted("f6", "retry", at(62), 2, 1, "file:///c2.mp4", 4.0));

        // Then the video goes back to generation, without its error, and on to assembly
        views = statuses.readValuesToList();
        assertThat(views).extracting(VideoStatus::status).containsSubsequence("generating_parallel",
                "ready_for_assembly");
        assertThat(views.get(views.size() - 1).error()).isNull();
    }

    @Test
    void shouldIgnoreEverythingAfterCancel() {
        // Given a cancelled video
        happyPath("cancel", "u1", "fr", 2, 0).subList(0, 4).forEach(this::send);
        send(new VideoCancelled("c1", "cancel", at(30)));
        statuses.readValuesToList();

        // When a block completes afterwards
        send(new BlockCompleted("c2", "cancel", at(31), 1, 1, "file:///c1.mp4", 4.0));

        // Then the cancelled view does not change
        assertThat(statuses.isEmpty()).isTrue();
    }

    @Test
    void shouldSendUnreadableRecordsToDeadLettersAndGoOn() {
        // Given a malformed record, then a record of an unknown type, then a key that is not the video id
        events.pipeInput("broken", "{not json".getBytes(StandardCharsets.UTF_8));
        events.pipeInput("odd", "{\"type\":\"Teleported\",\"video_id\":\"odd\"}".getBytes(StandardCharsets.UTF_8));
        events.pipeInput("other", Json.write(new ScriptStarted("x", "mismatch", at(1))));
        // and then a good video
        happyPath("after", "u1", "fr", 2, 10).forEach(this::send);

        // Then the three are dead letters with where they came from and why
        List<DeadLetter> letters = deadLetters.readValuesToList();
        assertThat(letters).hasSize(3);
        assertThat(letters.get(0).sourceTopic()).isEqualTo("reetik.video-events");
        assertThat(letters.get(0).offset()).isEqualTo(0);
        assertThat(letters.get(0).value()).isEqualTo("{not json");
        assertThat(letters.get(0).reason()).contains("not a valid VideoEvent");
        assertThat(letters.get(2).reason()).contains("mismatch");
        // and the good video still completes
        List<VideoStatus> views = statuses.readValuesToList();
        assertThat(views.get(views.size() - 1).status()).isEqualTo("completed");
    }

    @Test
    void shouldSummarizeEachVideoUnderItsUserAndVideoId() {
        // Given two videos of u1 and one of u2
        happyPath("old", "u1", "fr", 1, 0).forEach(this::send);
        happyPath("new", "u1", "fr", 1, 100).forEach(this::send);
        happyPath("theirs", "u2", "fr", 1, 200).forEach(this::send);

        // Then each video has its own summary keyed user_id/video_id, at its latest view: completed
        Map<String, VideoSummary> latest = summaries.readKeyValuesToMap();
        assertThat(latest).containsOnlyKeys("u1/old", "u1/new", "u2/theirs");
        assertThat(latest.values()).extracting(VideoSummary::status).containsOnly("completed");
        assertThat(latest.get("u1/new").theme()).isEqualTo("Les volcans d'Islande");
        assertThat(latest.get("u1/new").createdAt()).isEqualTo(at(100));
        // and its version is the view's
        List<VideoStatus> all = statuses.readValuesToList();
        assertThat(latest.get("u2/theirs").version()).isEqualTo(all.get(all.size() - 1).version());
    }

    @Test
    void shouldRemoveADeletedVideosViewAndSummaryAndIgnoreItsLateEvents() {
        // Given two completed videos of one user
        happyPath("kept", "u1", "fr", 1, 0).forEach(this::send);
        happyPath("gone", "u1", "fr", 2, 100).forEach(this::send);
        statuses.readRecordsToList();
        summaries.readRecordsToList();

        // When one is deleted
        send(new com.reetik.contracts.event.VideoDeleted("d1", "gone", at(200), "u1", "delete-1"));

        // Then its view is a tombstone on the compacted views topic, naming its owner in a header
        List<org.apache.kafka.streams.test.TestRecord<String, VideoStatus>> views = statuses.readRecordsToList();
        assertThat(views).hasSize(1);
        assertThat(views.get(0).key()).isEqualTo("gone");
        assertThat(views.get(0).value()).isNull();
        assertThat(new String(views.get(0).headers().lastHeader("reetik-user-id").value(), StandardCharsets.UTF_8))
                .isEqualTo("u1");
        // and its summary a tombstone under its user, while the other video's summary is untouched
        List<org.apache.kafka.streams.test.TestRecord<String, VideoSummary>> gone = summaries.readRecordsToList();
        assertThat(gone).extracting(org.apache.kafka.streams.test.TestRecord::key).containsExactly("u1/gone");
        assertThat(gone.get(0).value()).isNull();

        // And an event of it that comes late (a block that was still running) makes no view again
        send(new BlockCompleted("late", "gone", at(201), 2, 1, "file:///v/gone/clips/block_2.mp4", 4.0));
        send(new VideoCompleted("late-2", "gone", at(202), "file:///v/gone/final.mp4", 8.0));
        assertThat(statuses.isEmpty()).isTrue();
        assertThat(summaries.isEmpty()).isTrue();
    }

    @Test
    void shouldSendUnreadableViewsToDeadLettersAndGoOn() {
        // Given views the projector cannot summarize: not JSON, no user, a key that is not the video id
        views.pipeInput("broken", "{not json".getBytes(StandardCharsets.UTF_8));
        VideoStatus nobodys = new VideoStatus("nobodys", null, 1, "queued", "En attente", 0, 0, 0, at(0), at(0),
                null, null, null, List.of(), null, null, null);
        views.pipeInput("nobodys", Json.write(nobodys));
        views.pipeInput("elsewhere", Json.write(nobodys));
        // and a tombstone, which names no user
        views.pipeInput("gone", (byte[]) null);
        // and then a good video
        happyPath("after", "u1", "fr", 1, 10).forEach(this::send);

        // Then the three are dead letters naming the views topic, and the good video is summarized
        List<DeadLetter> letters = deadLetters.readValuesToList();
        assertThat(letters).extracting(DeadLetter::sourceTopic).containsOnly("reetik.video-status");
        assertThat(letters).extracting(DeadLetter::key).containsExactly("broken", "nobodys", "elsewhere");
        assertThat(letters.get(1).reason()).contains("no user_id");
        assertThat(summaries.readKeyValuesToMap().get("u1/after").status()).isEqualTo("completed");
    }

    @Test
    void shouldKeepEveryRecordSmallWhateverTheNumberOfAUsersVideos() {
        // Given a user who creates and cancels 250 videos whose themes are 480 emoji (the attack on `serve`:
        // one record per user passed Kafka's 1 MiB limit, about 500 such videos, and failed the stream thread for
        // everyone; a record that grew with the user's videos would pass the 4 KB checked below by the third, so
        // 250 prove as much as the 1,000 this test once made, in a quarter of the time)
        String theme = "\uD83C\uDF0B".repeat(480);
        int largest = 0;
        for (int i = 0; i < 250; i++) {
            String id = "burst_" + i;
            send(new VideoRequested("b" + i, id, at(i), "heavy",
                    new VideoRequest(theme, 36, "informative", "fr", "9:16"), null, at(i)));
            send(new VideoCancelled("c" + i, id, at(i)));
            if (i % 50 == 49) {
                // Then no record on any topic the projector writes (outputs, changelogs, repartitions) grows with
                // the number of the user's videos: the largest stays near one video's view, a few KB
                largest = Math.max(largest, largestProducedRecord());
                assertThat(largest).as("largest record after %d videos", i + 1).isLessThan(4 * 1024);
            }
        }
        assertThat(largest).as("a record holds a 480-emoji theme").isGreaterThan(480 * 4);

        // And another user's video still gets all its views, to completed
        happyPath("other_users", "light", "fr", 3, 10_000).forEach(this::send);
        List<VideoStatus> views = statuses.readValuesToList().stream()
                .filter(v -> v.videoId().equals("other_users")).toList();
        assertThat(views).isNotEmpty();
        assertThat(views.get(views.size() - 1).status()).isEqualTo("completed");
        assertThat(largestProducedRecord()).isLessThan(4 * 1024);
    }

    /** The size (key and value) of the largest record written to any topic since the last call; reads them all. */
    private int largestProducedRecord() {
        int largest = 0;
        for (String topic : driver.producedTopicNames()) {
            TestOutputTopic<byte[], byte[]> raw = driver.createOutputTopic(topic, Serdes.ByteArray().deserializer(),
                    Serdes.ByteArray().deserializer());
            for (TestRecord<byte[], byte[]> record : raw.readRecordsToList()) {
                int size = (record.key() == null ? 0 : record.key().length)
                        + (record.value() == null ? 0 : record.value().length);
                largest = Math.max(largest, size);
            }
        }
        return largest;
    }

    @Test
    void shouldRebuildIdenticalViewsFromTheEventLog() {
        // Given an event log
        List<VideoEvent> log = happyPath("rebuild", "u1", "fr", 4, 0);
        log.forEach(this::send);
        List<VideoStatus> first = statuses.readValuesToList();

        // When a fresh projector reads the same log
        driver.close();
        driver = newDriver(stateDir.resolve("b"));
        log.forEach(this::send);

        // Then it produces the same views
        assertThat(statuses.readValuesToList()).isEqualTo(first);
    }
}
