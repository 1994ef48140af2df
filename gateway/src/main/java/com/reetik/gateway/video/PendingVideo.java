package com.reetik.gateway.video;

import com.reetik.contracts.status.Language;
import com.reetik.contracts.status.Status;
import com.reetik.contracts.status.VideoRequest;
import com.reetik.contracts.status.VideoStatus;
import java.time.Instant;
import java.util.List;

/** A video this gateway accepted and whose first view the replica may not have yet. */
record PendingVideo(String videoId, String userId, VideoRequest request, String idempotencyKey, Instant createdAt) {

    /** The {@code queued} view (version 0) shown until the projector's first view arrives. */
    VideoStatus queuedView() {
        return new VideoStatus(videoId, userId, 0, Status.QUEUED.wireName(),
                Status.QUEUED.message(Language.ofOrFrench(request.language()), 0, 0), 0, 0, 0, createdAt, createdAt,
                request, idempotencyKey, null, List.of(), null, null, null);
    }
}
