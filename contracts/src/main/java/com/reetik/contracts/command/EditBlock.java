package com.reetik.contracts.command;

import com.reetik.contracts.event.ScriptBlock;
import com.reetik.contracts.status.VideoRequest;
import java.time.Instant;
import java.util.List;

/**
 * Generate one block of a completed or failed video again, with a new prompt and/or narration, then assemble the
 * video again as a new version ({@code PUT /api/videos/{id}/blocks/{n}}). The gateway fills it from the video's
 * view, like {@link RetryVideo}: the bridge needs no state of its own. The playable version stays where it is until
 * the new one completes.
 *
 * @param script            every block of the video, the edited one with its new prompt and narration
 * @param blockIndex        the edited block
 * @param otherBlocks       blocks that are not completed either (a video whose first run failed): generated again
 *                          with the edited one, as a retry would, or the video could never be assembled
 * @param agentVideoId      the script agent's own id for the video, when it gave one (Cloud Run)
 * @param version           the version of the video this edit makes (the playable one's plus one; 1 when none
 *                          completed)
 * @param previousPrompt    the block's prompt in the playable version (shown again if the edit is cancelled)
 * @param previousNarration the block's narration in the playable version
 */
public record EditBlock(String commandId, String videoId, String userId, Instant requestedAt, VideoRequest request,
                        List<ScriptBlock> script, int blockIndex, List<Integer> otherBlocks, String agentVideoId,
                        int version, String previousPrompt, String previousNarration) implements VideoCommand {

    public EditBlock {
        script = script == null ? List.of() : List.copyOf(script);
        otherBlocks = otherBlocks == null ? List.of() : List.copyOf(otherBlocks);
    }

    /** The edited block, as it is to be generated; null when the script does not hold it. */
    public ScriptBlock block() {
        return script.stream().filter(b -> b.index() == blockIndex).findFirst().orElse(null);
    }
}
