package com.reetik.contracts.status;

/**
 * What the user asked for, already validated by the gateway.
 *
 * @param targetDuration seconds, 8 to 180
 * @param style          one of {@link Style}'s wire names
 * @param language       {@code fr} or {@code en}
 * @param aspectRatio    {@code 9:16} or {@code 16:9}
 */
public record VideoRequest(String theme, int targetDuration, String style, String language, String aspectRatio) {
}
