package com.reetik.gateway.video;

import com.reetik.contracts.event.VideoDeleted;
import com.reetik.contracts.event.VideoEvent;
import com.reetik.contracts.status.StatusMachine;
import com.reetik.contracts.status.VideoStatus;
import com.reetik.contracts.topic.EventPosition;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;

/**
 * One followed video's live view: the projector's latest view (the base) with the events read since folded onto it by
 * the same {@link StatusMachine} the projector runs. The projector applies a video's events in their log order, so
 * the fold of the events after a view's position gives, event for event, the views the projector will write next,
 * versions included. The live view is only made when no event of the video can be missing between the base and
 * what this fold has read ({@link #usable}); until then the video's views come from the projector alone.
 *
 * <p>Not thread-safe: one {@link LiveEvents} thread owns every fold.
 */
final class LiveFold {

    /** More events than this waiting for a base (a video has a few dozen): the oldest are dropped, see below. */
    static final int MAX_CAPTURED = 1_000;

    private record Captured(int partition, long offset, VideoEvent event) {
    }

    private final long[] captureFrom;
    private final long[] readFrom;
    private final Long seenBefore;
    private final long[] forgottenUpTo;
    private final ArrayDeque<Captured> captured = new ArrayDeque<>();
    private EventPosition basePosition;
    private VideoStatus live;
    private long liveOffset = -1;
    private long diverged;

    /**
     * @param captureFrom   per partition, the first offset this fold is given every event of the video from
     * @param readFrom      per partition, the offset the reader started at (nothing before it was read)
     * @param seenBefore    the offset of the video's last event read before {@code captureFrom}, or null: none read,
     *                      or forgotten (then at most {@code forgottenUpTo} of its partition)
     * @param forgottenUpTo per partition, the highest offset of the last events the reader forgot, -1: none
     */
    LiveFold(long[] captureFrom, long[] readFrom, Long seenBefore, long[] forgottenUpTo) {
        this.captureFrom = captureFrom.clone();
        this.readFrom = readFrom.clone();
        this.seenBefore = seenBefore;
        this.forgottenUpTo = forgottenUpTo.clone();
    }

    /** The video's next event in its partition's order; the new live view when it changes it. */
    Optional<VideoStatus> event(int partition, long offset, VideoEvent event) {
        if (basePosition != null && partition != basePosition.partition()) {
            return Optional.empty(); // not this video's partition (the topic was repartitioned): the projector decides
        }
        if (live == null) {
            if (captured.size() >= MAX_CAPTURED) {
                // Nothing is lost to the user (the projector's views still come); this fold just needs a base after it.
                captured.clear();
                captureFrom[partition] = offset + 1;
                return Optional.empty();
            }
            captured.add(new Captured(partition, offset, event));
            return Optional.empty();
        }
        if (offset <= liveOffset) {
            return Optional.empty();
        }
        liveOffset = offset;
        return advance(event);
    }

    /**
     * A view from the projector. When it is a base this fold can trust, the live view restarts from it with the
     * events after it folded on; returns each view that folding made (every step, as the projector will write
     * them: a stream shows each one), none when the fold was already past it.
     */
    List<VideoStatus> projected(VideoStatus view, EventPosition position) {
        if (position == null || position.partition() >= captureFrom.length
                || basePosition != null && position.offset() <= basePosition.offset()
                || !usable(position)) {
            return List.of();
        }
        if (live != null && liveOffset >= position.offset()) {
            if (liveOffset == position.offset() && !live.equals(view)) {
                diverged++;
                live = view;
            }
            basePosition = position;
            return List.of();
        }
        basePosition = position;
        live = view;
        liveOffset = position.offset();
        List<VideoStatus> made = new ArrayList<>();
        for (Iterator<Captured> it = captured.iterator(); it.hasNext(); ) {
            Captured next = it.next();
            it.remove();
            if (next.partition() == position.partition() && next.offset() > liveOffset) {
                liveOffset = next.offset();
                advance(next.event()).ifPresent(made::add);
            }
        }
        return made;
    }

    /** Times the projector's view at a position this fold had passed differed from the fold (a different machine). */
    long diverged() {
        return diverged;
    }

    /** Whether the live view is being made (a base was found). */
    boolean live() {
        return live != null;
    }

    /** Whether every event of the video after {@code position} is one this fold was given. */
    private boolean usable(EventPosition position) {
        int p = position.partition();
        long after = position.offset() + 1;
        if (after >= captureFrom[p]) {
            return true;
        }
        if (after < readFrom[p]) {
            return false; // events between them were never read
        }
        // Read but not given to this fold: the video's events among them are at most seenBefore.
        return seenBefore != null ? seenBefore <= position.offset() : forgottenUpTo[p] <= position.offset();
    }

    private Optional<VideoStatus> advance(VideoEvent event) {
        if (event instanceof VideoDeleted) {
            return Optional.empty();
        }
        Optional<VideoStatus> next = StatusMachine.apply(live, event);
        next.ifPresent(view -> live = view);
        return next;
    }

    @Override
    public String toString() {
        return "LiveFold[base " + basePosition + ", live offset " + liveOffset + ", captured " + captured.size()
                + ", capture from " + Arrays.toString(captureFrom) + "]";
    }
}
