package com.reetik.gateway.replica;

import static org.assertj.core.api.Assertions.assertThat;

import com.reetik.contracts.status.VideoSummary;
import com.reetik.contracts.topic.Topics;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The replica's library index, fed through the replica's own topology (TopologyTestDriver, real serdes) from
 * {@code reetik.video-summaries}, read by page through a store that counts every entry it hands out: a page
 * reads a bounded number of entries however many videos the user has, and however deep the page.
 */
class LibraryIndexTest {

    private static final Instant T0 = Instant.parse("2026-02-01T20:36:48Z");
    private static final String LONG_THEME = "\uD83C\uDF0B".repeat(480);

    @TempDir
    Path stateDir;

    private TopologyTestDriver driver;
    private TestInputTopic<String, VideoSummary> summaries;
    private KeyValueStore<String, byte[]> kv;
    private CountingStore store;

    @BeforeEach
    void startDriver() {
        driver = new TopologyTestDriver(StatusReplica.topology((key, view, headers) -> { }),
                StatusReplica.config(new ReplicaSettings("dummy:9092", "library-index-test", stateDir)));
        summaries = driver.createInputTopic(Topics.VIDEO_SUMMARIES.name(), Serdes.String().serializer(),
                Topics.VIDEO_SUMMARIES.valueSerde().serializer());
        kv = driver.getKeyValueStore(StatusReplica.LIBRARY_STORE);
        store = new CountingStore(kv);
    }

    @AfterEach
    void closeDriver() {
        driver.close();
    }

    @Test
    void shouldPageFiveThousandVideosNewestFirstReadingABoundedNumberOfEntriesPerPage() {
        // Given a user with 5,000 videos (480-emoji themes) arriving in no particular order, as a restore reads
        // partitions one after the other; some created in the same second, one with no creation time
        List<VideoSummary> videos = new ArrayList<>();
        for (int i = 0; i < 5_000; i++) {
            Instant created = i == 4_321 ? null : T0.plusSeconds(37L * (i - i % 7)).plusMillis(i % 3);
            videos.add(summary("video_" + i, created, 1, null));
        }
        List<VideoSummary> shuffled = new ArrayList<>(videos);
        Collections.shuffle(shuffled, new Random(42));
        // (straight into the store: the driver would flush RocksDB after each record piped, 20 s for these;
        // the other tests pipe theirs through the updater)
        shuffled.forEach(v -> LibraryIndex.put(kv, "heavy", v));
        // and users whose ids look like a prefix or an escape of theirs
        put("heav", summary("other_1", T0, 1, null));
        put("heavy/x", summary("other_2", T0, 1, null));
        put("heavy%2Fx", summary("other_3", T0, 1, null));

        // When every page of 20 is read, and pages of other sizes
        Library library = LibraryIndex.of(store, "heavy");
        List<VideoSummary> expected = videos.stream().sorted(VideoSummary.NEWEST_FIRST).toList();
        assertThat(library.total()).isEqualTo(5_000);
        int mostReads = 0;
        List<VideoSummary> paged = new ArrayList<>();
        for (int page = 0; page * 20 < 5_000; page++) {
            store.reads.set(0);
            List<VideoSummary> read = library.page(page * 20L, 20);
            mostReads = Math.max(mostReads, store.reads.get());
            paged.addAll(read);
        }

        // Then the pages are the library newest first (then by video id), each video once
        assertThat(paged).extracting(VideoSummary::videoId)
                .containsExactlyElementsOf(expected.stream().map(VideoSummary::videoId).toList());
        assertThat(paged.get(paged.size() - 1).createdAt()).isNull();
        for (int size : List.of(1, 7, 100)) {
            for (long offset : List.of(0L, 1L, 2_499L, 4_900L, 4_999L)) {
                assertThat(library.page(offset, size)).isEqualTo(
                        expected.subList((int) offset, (int) Math.min(5_000, offset + size)));
            }
        }
        assertThat(library.page(5_000, 20)).isEmpty();
        // and a page, however deep, read a few hundred entries at most (bucket counts and the page), not the
        // thousands of summaries before it
        assertThat(mostReads).isLessThan(300);
        store.reads.set(0);
        assertThat(library.page(4_980, 20)).hasSize(20);
        assertThat(store.reads.get()).isLessThan(300);
        // and the other users' libraries are their own
        assertThat(LibraryIndex.of(store, "heav").page(0, 10)).extracting(VideoSummary::videoId)
                .containsExactly("other_1");
        assertThat(LibraryIndex.of(store, "heavy/x").page(0, 10)).extracting(VideoSummary::videoId)
                .containsExactly("other_2");
        assertThat(LibraryIndex.of(store, "heavy%2Fx").total()).isEqualTo(1);
    }

    @Test
    void shouldReplaceASummaryInPlaceAndNeverGoBack() {
        // Given a video at version 3, between an older and a newer one
        put("u1", summary("older", T0, 1, null));
        put("u1", summary("middle", T0.plusSeconds(10), 3, "key-1"));
        put("u1", summary("newer", T0.plusSeconds(20), 1, null));

        // When version 4 arrives, then a late version 2
        put("u1", withStatus(summary("middle", T0.plusSeconds(10), 4, "key-1"), "completed"));
        put("u1", withStatus(summary("middle", T0.plusSeconds(10), 2, "key-1"), "generating_script"));

        // Then it is version 4, in the same place, counted once
        Library library = LibraryIndex.of(store, "u1");
        assertThat(library.total()).isEqualTo(3);
        List<VideoSummary> page = library.page(0, 10);
        assertThat(page).extracting(VideoSummary::videoId).containsExactly("newer", "middle", "older");
        assertThat(page.get(1).version()).isEqualTo(4);
        assertThat(page.get(1).status()).isEqualTo("completed");
        assertThat(library.videoIdOf("key-1")).contains("middle");
    }

    @Test
    void shouldTakeAVideoOutOnATombstone() {
        // Given two videos, one with an idempotency key
        put("u1", summary("kept", T0, 1, null));
        put("u1", summary("deleted", T0.plusSeconds(1), 1, "key-1"));

        // When the second is tombstoned (and an unknown one too)
        summaries.pipeInput(VideoSummary.key("u1", "deleted"), null);
        summaries.pipeInput(VideoSummary.key("u1", "never_there"), null);

        // Then the library holds only the first, and forgets the key
        Library library = LibraryIndex.of(store, "u1");
        assertThat(library.total()).isEqualTo(1);
        assertThat(library.page(0, 10)).extracting(VideoSummary::videoId).containsExactly("kept");
        assertThat(library.contains("deleted")).isFalse();
        assertThat(library.contains("kept")).isTrue();
        assertThat(library.videoIdOf("key-1")).isEmpty();
        // and the video can come back
        put("u1", summary("deleted", T0.plusSeconds(1), 1, "key-1"));
        assertThat(library.page(0, 10)).extracting(VideoSummary::videoId).containsExactly("deleted", "kept");
    }

    @Test
    void shouldIgnoreASummaryUnderAnotherVideosKey() {
        // Given a summary whose key names another video, and keys that are not user_id/video_id
        summaries.pipeInput(VideoSummary.key("u1", "one"), summary("two", T0, 1, null));
        summaries.pipeInput("no-slash", summary("no-slash", T0, 1, null));
        summaries.pipeInput("u1/", summary("x", T0, 1, null));

        // Then nothing is listed
        assertThat(LibraryIndex.of(store, "u1").total()).isZero();
        assertThat(LibraryIndex.of(store, "u1").page(0, 10)).isEmpty();
    }

    @Test
    void shouldAgreeWithASortedListAfterRandomChanges() {
        // Given random puts, newer and stale versions and tombstones over three users, at close times
        Random random = new Random(7);
        Map<String, Map<String, VideoSummary>> model = new HashMap<>();
        for (int step = 0; step < 1_500; step++) {
            String user = "u" + random.nextInt(3);
            String id = "v" + random.nextInt(300);
            Map<String, VideoSummary> videos = model.computeIfAbsent(user, u -> new HashMap<>());
            VideoSummary current = videos.get(id);
            if (current != null && random.nextInt(5) == 0) {
                summaries.pipeInput(VideoSummary.key(user, id), null);
                videos.remove(id);
            } else {
                long version = current == null ? 1 : current.version() + random.nextInt(3) - 1;
                Instant created = current != null ? current.createdAt()
                        : T0.plusSeconds(random.nextInt(400) * (random.nextBoolean() ? 1 : 10_000L));
                VideoSummary next = summary(id, created, version, null);
                put(user, next);
                if (current == null || version > current.version()) {
                    videos.put(id, next);
                }
            }
        }

        // Then every page of every user is the model's, newest first
        model.forEach((user, videos) -> {
            List<VideoSummary> expected = videos.values().stream().sorted(VideoSummary.NEWEST_FIRST).toList();
            Library library = LibraryIndex.of(store, user);
            assertThat(library.total()).as(user).isEqualTo(expected.size());
            for (int size : List.of(1, 3, 10, 50)) {
                List<VideoSummary> paged = new ArrayList<>();
                for (long offset = 0; offset < expected.size(); offset += size) {
                    paged.addAll(library.page(offset, size));
                }
                assertThat(paged).as("%s by %d", user, size).isEqualTo(expected);
            }
        });
    }

    private void put(String user, VideoSummary summary) {
        summaries.pipeInput(VideoSummary.key(user, summary.videoId()), summary);
    }

    private static VideoSummary summary(String id, Instant createdAt, long version, String idempotencyKey) {
        return new VideoSummary(id, LONG_THEME, "cancelled", "Annulé", 0, 0, 0, createdAt, createdAt, null, null,
                idempotencyKey, version, 8, "fr");
    }

    private static VideoSummary withStatus(VideoSummary s, String status) {
        return new VideoSummary(s.videoId(), s.theme(), status, s.currentStep(), s.progress(), s.totalBlocks(),
                s.completedBlocks(), s.createdAt(), s.updatedAt(), s.finalUrl(), s.durationS(), s.idempotencyKey(),
                s.version(), s.targetDuration(), s.language());
    }

    /** The replica's store, counting each entry it hands out (a get, or one step of an iterator). */
    private static final class CountingStore implements ReadOnlyKeyValueStore<String, byte[]> {
        private final ReadOnlyKeyValueStore<String, byte[]> store;
        final AtomicInteger reads = new AtomicInteger();

        CountingStore(ReadOnlyKeyValueStore<String, byte[]> store) {
            this.store = store;
        }

        @Override
        public byte[] get(String key) {
            reads.incrementAndGet();
            return store.get(key);
        }

        @Override
        public KeyValueIterator<String, byte[]> range(String from, String to) {
            return counted(store.range(from, to));
        }

        @Override
        public KeyValueIterator<String, byte[]> reverseRange(String from, String to) {
            return counted(store.reverseRange(from, to));
        }

        @Override
        public KeyValueIterator<String, byte[]> all() {
            return counted(store.all());
        }

        @Override
        public KeyValueIterator<String, byte[]> reverseAll() {
            return counted(store.reverseAll());
        }

        @Override
        public long approximateNumEntries() {
            return store.approximateNumEntries();
        }

        private KeyValueIterator<String, byte[]> counted(KeyValueIterator<String, byte[]> iterator) {
            return new KeyValueIterator<>() {
                @Override
                public boolean hasNext() {
                    return iterator.hasNext();
                }

                @Override
                public KeyValue<String, byte[]> next() {
                    reads.incrementAndGet();
                    return iterator.next();
                }

                @Override
                public void close() {
                    iterator.close();
                }

                @Override
                public String peekNextKey() {
                    return iterator.peekNextKey();
                }
            };
        }
    }
}
