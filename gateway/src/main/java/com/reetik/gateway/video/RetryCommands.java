package com.reetik.gateway.video;

import com.reetik.contracts.command.RetryVideo;
import com.reetik.contracts.event.ScriptBlock;
import com.reetik.contracts.status.BlockState;
import com.reetik.contracts.status.VideoStatus;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** Builds the {@link RetryVideo} of a failed view: the bridge needs nothing else to take it up again. */
final class RetryCommands {

    private RetryCommands() {
    }

    /**
     * @return the script (empty when the script stage failed), the indexes of the blocks not completed, and
     *         the clip URI of every block in index order (null for a block without a clip)
     */
    static RetryVideo of(VideoStatus view, String commandId, String userId, Instant now) {
        List<BlockState> blocks = view.blocks().stream().sorted(Comparator.comparingInt(BlockState::index)).toList();
        List<ScriptBlock> script = blocks.stream()
                .map(b -> new ScriptBlock(b.index(), b.prompt(), b.narration(), b.durationS()))
                .toList();
        List<Integer> toRetry = blocks.stream().filter(b -> !b.completed()).map(BlockState::index).toList();
        List<String> clipUris = new ArrayList<>();
        blocks.forEach(b -> clipUris.add(b.clipUri()));
        return new RetryVideo(commandId, view.videoId(), userId, now, view.request(), script, toRetry, clipUris,
                view.agentVideoId());
    }
}
