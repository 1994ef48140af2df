package com.reetik.gateway.replica;

import com.reetik.contracts.status.VideoStatus;
import com.reetik.contracts.topic.EventPosition;

/**
 * A view as the projector wrote it, with the position in {@code reetik.video-events} of the last event folded into
 * it ({@code null} from a projector that did not say: such a view is never a base for the live path).
 */
public record ProjectedView(VideoStatus view, EventPosition position) {
}
