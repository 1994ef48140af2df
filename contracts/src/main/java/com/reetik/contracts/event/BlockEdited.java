package com.reetik.contracts.event;

import java.time.Instant;

/**
 * The user edited block {@code blockIndex} of a completed or failed video: it is generated again with this prompt
 * and narration, in the run of {@code commandId} (the {@code EditBlock}), and the video is then assembled again as
 * version {@code version}. Until that version completes the previous one stays playable; a cancelled edit returns
 * the video to it.
 *
 * @param previousPrompt    the block's prompt before the edit (what a cancelled edit shows again)
 * @param previousNarration the block's narration before the edit
 */
public record BlockEdited(String eventId, String videoId, Instant occurredAt, int blockIndex, String prompt,
                          String narration, int version, String previousPrompt, String previousNarration,
                          String commandId) implements VideoEvent {
}
