package com.reetik.contracts.event;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import java.time.Instant;

/**
 * What happened to a video. Keyed by video_id on {@code reetik.video-events}, written by the agent bridge (and,
 * for a video with no event for {@code REETIK_STALL_TIMEOUT}, a {@link VideoFailed} by the status projector), read
 * by the projector and by other services: a public, versioned API. New fields may be
 * added; none is removed or renamed without a new {@code schema_version}.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, include = JsonTypeInfo.As.PROPERTY, property = "type")
@JsonSubTypes({
        @JsonSubTypes.Type(value = VideoRequested.class, name = "VideoRequested"),
        @JsonSubTypes.Type(value = ScriptStarted.class, name = "ScriptStarted"),
        @JsonSubTypes.Type(value = ScriptGenerated.class, name = "ScriptGenerated"),
        @JsonSubTypes.Type(value = BlockSubmitted.class, name = "BlockSubmitted"),
        @JsonSubTypes.Type(value = BlockCompleted.class, name = "BlockCompleted"),
        @JsonSubTypes.Type(value = BlockFailed.class, name = "BlockFailed"),
        @JsonSubTypes.Type(value = BlockRetried.class, name = "BlockRetried"),
        @JsonSubTypes.Type(value = AssemblyStarted.class, name = "AssemblyStarted"),
        @JsonSubTypes.Type(value = VideoCompleted.class, name = "VideoCompleted"),
        @JsonSubTypes.Type(value = VideoFailed.class, name = "VideoFailed"),
        @JsonSubTypes.Type(value = VideoCancelled.class, name = "VideoCancelled"),
        @JsonSubTypes.Type(value = VideoDeleted.class, name = "VideoDeleted"),
        @JsonSubTypes.Type(value = BlockEdited.class, name = "BlockEdited")
})
public sealed interface VideoEvent permits VideoRequested, ScriptStarted, ScriptGenerated, BlockSubmitted,
        BlockCompleted, BlockFailed, BlockRetried, AssemblyStarted, VideoCompleted, VideoFailed, VideoCancelled,
        VideoDeleted, BlockEdited {

    int SCHEMA_VERSION = 1;

    String eventId();

    String videoId();

    Instant occurredAt();

    @JsonProperty("schema_version")
    default int schemaVersion() {
        return SCHEMA_VERSION;
    }
}
