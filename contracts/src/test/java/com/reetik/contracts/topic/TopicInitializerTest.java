package com.reetik.contracts.topic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.apache.kafka.common.serialization.Serdes;
import org.junit.jupiter.api.Test;

/** Every topic's settings are explicit: nothing is left to the broker's defaults. */
class TopicInitializerTest {

    @Test
    void shouldKeepCommandsAndTasksAWeekAndTheLogsForever() {
        // Given the topics a replay could read again, and the logs views are rebuilt from
        for (Topic<?, ?> work : new Topic<?, ?>[] {Topics.VIDEO_COMMANDS, Topics.BLOCK_TASKS, Topics.BLOCK_POLLS,
                Topics.ASSEMBLY_TASKS}) {
            // Then each is kept exactly 7 days
            assertThat(TopicInitializer.configOf(work)).as(work.name())
                    .isEqualTo(Map.of("retention.ms", String.valueOf(Duration.ofDays(7).toMillis())));
        }
        for (Topic<?, ?> log : new Topic<?, ?>[] {Topics.VIDEO_EVENTS, Topics.DEAD_LETTERS}) {
            assertThat(TopicInitializer.configOf(log)).as(log.name()).isEqualTo(Map.of("retention.ms", "-1"));
        }
        for (Topic<?, ?> view : new Topic<?, ?>[] {Topics.VIDEO_STATUS, Topics.VIDEO_SUMMARIES, Topics.USERS}) {
            assertThat(TopicInitializer.configOf(view)).as(view.name()).isEqualTo(Map.of("cleanup.policy", "compact"));
        }
    }

    @Test
    void shouldRefuseARetentionOnACompactedTopic() {
        assertThatThrownBy(() -> new Topic<>("t", Serdes.String(), Serdes.String(), true, Duration.ofDays(1)))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
