package com.reetik.contracts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.reetik.contracts.command.CreateVideo;
import com.reetik.contracts.command.VideoCommand;
import com.reetik.contracts.event.BlockCompleted;
import com.reetik.contracts.event.VideoEvent;
import com.reetik.contracts.json.Json;
import com.reetik.contracts.json.MalformedRecordException;
import com.reetik.contracts.status.Status;
import com.reetik.contracts.status.Language;
import com.reetik.contracts.status.VideoIds;
import com.reetik.contracts.status.VideoRequest;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The wire format other services read: snake_case, a type name, a schema version, ISO-8601 times. */
class JsonContractTest {

    @Test
    void shouldWriteEventsWithTypeSchemaVersionAndSnakeCase() {
        // Given a block completion
        BlockCompleted event = new BlockCompleted("e1", "volcans_20260201_203648_a1b2c3",
                Instant.parse("2026-02-01T20:38:15Z"), 3, 1, "gs://bucket/v/clips/block_3.mp4", 4.0);

        // When it is written
        String json = Json.writeString(event);

        // Then it carries its type, schema version, snake_case fields and an ISO-8601 time
        assertThat(json).contains("\"type\":\"BlockCompleted\"", "\"schema_version\":1", "\"video_id\":",
                "\"block_index\":3", "\"clip_uri\":", "\"occurred_at\":\"2026-02-01T20:38:15Z\"");
        // and it reads back as the same event through the family's interface
        assertThat(Json.read(json, VideoEvent.class)).isEqualTo(event);
    }

    @Test
    void shouldIgnoreFieldsAddedByANewerWriter() {
        // Given a command written by a newer gateway with a field this reader does not know
        String json = "{\"type\":\"CreateVideo\",\"schema_version\":2,\"command_id\":\"c\",\"video_id\":\"v\","
                + "\"user_id\":\"u\",\"requested_at\":\"2026-02-01T20:36:48Z\",\"priority\":\"high\","
                + "\"request\":{\"theme\":\"Volcans\",\"target_duration\":36,\"style\":\"informative\","
                + "\"language\":\"fr\",\"aspect_ratio\":\"9:16\"}}";

        // Then it is still read
        VideoCommand command = Json.read(json, VideoCommand.class);
        assertThat(command).isInstanceOf(CreateVideo.class);
        assertThat(((CreateVideo) command).request())
                .isEqualTo(new VideoRequest("Volcans", 36, "informative", "fr", "9:16"));
    }

    @Test
    void shouldRefuseAnUnknownTypeWithAReason() {
        assertThatThrownBy(() -> Json.read("{\"type\":\"Teleported\",\"video_id\":\"v\"}", VideoEvent.class))
                .isInstanceOf(MalformedRecordException.class).hasMessageContaining("VideoEvent");
        assertThatThrownBy(() -> Json.read("null", VideoEvent.class)).isInstanceOf(MalformedRecordException.class);
    }

    @Test
    void shouldMakeIdsInTheSeedsShape() {
        String id = VideoIds.newId("Les volcans d'Islande !", Instant.parse("2026-02-01T20:36:48Z"));
        assertThat(id).matches("les_volcans_d_islande_20260201_203648_[0-9a-f]{6}");
        assertThat(VideoIds.isWellFormed(id)).isTrue();
        assertThat(VideoIds.isWellFormed("../etc/passwd")).isFalse();
        assertThat(VideoIds.newId("Être", Instant.EPOCH)).isNotEqualTo(VideoIds.newId("Être", Instant.EPOCH));
    }

    @Test
    void shouldSayTheSeedsMessages() {
        assertThat(Status.GENERATING_PARALLEL.message(Language.FR, 3, 9)).isEqualTo("Génération vidéos (3/9 blocs)");
        assertThat(Status.GENERATING_PARALLEL.message(Language.EN, 3, 9)).isEqualTo("Generating videos (3/9 blocks)");
        assertThat(Status.SCRIPT_GENERATED.message(Language.FR, 0, 9)).isEqualTo("Génération script terminée");
        assertThat(Status.READY_FOR_ASSEMBLY.message(Language.FR, 9, 9)).isEqualTo("Préparation assemblage");
    }
}
