package com.reetik.bridge.agent;

/** A stored clip. {@code operation} is the agent's name for the generation, or null. */
public record Clip(String clipUri, double durationS, String operation) {
}
