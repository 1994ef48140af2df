package com.reetik.contracts.event;

/** One block of a script: what to show and what is said, {@code durationS} seconds long. */
public record ScriptBlock(int index, String prompt, String narration, int durationS) {
}
