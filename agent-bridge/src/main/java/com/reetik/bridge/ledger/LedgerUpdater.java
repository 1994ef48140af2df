package com.reetik.bridge.ledger;

import com.reetik.contracts.event.VideoEvent;
import com.reetik.contracts.json.Json;
import com.reetik.contracts.json.MalformedRecordException;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Folds each event of {@code reetik.video-events} into its video's {@link VideoLedger} in the global store. Runs on
 * restore too, so a ledger rebuilt from the log is the same. A record that cannot be read is left out (the
 * projector dead-letters it; here it is only logged).
 */
final class LedgerUpdater implements Processor<String, byte[], Void, Void> {

    private static final Logger log = LoggerFactory.getLogger(LedgerUpdater.class);

    private final String storeName;
    private KeyValueStore<String, VideoLedger> store;

    LedgerUpdater(String storeName) {
        this.storeName = storeName;
    }

    @Override
    public void init(ProcessorContext<Void, Void> context) {
        store = context.getStateStore(storeName);
    }

    @Override
    public void process(Record<String, byte[]> record) {
        if (record.key() == null || record.value() == null) {
            return;
        }
        VideoEvent event;
        try {
            event = Json.read(record.value(), VideoEvent.class);
        } catch (MalformedRecordException e) {
            log.warn("Event of {} left out of the ledger: {}", record.key(), e.getMessage());
            return;
        }
        if (!record.key().equals(event.videoId())) {
            return;
        }
        VideoLedger current = store.get(record.key());
        VideoLedger next = VideoLedger.apply(current, event);
        if (next != null && !next.equals(current)) {
            store.put(record.key(), next);
        }
    }
}
