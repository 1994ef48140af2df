package com.reetik.contracts.command;

import com.reetik.contracts.event.ScriptBlock;
import com.reetik.contracts.status.VideoRequest;
import java.time.Instant;
import java.util.List;

/**
 * Take a failed video up again where it failed. The gateway fills it from the video's status view, so
 * the bridge needs no state of its own: with no script, the script is written again; with
 * {@code blocksToRetry}, only those blocks are generated again; with neither, assembly is run again.
 *
 * @param script        the script blocks, or empty when the script stage failed
 * @param blocksToRetry indexes of the blocks that did not complete
 * @param clipUris      clip URI of every completed block, by index (for a retried assembly)
 * @param agentVideoId  the script agent's own id for the video, when it gave one (Cloud Run)
 * @param version       the version of the video the retry makes: that of the failed edit it takes up, else 1
 *                      (absent in commands written before edits existed: 1)
 */
public record RetryVideo(String commandId, String videoId, String userId, Instant requestedAt,
                         VideoRequest request, List<ScriptBlock> script, List<Integer> blocksToRetry,
                         List<String> clipUris, String agentVideoId, Integer version) implements VideoCommand {

    /** For the first version. */
    public RetryVideo(String commandId, String videoId, String userId, Instant requestedAt, VideoRequest request,
                      List<ScriptBlock> script, List<Integer> blocksToRetry, List<String> clipUris,
                      String agentVideoId) {
        this(commandId, videoId, userId, requestedAt, request, script, blocksToRetry, clipUris, agentVideoId, null);
    }

    /** The version, 1 when the command does not say. */
    public int versionOrFirst() {
        return com.reetik.contracts.status.VideoVersions.orFirst(version);
    }

    public RetryVideo {
        script = script == null ? List.of() : List.copyOf(script);
        blocksToRetry = blocksToRetry == null ? List.of() : List.copyOf(blocksToRetry);
        clipUris = clipUris == null ? List.of() : java.util.Collections.unmodifiableList(new java.util.ArrayList<>(clipUris));
    }
}
