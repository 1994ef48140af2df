package com.reetik.contracts.command;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import java.time.Instant;

/** What the gateway asks of the pipeline. Keyed by video_id on {@code reetik.video-commands}. */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, include = JsonTypeInfo.As.PROPERTY, property = "type")
@JsonSubTypes({
        @JsonSubTypes.Type(value = CreateVideo.class, name = "CreateVideo"),
        @JsonSubTypes.Type(value = CancelVideo.class, name = "CancelVideo"),
        @JsonSubTypes.Type(value = RetryVideo.class, name = "RetryVideo"),
        @JsonSubTypes.Type(value = DeleteVideo.class, name = "DeleteVideo"),
        @JsonSubTypes.Type(value = EditBlock.class, name = "EditBlock")
})
public sealed interface VideoCommand permits CreateVideo, CancelVideo, RetryVideo, DeleteVideo, EditBlock {

    int SCHEMA_VERSION = 1;

    String commandId();

    String videoId();

    String userId();

    Instant requestedAt();

    @JsonProperty("schema_version")
    default int schemaVersion() {
        return SCHEMA_VERSION;
    }
}
