package com.reetik.standalone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StandaloneSettingsTest {

    @Test
    void shouldForceTheBrokersLogToDiskEverySecondUnlessToldOtherwise() {
        assertThat(StandaloneSettings.fromEnvironment(Map.of()).kafkaFlush()).isEqualTo(Duration.ofSeconds(1));
        assertThat(StandaloneSettings.fromEnvironment(Map.of("REETIK_KAFKA_FLUSH_MS", "0")).kafkaFlush())
                .as("0: every write forced before it is acknowledged").isZero();
        assertThat(StandaloneSettings.fromEnvironment(Map.of("REETIK_KAFKA_FLUSH_MS", "250")).kafkaFlush())
                .isEqualTo(Duration.ofMillis(250));
    }

    @Test
    void shouldRefuseAFlushIntervalThatIsNotAWholeNumberOfMillisecondsOrIsNegative() {
        assertThatThrownBy(() -> StandaloneSettings.fromEnvironment(Map.of("REETIK_KAFKA_FLUSH_MS", "-1")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("REETIK_KAFKA_FLUSH_MS");
        assertThatThrownBy(() -> StandaloneSettings.fromEnvironment(Map.of("REETIK_KAFKA_FLUSH_MS", "1s")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("REETIK_KAFKA_FLUSH_MS");
    }
}
