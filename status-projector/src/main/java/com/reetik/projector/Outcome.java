package com.reetik.projector;

import com.reetik.contracts.account.UserAccount;
import com.reetik.contracts.deadletter.DeadLetter;
import com.reetik.contracts.status.VideoStatus;
import com.reetik.contracts.event.VideoFailed;
import com.reetik.contracts.status.VideoSummary;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Optional;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a projector processor makes of one record it reads: a new view, a video's summary, an e-mail's owner, or
 * a dead letter; and, from the stall check, the failure of a video that no longer moves.
 */
sealed interface Outcome {

    record Updated(VideoStatus view) implements Outcome {
    }

    /** A video's summary; null: the video was deleted (a tombstone). */
    record Summarized(VideoSummary summary) implements Outcome {
    }

    /**
     * A deleted video: its view goes (a tombstone on {@code reetik.video-status}, carrying its owner in the
     * {@value #USER_HEADER} header, from which the summaries' side removes its summary too).
     */
    record Deleted(String userId) implements Outcome {

        static final String USER_HEADER = "reetik-user-id";
    }

    /** A video with no event for the stall timeout: the failure to write to {@code reetik.video-events}. */
    record Stalled(VideoFailed failure) implements Outcome {
    }

    /** The account that owns its e-mail (the first registration of it), to write to {@code reetik.users}. */
    record Owner(UserAccount account) implements Outcome {
    }

    /** The owner deleted their account: the e-mail is free again, its account a tombstone on {@code reetik.users}. */
    record AccountDeleted(String userId) implements Outcome {
    }

    record Rejected(DeadLetter deadLetter) implements Outcome {

        private static final Logger log = LoggerFactory.getLogger(Rejected.class);

        /** The dead letter of a record that cannot be read, naming where it came from (logged). */
        static Rejected of(ProcessorContext<?, ?> context, Record<String, byte[]> record, String reason) {
            Optional<RecordMetadata> meta = context.recordMetadata();
            String value = record.value() == null ? null : new String(record.value(), StandardCharsets.UTF_8);
            DeadLetter letter = new DeadLetter(meta.map(RecordMetadata::topic).orElse(null),
                    meta.map(RecordMetadata::partition).orElse(-1), meta.map(RecordMetadata::offset).orElse(-1L),
                    record.key(), value, reason, "status-projector", Instant.ofEpochMilli(record.timestamp()));
            log.warn("Unreadable record at {}-{}@{} sent to dead letters: {}", letter.sourceTopic(),
                    letter.partition(), letter.offset(), reason);
            return new Rejected(letter);
        }
    }
}
