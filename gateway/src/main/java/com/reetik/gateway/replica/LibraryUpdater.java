package com.reetik.gateway.replica;

import com.reetik.contracts.status.VideoSummary;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the replica's {@link LibraryIndex} up to date from {@code reetik.video-summaries} (key
 * {@code user_id/video_id}): a summary goes in unless an equal or newer version is there, a tombstone takes
 * the video out. Also run on the records read when the store is restored, so the index is rebuilt the same way.
 */
final class LibraryUpdater implements Processor<String, VideoSummary, Void, Void> {

    private static final Logger log = LoggerFactory.getLogger(LibraryUpdater.class);

    private final String storeName;
    private KeyValueStore<String, byte[]> store;

    LibraryUpdater(String storeName) {
        this.storeName = storeName;
    }

    @Override
    public void init(ProcessorContext<Void, Void> context) {
        store = context.getStateStore(storeName);
    }

    @Override
    public void process(Record<String, VideoSummary> record) {
        String userId = VideoSummary.userIdOfKey(record.key());
        String videoId = VideoSummary.videoIdOfKey(record.key());
        if (userId == null || videoId.isEmpty()) {
            log.warn("Video summary with key {} ignored: the key is not user_id/video_id", record.key());
        } else if (record.value() == null) {
            LibraryIndex.remove(store, userId, videoId);
        } else if (!videoId.equals(record.value().videoId())) {
            log.warn("Video summary with key {} ignored: it is the summary of {}", record.key(),
                    record.value().videoId());
        } else {
            LibraryIndex.put(store, userId, record.value());
        }
    }
}
