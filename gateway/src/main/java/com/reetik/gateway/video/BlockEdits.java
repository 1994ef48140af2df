package com.reetik.gateway.video;

import com.reetik.contracts.command.EditBlock;
import com.reetik.contracts.event.ScriptBlock;
import com.reetik.contracts.status.BlockState;
import com.reetik.contracts.status.Status;
import com.reetik.contracts.status.VideoStatus;
import com.reetik.gateway.web.ApiException;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.springframework.http.HttpStatus;

/**
 * The body of {@code PUT /api/videos/{id}/blocks/{n}} ({@code {"prompt": …, "narration": …}}, each optional, an
 * omitted one kept as the block has it), checked against the video's view, and the {@link EditBlock} it becomes.
 */
final class BlockEdits {

    static final int MAX_PROMPT = 2000;
    static final int MAX_NARRATION = 1000;
    private static final Set<String> FIELDS = Set.of("prompt", "narration");

    private BlockEdits() {
    }

    /** What the user asked: the block, and the new texts (null: unchanged). */
    record Edit(int block, String prompt, String narration) {
    }

    /** The edit resolved against the view: the block as it is, and as it will be generated. */
    record Checked(BlockState before, String prompt, String narration) {
    }

    /** @throws ApiException 400 for a body that is not an object of known string fields, or a text too long */
    static Edit parse(int block, Map<String, Object> body) {
        if (body == null) {
            throw ApiException.badRequest("The body must be a JSON object with prompt and/or narration.");
        }
        for (String field : body.keySet()) {
            if (!FIELDS.contains(field)) {
                throw ApiException.invalid(field, "Unknown field " + field + ": a block edit has prompt and narration.");
            }
        }
        String prompt = text(body, "prompt", MAX_PROMPT);
        if (prompt != null && prompt.isBlank()) {
            throw ApiException.invalid("prompt", "prompt must not be empty.");
        }
        return new Edit(block, prompt == null ? null : prompt.strip(), text(body, "narration", MAX_NARRATION));
    }

    private static String text(Map<String, Object> body, String field, int max) {
        Object value = body.get(field);
        if (value == null) {
            return null;
        }
        if (!(value instanceof String s)) {
            throw ApiException.invalid(field, field + " must be a string.");
        }
        if (s.codePointCount(0, s.length()) > max) {
            throw ApiException.invalid(field, field + " must be at most " + max + " characters long.");
        }
        return s;
    }

    /**
     * @throws ApiException 409 {@code video_busy} unless the video is completed or failed, 409 {@code edit_pending}
     *                      for another block than the one whose edit failed, 400 for a block the video does not have
     *                      or an edit that changes nothing of a completed block
     */
    static Checked checked(VideoStatus view, Edit edit) {
        return checked(view, edit, true);
    }

    /** @param requireChange refuse an edit that changes nothing (the estimate of the form as it opens does not) */
    static Checked checked(VideoStatus view, Edit edit, boolean requireChange) {
        Status status = view.statusEnum();
        if (status != Status.COMPLETED && status != Status.FAILED) {
            throw ApiException.conflict("video_busy", "This video is " + view.status()
                    + "; a block can be edited once the video is completed or failed.");
        }
        if (view.blocks().isEmpty()) {
            throw ApiException.conflict("no_script", "This video has no script yet: retry it instead.");
        }
        BlockState before = view.blocks().stream().filter(b -> b.index() == edit.block()).findFirst()
                .orElseThrow(() -> ApiException.invalid("block", "This video has blocks 1 to " + view.blocks().size()
                        + "."));
        if (status == Status.FAILED && view.edit() != null && view.edit().block() != edit.block()) {
            throw ApiException.conflict("edit_pending", "The edit of block " + view.edit().block()
                    + " failed: edit that block again, retry it or cancel the edit before editing another.");
        }
        String prompt = edit.prompt() == null ? before.prompt() : edit.prompt();
        String narration = edit.narration() == null ? before.narration() : edit.narration();
        if (requireChange && before.completed() && Objects.equals(prompt, before.prompt())
                && Objects.equals(narration, before.narration())) {
            throw new ApiException(HttpStatus.BAD_REQUEST, "empty_edit",
                    "Nothing to change: give a new prompt or narration for block " + edit.block() + ".", null);
        }
        return new Checked(before, prompt, narration);
    }

    /** The command: the script with the block's new texts, the other blocks not completed, the version it makes. */
    static EditBlock command(VideoStatus view, Checked edit, String commandId, String userId, Instant now) {
        List<BlockState> blocks = view.blocks().stream().sorted(Comparator.comparingInt(BlockState::index)).toList();
        int index = edit.before().index();
        List<ScriptBlock> script = blocks.stream()
                .map(b -> b.index() == index
                        ? new ScriptBlock(index, edit.prompt(), edit.narration(), b.durationS())
                        : new ScriptBlock(b.index(), b.prompt(), b.narration(), b.durationS()))
                .toList();
        List<Integer> others = blocks.stream().filter(b -> b.index() != index && !b.completed())
                .map(BlockState::index).toList();
        VideoStatus.Edit pending = view.edit();
        boolean again = pending != null && pending.block() == index;
        return new EditBlock(commandId, view.videoId(), userId, now, view.request(), script, index, others,
                view.agentVideoId(), view.workingVersion(),
                again ? pending.previousPrompt() : edit.before().prompt(),
                again ? pending.previousNarration() : edit.before().narration());
    }
}
