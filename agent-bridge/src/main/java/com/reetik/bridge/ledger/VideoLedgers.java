package com.reetik.bridge.ledger;

import java.util.Optional;

/** Looks a video's ledger up: {@link BridgeLedger} in the application, a map in a unit test. */
@FunctionalInterface
public interface VideoLedgers {

    /** The video's ledger; empty when no event of it was seen. */
    Optional<VideoLedger> find(String videoId);
}
