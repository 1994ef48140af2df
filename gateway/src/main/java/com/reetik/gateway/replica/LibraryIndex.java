package com.reetik.gateway.replica;

import com.reetik.contracts.json.Json;
import com.reetik.contracts.status.VideoSummary;
import java.nio.charset.StandardCharsets;
import com.reetik.contracts.status.Status;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/**
 * Every user's library in one key-value store of the replica (RocksDB, on disk), written from
 * {@code reetik.video-summaries} and read by page. Keys, {@code {u}} being the user id with {@code %} and
 * {@code /} escaped and {@code {t}} the creation time as 21 digits (12 of epoch seconds, 9 of nanoseconds;
 * none: zeros), so that keys sort by creation time:
 * <pre>
 *   p/{u}/{t}/{video_id}  → the summary (JSON)                    one per video, in library order
 *   v/{u}/{video_id}      → its p/ key                            where a video is (for updates and tombstones)
 *   i/{u}/{key}           → the video id of an Idempotency-Key
 *   t/{u}                 → the number of the user's videos
 *   a/{u}                 → how many of them are not finished (the quota of videos in flight)
 *   d/{u}/{yyyy-mm-dd}    → the seconds asked for that UTC day (the daily quota; see {@link Library#secondsOn})
 *   c{n}/{u}/{first n digits of t} → the user's videos created in that time bucket, for n = 4, 6, 8, 10, 12
 * </pre>
 * The bucket counts make a page cost a bounded number of reads however deep it is: to skip {@code offset}
 * videos the reader walks the buckets newest first, subtracting their counts and going down a level into the
 * bucket that holds the offset (at most 100 buckets a level, usually a few), then reads the summaries of one
 * second on from there. Reversed iteration gives {@link VideoSummary#NEWEST_FIRST}: the latest time, then the
 * greatest video id. A change (summary, counts, locator) is one atomic {@code putAll}; a reader running beside
 * the writer may see a page of the moment before or after it.
 */
final class LibraryIndex {

    /** The lengths of the time prefixes counted: buckets of 10^8 s (3 years), 10^6 s, 10^4 s, 100 s, 1 s. */
    static final int[] LEVELS = {4, 6, 8, 10, 12};
    private static final int TIME_DIGITS = 21;
    private static final long MAX_SECONDS = 999_999_999_999L;

    private LibraryIndex() {
    }

    // ----- writing: the replica's global thread only -------------------------------------------------------

    /**
     * Puts a video's summary in its user's library, unless the library holds the same or a newer version.
     * @return whether it was put
     */
    static boolean put(KeyValueStore<String, byte[]> store, String userId, VideoSummary summary) {
        String user = escape(userId);
        String locator = "v/" + user + "/" + summary.videoId();
        Batch batch = new Batch(store);
        String oldPosition = text(store.get(locator));
        VideoSummary previous = null;
        if (oldPosition != null) {
            byte[] old = store.get(oldPosition);
            if (old != null) {
                previous = Json.read(old, VideoSummary.class);
                if (previous.version() >= summary.version()) {
                    return false;
                }
                batch.removeEntry(user, oldPosition, previous);
            }
        }
        batch.add(activeKey(user), (unfinished(summary) ? 1 : 0) - (previous != null && unfinished(previous) ? 1 : 0));
        if (previous == null) {
            batch.add(dayKey(user, summary.createdAt()), seconds(summary));
        } else if (Status.FAILED.wireName().equals(previous.status()) && unfinished(summary)) {
            batch.add(dayKey(user, summary.updatedAt()),
                    Library.retriedSeconds(summary.targetDuration(), summary.totalBlocks(), summary.completedBlocks()));
        }
        String time = time(summary.createdAt());
        String position = "p/" + user + "/" + time + "/" + summary.videoId();
        batch.put(position, Json.write(summary));
        batch.put(locator, position.getBytes(StandardCharsets.UTF_8));
        if (summary.idempotencyKey() != null) {
            batch.put(idempotencyKey(user, summary.idempotencyKey()), bytes(summary.videoId()));
        }
        batch.count(user, time, 1);
        batch.commit();
        return true;
    }

    /** Takes a video out of its user's library (a tombstone); nothing when it is not there. */
    static void remove(KeyValueStore<String, byte[]> store, String userId, String videoId) {
        String user = escape(userId);
        String locator = "v/" + user + "/" + videoId;
        String position = text(store.get(locator));
        if (position == null) {
            return;
        }
        Batch batch = new Batch(store);
        byte[] old = store.get(position);
        if (old != null) {
            VideoSummary previous = Json.read(old, VideoSummary.class);
            batch.removeEntry(user, position, previous);
            batch.add(activeKey(user), unfinished(previous) ? -1 : 0);
        }
        batch.delete(locator);
        batch.commit();
    }

    /** The writes of one change, applied together; counts are read once and written with their sum. */
    private static final class Batch {
        private final KeyValueStore<String, byte[]> store;
        private final Map<String, byte[]> writes = new LinkedHashMap<>();
        private final Map<String, Long> counts = new HashMap<>();

        Batch(KeyValueStore<String, byte[]> store) {
            this.store = store;
        }

        void put(String key, byte[] value) {
            writes.put(key, value);
        }

        void delete(String key) {
            writes.put(key, null);
        }

        void removeEntry(String user, String position, VideoSummary summary) {
            delete(position);
            if (summary.idempotencyKey() != null) {
                delete(idempotencyKey(user, summary.idempotencyKey()));
            }
            int timeStart = ("p/" + user + "/").length();
            count(user, position.substring(timeStart, timeStart + TIME_DIGITS), -1);
        }

        void add(String key, long delta) {
            counts.merge(key, delta, Long::sum);
        }

        void count(String user, String time, long delta) {
            counts.merge(totalKey(user), delta, Long::sum);
            for (int level : LEVELS) {
                counts.merge(bucketKey(level, user, time.substring(0, level)), delta, Long::sum);
            }
        }

        void commit() {
            counts.forEach((key, delta) -> {
                if (delta != 0) {
                    long count = number(store.get(key)) + delta;
                    writes.put(key, count > 0 ? bytes(Long.toString(count)) : null);
                }
            });
            List<KeyValue<String, byte[]>> entries = new ArrayList<>(writes.size());
            writes.forEach((key, value) -> entries.add(KeyValue.pair(key, value)));
            store.putAll(entries);
        }
    }

    // ----- reading: any thread ---------------------------------------------------------------------------------

    /** {@code userId}'s library in {@code store}. */
    static Library of(ReadOnlyKeyValueStore<String, byte[]> store, String userId) {
        String user = escape(userId);
        return new Library() {
            @Override
            public long total() {
                return number(store.get(totalKey(user)));
            }

            @Override
            public List<VideoSummary> page(long offset, int limit) {
                return LibraryIndex.page(store, user, offset, limit);
            }

            @Override
            public boolean contains(String videoId) {
                return store.get("v/" + user + "/" + videoId) != null;
            }

            @Override
            public Optional<String> videoIdOf(String key) {
                return Optional.ofNullable(text(store.get(idempotencyKey(user, key))));
            }

            @Override
            public long activeVideos() {
                return number(store.get(activeKey(user)));
            }

            @Override
            public long secondsOn(LocalDate day) {
                return number(store.get("d/" + user + "/" + day));
            }
        };
    }

    private static List<VideoSummary> page(ReadOnlyKeyValueStore<String, byte[]> store, String user, long offset,
                                           int limit) {
        if (limit <= 0 || offset < 0) {
            return List.of();
        }
        // Down the bucket levels to the one-second bucket holding the offset-th video, newest first
        String bucket = "";
        long skip = offset;
        for (int level : LEVELS) {
            String pad = "0".repeat(level - bucket.length());
            String chosen = null;
            try (KeyValueIterator<String, byte[]> buckets = store.reverseRange(bucketKey(level, user, bucket + pad),
                    bucketKey(level, user, bucket + pad.replace('0', '9')))) {
                while (chosen == null && buckets.hasNext()) {
                    KeyValue<String, byte[]> counted = buckets.next();
                    long count = number(counted.value);
                    if (skip < count) {
                        chosen = counted.key.substring(counted.key.length() - level);
                    } else {
                        skip -= count;
                    }
                }
            }
            if (chosen == null) {
                return List.of();
            }
            bucket = chosen;
        }
        // Then the summaries from the newest of that second on, past the `skip` newer ones in it
        List<VideoSummary> page = new ArrayList<>(limit);
        try (KeyValueIterator<String, byte[]> entries = store.reverseRange("p/" + user + "/",
                "p/" + user + "/" + bucket + ":")) {
            while (page.size() < limit && entries.hasNext()) {
                KeyValue<String, byte[]> entry = entries.next();
                if (skip > 0) {
                    skip--;
                } else {
                    page.add(Json.read(entry.value, VideoSummary.class));
                }
            }
        }
        return page;
    }

    // ----- keys ---------------------------------------------------------------------------------------------

    private static String activeKey(String user) {
        return "a/" + user;
    }

    private static String dayKey(String user, Instant at) {
        return "d/" + user + "/" + (at == null ? LocalDate.EPOCH : LocalDate.ofInstant(at, ZoneOffset.UTC));
    }

    /** Not completed, failed or cancelled: a video that still costs (or will). */
    static boolean unfinished(VideoSummary summary) {
        return Status.fromWire(summary.status()).map(status -> !status.terminal()).orElse(false);
    }

    /** The seconds a video asked for (0 for a summary written before target_duration existed). */
    private static long seconds(VideoSummary summary) {
        return summary.targetDuration() == null ? 0 : summary.targetDuration();
    }

    private static String totalKey(String user) {
        return "t/" + user;
    }

    private static String bucketKey(int level, String user, String digits) {
        return "c" + level + "/" + user + "/" + digits;
    }

    private static String idempotencyKey(String user, String key) {
        return "i/" + user + "/" + key;
    }

    /** A user id as one key segment: no {@code /}, so one user's keys are never a prefix of another's. */
    static String escape(String userId) {
        return userId.replace("%", "%25").replace("/", "%2F");
    }

    /** The creation time as 21 digits that sort like the time; none (or before 1970) sorts first. */
    static String time(Instant createdAt) {
        if (createdAt == null) {
            return "0".repeat(TIME_DIGITS);
        }
        long seconds = Math.max(0, Math.min(MAX_SECONDS, createdAt.getEpochSecond()));
        return String.format("%012d%09d", seconds, seconds == createdAt.getEpochSecond() ? createdAt.getNano() : 0);
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static String text(byte[] bytes) {
        return bytes == null ? null : new String(bytes, StandardCharsets.UTF_8);
    }

    private static long number(byte[] bytes) {
        return bytes == null ? 0 : Long.parseLong(text(bytes));
    }
}
