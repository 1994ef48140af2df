package com.reetik.bridge.ledger;

import java.util.Optional;

/** Looks a video's ledger up: {@link BridgeLedger} in the application, a map in a unit test. */
@FunctionalInterface
public interface VideoLedgers {

    /** The video's ledger; empty when no event of it was seen. */
    Optional<VideoLedger> find(String videoId);

    /** Whether the video was deleted ({@code VideoDeleted} seen): nothing of it may be stored or reported again. */
    default boolean deleted(String videoId) {
        return find(videoId).map(ledger -> ledger.stage() == VideoLedger.Stage.DELETED).orElse(false);
    }
}
