package com.reetik.contracts.status;

/**
 * Why a video failed.
 *
 * @param message the user message in the video's language (the seed's French by default)
 * @param stage   {@code script}, {@code block n} or {@code assembly}
 * @param detail  what the agent said, for support
 */
public record VideoError(String code, String message, String stage, String detail) {
}
