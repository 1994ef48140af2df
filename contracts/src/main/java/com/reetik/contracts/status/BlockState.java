package com.reetik.contracts.status;

/**
 * One block as the user sees it.
 *
 * @param state     {@code pending}, {@code generating}, {@code retrying}, {@code completed} or {@code failed}
 * @param attempt   the latest attempt (0 before the first)
 * @param clipUri   where the clip is stored, once completed
 * @param operation the agent's name for the latest generation, when it gives one
 * @param errorCode the latest failure's code, or null
 */
public record BlockState(int index, String state, int attempt, String prompt, String narration, int durationS,
                         String clipUri, String operation, String errorCode) {

    public static final String PENDING = "pending";
    public static final String GENERATING = "generating";
    public static final String RETRYING = "retrying";
    public static final String COMPLETED = "completed";
    public static final String FAILED = "failed";

    public BlockState withState(String newState) {
        return new BlockState(index, newState, attempt, prompt, narration, durationS, clipUri, operation, errorCode);
    }

    public boolean completed() {
        return COMPLETED.equals(state);
    }
}
