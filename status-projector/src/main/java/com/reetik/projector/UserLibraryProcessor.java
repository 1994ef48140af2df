package com.reetik.projector;

import com.reetik.contracts.status.UserLibrary;
import com.reetik.contracts.status.VideoStatus;
import com.reetik.contracts.status.VideoSummary;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

/** Folds status views, keyed by user, into each user's library; an older view never replaces a newer one. */
final class UserLibraryProcessor implements Processor<String, VideoStatus, String, UserLibrary> {

    private final String storeName;
    private ProcessorContext<String, UserLibrary> context;
    private KeyValueStore<String, UserLibrary> libraries;

    UserLibraryProcessor(String storeName) {
        this.storeName = storeName;
    }

    @Override
    public void init(ProcessorContext<String, UserLibrary> context) {
        this.context = context;
        this.libraries = context.getStateStore(storeName);
    }

    @Override
    public void process(Record<String, VideoStatus> record) {
        VideoStatus view = record.value();
        if (record.key() == null || view == null) {
            return;
        }
        UserLibrary current = libraries.get(record.key());
        List<VideoSummary> videos = new ArrayList<>(current == null ? List.of() : current.videos());
        for (VideoSummary existing : videos) {
            if (existing.videoId().equals(view.videoId()) && existing.version() >= view.version()) {
                return;
            }
        }
        videos.removeIf(v -> v.videoId().equals(view.videoId()));
        videos.add(VideoSummary.of(view));
        UserLibrary next = new UserLibrary(record.key(), videos);
        libraries.put(record.key(), next);
        context.forward(record.withValue(next));
    }
}
