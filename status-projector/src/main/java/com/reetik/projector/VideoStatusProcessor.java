package com.reetik.projector;

import com.reetik.contracts.event.VideoEvent;
import com.reetik.contracts.json.Json;
import com.reetik.contracts.json.MalformedRecordException;
import com.reetik.contracts.status.VideoStatus;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
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
 */
final class VideoStatusProcessor implements Processor<String, byte[], String, Outcome> {

    private static final Logger log = LoggerFactory.getLogger(VideoStatusProcessor.class);

    static final String TRANSITIONS = "reetik.videos.transitions";

    private final String storeName;
    private final MeterRegistry registry;
    private final Map<String, Counter> transitions = new HashMap<>();
    private ProcessorContext<String, Outcome> context;
    private KeyValueStore<String, VideoStatus> views;

    VideoStatusProcessor(String storeName, MeterRegistry registry) {
        this.storeName = storeName;
        this.registry = registry;
    }

    @Override
    public void init(ProcessorContext<String, Outcome> context) {
        this.context = context;
        this.views = context.getStateStore(storeName);
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
        Optional<VideoStatus> next = StatusMachine.apply(current, event);
        if (next.isPresent()) {
            views.put(record.key(), next.get());
            context.forward(record.withValue((Outcome) new Outcome.Updated(next.get())));
            if (current == null || !Objects.equals(current.status(), next.get().status())) {
                transitionTo(next.get().status());
            }
        } else if (current == null) {
            log.warn("Event {} for unknown video {} ignored (no VideoRequested before it)",
                    event.getClass().getSimpleName(), record.key());
        }
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
