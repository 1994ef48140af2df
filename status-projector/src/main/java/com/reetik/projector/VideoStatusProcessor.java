package com.reetik.projector;

import com.reetik.contracts.event.VideoEvent;
import com.reetik.contracts.event.VideoFailed;
import com.reetik.contracts.status.BlockState;
import com.reetik.contracts.status.ErrorCode;
import com.reetik.contracts.status.Status;
import com.reetik.contracts.json.Json;
import com.reetik.contracts.json.MalformedRecordException;
import com.reetik.contracts.status.StatusMachine;
import com.reetik.contracts.status.VideoStatus;
import com.reetik.contracts.topic.EventPosition;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads each event record, applies it to the video's view with {@link StatusMachine} and forwards the
 * new view. A record that cannot be read (bad JSON, unknown type, key and video_id that disagree) is
 * forwarded as a dead letter instead, and the stream goes on.
 *
 * <p>Counts {@value #TRANSITIONS} (tag {@code status}: the new status) each time a view's status changes,
 * including a new video's first view ({@code queued}). {@link StatusMachine} stays a pure function; the count is
 * taken here, where its result is applied. A record processed again after an aborted transaction (a crash,
 * a rebalance) counts again; views restored from the changelog do not pass here and count nothing.
 *
 * <p>The stall check ({@code REETIK_STALL_TIMEOUT}): a second store keeps, for each video not in a terminal status,
 * the time of its last event; a wall-clock punctuation fails every video whose last event is older than the
 * timeout, whatever held it up (a lost record, a bridge down for good, an agent that never answers), by writing
 * {@link VideoFailed} ({@code operation_timeout}, the stage it was at) to {@code reetik.video-events}. That event
 * comes back through this processor like the bridge's, so views, summaries and the bridge's ledger (which stops
 * the video's remaining blocks) all see the same failure. Both stores are changelogged and written in the same
 * exactly-once transaction as the views: the check is durable across restarts and moves with its partitions.
 */
final class VideoStatusProcessor implements Processor<String, byte[], String, Outcome> {

    private static final Logger log = LoggerFactory.getLogger(VideoStatusProcessor.class);

    static final String TRANSITIONS = "reetik.videos.transitions";

    private final String storeName;
    private final String activityStoreName;
    private final Duration stallTimeout;
    private final MeterRegistry registry;
    private final Map<String, Counter> transitions = new HashMap<>();
    private ProcessorContext<String, Outcome> context;
    private KeyValueStore<String, VideoStatus> views;
    private KeyValueStore<String, Long> activity;

    /**
     * @param activityStoreName the store of the last event time of each video still running
     * @param stallTimeout      a video with no event for this long fails; zero or negative: no stall check
     */
    VideoStatusProcessor(String storeName, String activityStoreName, Duration stallTimeout, MeterRegistry registry) {
        this.storeName = storeName;
        this.activityStoreName = activityStoreName;
        this.stallTimeout = stallTimeout;
        this.registry = registry;
    }

    @Override
    public void init(ProcessorContext<String, Outcome> context) {
        this.context = context;
        this.views = context.getStateStore(storeName);
        this.activity = context.getStateStore(activityStoreName);
        if (!stallTimeout.isZero() && !stallTimeout.isNegative()) {
            context.schedule(checkInterval(stallTimeout), PunctuationType.WALL_CLOCK_TIME, this::failStalled);
        }
    }

    /** How often the stall check runs: a tenth of the timeout, between 1 s and 1 min. */
    static Duration checkInterval(Duration stallTimeout) {
        Duration tenth = stallTimeout.dividedBy(10);
        return tenth.compareTo(Duration.ofSeconds(1)) < 0 ? Duration.ofSeconds(1)
                : tenth.compareTo(Duration.ofMinutes(1)) > 0 ? Duration.ofMinutes(1) : tenth;
    }

    @Override
    public void process(Record<String, byte[]> record) {
        VideoEvent event;
        try {
            event = Json.read(record.value(), VideoEvent.class);
            if (record.key() == null || !record.key().equals(event.videoId())) {
                throw new MalformedRecordException("key " + record.key() + " is not the event's video_id "
                        + event.videoId());
            }
        } catch (MalformedRecordException e) {
            reject(record, e.getMessage());
            return;
        }
        VideoStatus current = views.get(record.key());
        if (event instanceof com.reetik.contracts.event.VideoDeleted) {
            // Forgotten for good: a later event of the video (a block that was still running) finds no view and is
            // ignored, like any event before a VideoRequested.
            views.delete(record.key());
            activity.delete(record.key());
            if (current != null) {
                String owner = current.userId() == null ? "" : current.userId();
                context.forward(new Record<>(record.key(), (Outcome) new Outcome.Deleted(owner), record.timestamp(),
                        new org.apache.kafka.common.header.internals.RecordHeaders().add(Outcome.Deleted.USER_HEADER,
                                owner.getBytes(java.nio.charset.StandardCharsets.UTF_8))));
                transitionTo("deleted");
            }
            return;
        }
        Optional<VideoStatus> next = StatusMachine.apply(current, event);
        if (next.isPresent()) {
            views.put(record.key(), next.get());
            if (next.get().terminal()) {
                activity.delete(record.key());
            } else {
                activity.put(record.key(), next.get().updatedAt().toEpochMilli());
            }
            context.forward(record.withValue((Outcome) new Outcome.Updated(next.get()))
                    .withHeaders(withEventPosition(record.headers())));
            if (current == null || !Objects.equals(current.status(), next.get().status())) {
                transitionTo(next.get().status());
            }
        } else if (current == null) {
            log.warn("Event {} for unknown video {} ignored (no VideoRequested before it)",
                    event.getClass().getSimpleName(), record.key());
        }
    }

    /**
     * The record's headers plus {@value EventPosition#HEADER}: where the event
     * that made this view is in {@code reetik.video-events} ({@code partition:offset}). The gateway's live path
     * folds the events after it onto the view (docs/architecture.md, "Live progress"); a view read back from the
     * changelog on restore is not forwarded, so every view on the topic carries it.
     */
    private org.apache.kafka.common.header.Headers withEventPosition(org.apache.kafka.common.header.Headers in) {
        org.apache.kafka.common.header.internals.RecordHeaders headers =
                new org.apache.kafka.common.header.internals.RecordHeaders(in.toArray());
        headers.remove(EventPosition.HEADER);
        context.recordMetadata().ifPresent(meta -> headers.add(EventPosition.HEADER,
                new EventPosition(meta.partition(), meta.offset()).bytes()));
        return headers;
    }

    /** Fails each video whose last event is older than the stall timeout (run by wall-clock punctuation). */
    private void failStalled(long now) {
        long before = now - stallTimeout.toMillis();
        List<String> stalled = new ArrayList<>();
        try (KeyValueIterator<String, Long> all = activity.all()) {
            while (all.hasNext()) {
                KeyValue<String, Long> entry = all.next();
                if (entry.value == null || entry.value < before) {
                    stalled.add(entry.key);
                }
            }
        }
        for (String videoId : stalled) {
            // Forgotten here at once: the failure comes back as an event; a later event of a video that did move
            // meanwhile puts it back.
            activity.delete(videoId);
            VideoStatus view = views.get(videoId);
            if (view == null || view.terminal()) {
                continue;
            }
            VideoFailed failure = new VideoFailed("stall-" + videoId + "-" + view.version(), videoId,
                    Instant.ofEpochMilli(now), ErrorCode.OPERATION_TIMEOUT.wireName(), stage(view),
                    "no event for " + stallTimeout + " (last at " + view.updatedAt() + ", status " + view.status()
                            + ")");
            log.warn("Video {} has had no event since {} ({}): failing it with operation_timeout at stage {}",
                    videoId, view.updatedAt(), view.status(), failure.stage());
            context.forward(new Record<>(videoId, (Outcome) new Outcome.Stalled(failure), now));
        }
    }

    /** Where a video stands, as a failure's stage: {@code script}, {@code block n} or {@code assembly}. */
    static String stage(VideoStatus view) {
        Status status = view.statusEnum();
        if (status == Status.READY_FOR_ASSEMBLY || status == Status.ASSEMBLING) {
            return "assembly";
        }
        if (status == Status.SCRIPT_GENERATED || status == Status.GENERATING_PARALLEL) {
            return view.blocks() == null ? "block 1" : view.blocks().stream()
                    .filter(b -> !BlockState.COMPLETED.equals(b.state()))
                    .map(b -> "block " + b.index())
                    .findFirst().orElse("assembly");
        }
        return "script";
    }

    private void transitionTo(String status) {
        transitions.computeIfAbsent(String.valueOf(status), s -> Counter.builder(TRANSITIONS)
                .description("Status changes of the videos' views, by the status entered")
                .tag("status", s)
                .register(registry)).increment();
    }

    private void reject(Record<String, byte[]> record, String reason) {
        context.forward(record.withValue((Outcome) Outcome.Rejected.of(context, record, reason)));
    }
}
