package com.reetik.gateway.video;

import com.reetik.contracts.event.VideoEvent;
import com.reetik.contracts.json.Json;
import com.reetik.contracts.json.MalformedRecordException;
import com.reetik.contracts.status.VideoStatus;
import com.reetik.contracts.topic.Topics;
import com.reetik.gateway.replica.ProjectedView;
import com.reetik.gateway.replica.StatusReplica;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;

/**
 * The live path of the progress streams: reads {@code reetik.video-events} ({@code read_committed}, every partition,
 * from the end, no consumer group) and, for each video a stream follows, folds the events onto the projector's latest
 * view ({@link LiveFold}), so a change reaches the screen once the bridge's transaction commits instead of after the
 * projector's as well (docs/architecture.md, "Live progress"). The projector stays the source of truth: its views
 * still reach the streams, the library and every other reader; a live view is one the projector will write with the
 * same version and content (counted {@value #DIVERGED} when it did not).
 *
 * <p>Hand-written on a plain consumer rather than a Spring Kafka listener: it reads every partition from the end on
 * each gateway, commits nothing and keeps per-video state that only this thread touches (follows, projected views
 * and records all pass through it, so no lock is needed).
 */
final class LiveEvents implements AutoCloseable {

    static final String LIVE_VIEWS = "reetik.sse.live.views";
    static final String DIVERGED = "reetik.sse.live.diverged";
    /** Videos whose last event offset is remembered (about 100 bytes each), for folds that start after it. */
    static final int SEEN_VIDEOS = 50_000;

    private static final Logger log = LoggerFactory.getLogger(LiveEvents.class);

    private final String bootstrapServers;
    private final StatusReplica replica;
    private final Sinks.Many<VideoStatus> views = Sinks.many().multicast().directBestEffort();
    private final Queue<Runnable> inbox = new ConcurrentLinkedQueue<>();
    private final Counter liveViews;
    private final java.util.function.Consumer<VideoStatus> delay;
    private final Counter diverged;
    private final Disposable projected;
    private final Thread thread;
    private volatile boolean running = true;
    private volatile KafkaConsumer<String, byte[]> consumer;

    // Owned by the thread.
    private final Map<String, Follow> follows = new HashMap<>();
    /** Each video's last event read, least recently read first; the oldest forgotten past {@value #SEEN_VIDEOS}. */
    private final LinkedHashMap<String, Seen> lastSeen = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Seen> eldest) {
            if (size() <= SEEN_VIDEOS) {
                return false;
            }
            Seen forgotten = eldest.getValue();
            forgottenUpTo[forgotten.partition()] = Math.max(forgottenUpTo[forgotten.partition()], forgotten.offset());
            return true;
        }
    };
    /** The videos followed, for the replica's thread to hand over only their views (kept by this thread). */
    private final java.util.Set<String> followed = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private long[] readFrom;
    private long[] forgottenUpTo;

    private record Seen(int partition, long offset) {
    }

    private static final class Follow {
        int streams;
        LiveFold fold;
    }

    LiveEvents(String bootstrapServers, StatusReplica replica, MeterRegistry registry) {
        this.bootstrapServers = bootstrapServers;
        this.replica = replica;
        this.liveViews = Counter.builder(LIVE_VIEWS)
                .description("Views sent to progress streams from the live path, before the projector's")
                .register(registry);
        this.delay = LiveViews.delay(registry, "live");
        this.diverged = Counter.builder(DIVERGED)
                .description("Projector views that differed from the live path's fold at the same event")
                .register(registry);
        // A view that comes before its follow is taken here is not lost: start() reads the replica's latest.
        this.projected = replica.projectedViews()
                .filter(view -> followed.contains(view.view().videoId()))
                .subscribe(view -> inbox.add(() -> onProjected(view)));
        this.thread = new Thread(this::run, "live-video-events");
        this.thread.setDaemon(true);
        this.thread.start();
    }

    /** The live views of the followed videos, on the live path's thread (hot). */
    Flux<VideoStatus> views() {
        return views.asFlux();
    }

    /** A stream of {@code videoId} opened (each call is matched by one {@link #unfollow}). */
    void follow(String videoId) {
        inbox.add(() -> {
            Follow follow = follows.computeIfAbsent(videoId, id -> new Follow());
            followed.add(videoId);
            if (follow.streams++ == 0 && readFrom != null) {
                start(videoId, follow);
            }
        });
    }

    void unfollow(String videoId) {
        inbox.add(() -> {
            Follow follow = follows.get(videoId);
            if (follow != null && --follow.streams <= 0) {
                follows.remove(videoId);
                followed.remove(videoId);
            }
        });
    }

    /** Videos followed (for tests: none left behind by ended streams). */
    int videosFollowed() {
        return followed.size();
    }

    private void start(String videoId, Follow follow) {
        long[] captureFrom = new long[readFrom.length];
        for (int p = 0; p < readFrom.length; p++) {
            captureFrom[p] = consumer.position(new TopicPartition(Topics.VIDEO_EVENTS.name(), p));
        }
        Seen seen = lastSeen.get(videoId);
        follow.fold = new LiveFold(captureFrom, readFrom, seen == null ? null : seen.offset(), forgottenUpTo);
        replica.inFlight(videoId).ifPresent(this::onProjected);
    }

    private void onProjected(ProjectedView view) {
        Follow follow = follows.get(view.view().videoId());
        if (follow == null || follow.fold == null) {
            return;
        }
        long before = follow.fold.diverged();
        follow.fold.projected(view.view(), view.position()).forEach(this::emit);
        if (follow.fold.diverged() > before) {
            diverged.increment();
            log.warn("Live view of video {} differed from the projector's at {}: the projector's is kept",
                    view.view().videoId(), view.position());
        }
    }

    /** Only ever on this path's thread (records and inbox tasks alike), so the sink needs no lock. */
    private void emit(VideoStatus view) {
        liveViews.increment();
        delay.accept(view);
        views.tryEmitNext(view);
    }

    private void run() {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        // Never skip silently: a fold given events with a gap would show views the projector never makes.
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "none");
        props.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 50);
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, "gateway-live-events");
        try (KafkaConsumer<String, byte[]> kafka = new KafkaConsumer<>(props, new StringDeserializer(),
                new ByteArrayDeserializer())) {
            consumer = kafka;
            if (!assign(kafka)) {
                return;
            }
            while (running) {
                drainInbox();
                try {
                    for (ConsumerRecord<String, byte[]> record : kafka.poll(Duration.ofMillis(100))) {
                        onRecord(record);
                    }
                } catch (org.apache.kafka.clients.consumer.InvalidOffsetException e) {
                    // Fell behind the topic's retention (or it was recreated): start again from its end, every fold
                    // from a new base.
                    log.warn("Live path lost its place in {} ({}); starting again from the end", Topics.VIDEO_EVENTS
                            .name(), e.getMessage());
                    fromTheEnd(kafka, new java.util.ArrayList<>(kafka.assignment()));
                }
            }
        } catch (WakeupException e) {
            // closing
        } catch (RuntimeException e) {
            // The streams keep the projector's views; only the live path stops.
            log.error("The live path of progress streams stopped; views now come from the projector only", e);
        }
    }

    /** Every partition of the events topic from its end; waits for the topic while it does not exist yet. */
    private boolean assign(KafkaConsumer<String, byte[]> kafka) {
        while (running) {
            List<PartitionInfo> partitions;
            try {
                partitions = kafka.partitionsFor(Topics.VIDEO_EVENTS.name(), Duration.ofSeconds(5));
            } catch (org.apache.kafka.common.errors.TimeoutException e) {
                partitions = List.of();
            }
            if (!partitions.isEmpty()) {
                int count = partitions.stream().mapToInt(PartitionInfo::partition).max().orElse(0) + 1;
                List<TopicPartition> all = new java.util.ArrayList<>();
                for (int p = 0; p < count; p++) {
                    all.add(new TopicPartition(Topics.VIDEO_EVENTS.name(), p));
                }
                kafka.assign(all);
                fromTheEnd(kafka, all);
                return true;
            }
            drainInbox();
            try {
                Thread.sleep(1_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return false;
    }

    /** Reads on from the end of every partition, nothing remembered from before, each fold started again. */
    private void fromTheEnd(KafkaConsumer<String, byte[]> kafka, List<TopicPartition> partitions) {
        kafka.seekToEnd(partitions);
        int count = partitions.stream().mapToInt(TopicPartition::partition).max().orElse(0) + 1;
        readFrom = new long[count];
        forgottenUpTo = new long[count];
        for (TopicPartition partition : partitions) {
            readFrom[partition.partition()] = kafka.position(partition);
            forgottenUpTo[partition.partition()] = -1;
        }
        lastSeen.clear();
        follows.forEach((videoId, follow) -> start(videoId, follow));
    }

    private void drainInbox() {
        for (Runnable task = inbox.poll(); task != null; task = inbox.poll()) {
            task.run();
        }
    }

    private void onRecord(ConsumerRecord<String, byte[]> record) {
        String videoId = record.key();
        if (videoId == null || record.partition() >= readFrom.length) {
            return;
        }
        Follow follow = follows.get(videoId);
        if (follow != null && follow.fold != null) {
            try {
                VideoEvent event = Json.read(record.value(), VideoEvent.class);
                follow.fold.event(record.partition(), record.offset(), event).ifPresent(this::emit);
            } catch (MalformedRecordException e) {
                // the projector sends it to the dead letters; nothing to show
            }
        }
        lastSeen.put(videoId, new Seen(record.partition(), record.offset()));
    }

    @Override
    public void close() {
        running = false;
        projected.dispose();
        KafkaConsumer<String, byte[]> kafka = consumer;
        if (kafka != null) {
            kafka.wakeup();
        }
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        views.tryEmitComplete();
    }
}
