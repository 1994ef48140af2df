package com.reetik.projector;

import com.reetik.contracts.deadletter.DeadLetter;
import com.reetik.contracts.status.VideoStatus;

/** What the status processor makes of one event record: a new view, or a dead letter. */
sealed interface Outcome {

    record Updated(VideoStatus view) implements Outcome {
    }

    record Rejected(DeadLetter deadLetter) implements Outcome {
    }
}
