package com.reetik.bridge.agent;

/** The assembled video at {@code finalUrl}, {@code durationS} seconds long. */
public record Assembled(String finalUrl, double durationS) {
}
