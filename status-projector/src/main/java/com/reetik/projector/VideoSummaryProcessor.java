package com.reetik.projector;

import com.reetik.contracts.json.Json;
import com.reetik.contracts.json.MalformedRecordException;
import com.reetik.contracts.status.VideoStatus;
import com.reetik.contracts.status.VideoSummary;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

/**
 * Reads each status view back from {@code reetik.video-status} and forwards the video's summary keyed
 * {@code user_id/video_id}: one small record per view, no state, so nothing grows with the number of a
 * user's videos. A view that cannot be read (bad JSON, no user, key not its video id) becomes a dead letter.
 * A tombstone (no value) is skipped: it names no user; whoever deletes a video tombstones its summary too.
 */
final class VideoSummaryProcessor implements Processor<String, byte[], String, Outcome> {

    private ProcessorContext<String, Outcome> context;

    @Override
    public void init(ProcessorContext<String, Outcome> context) {
        this.context = context;
    }

    @Override
    public void process(Record<String, byte[]> record) {
        if (record.value() == null) {
            // The view's tombstone: a deleted video, whose owner the projector wrote beside it; its summary goes too.
            org.apache.kafka.common.header.Header owner = record.headers().lastHeader(Outcome.Deleted.USER_HEADER);
            if (record.key() != null && owner != null && owner.value() != null && owner.value().length > 0) {
                String userId = new String(owner.value(), java.nio.charset.StandardCharsets.UTF_8);
                context.forward(new Record<>(VideoSummary.key(userId, record.key()),
                        (Outcome) new Outcome.Summarized(null), record.timestamp()));
            }
            return;
        }
        VideoStatus view;
        try {
            view = Json.read(record.value(), VideoStatus.class);
            if (record.key() == null || !record.key().equals(view.videoId())) {
                throw new MalformedRecordException("key " + record.key() + " is not the view's video_id "
                        + view.videoId());
            }
            if (view.userId() == null || view.userId().isEmpty()) {
                throw new MalformedRecordException("the view of " + view.videoId() + " has no user_id");
            }
        } catch (MalformedRecordException e) {
            context.forward(record.withValue((Outcome) Outcome.Rejected.of(context, record, e.getMessage())));
            return;
        }
        context.forward(record.withKey(VideoSummary.key(view.userId(), view.videoId()))
                .withValue(new Outcome.Summarized(VideoSummary.of(view))));
    }
}
