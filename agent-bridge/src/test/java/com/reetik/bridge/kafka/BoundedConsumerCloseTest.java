package com.reetik.bridge.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.consumer.internals.AutoOffsetResetStrategy;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/** Kafka's own MockConsumer stands for the consumer a container would close. */
class BoundedConsumerCloseTest {

    private final RecordingConsumer delegate = new RecordingConsumer();
    private final Consumer<String, byte[]> consumer =
            new BoundedConsumerClose<String, byte[]>(Duration.ofSeconds(3)).apply(delegate);

    @Test
    void shouldCloseWithTheBoundedTimeoutWhenTheContainerClosesWithoutOne() {
        // When the container stops its consumer as Spring Kafka does
        consumer.close();

        // Then the consumer is closed, waiting at most the bound instead of Kafka's 30 s
        assertThat(delegate.closed()).isTrue();
        assertThat(delegate.closeTimeout).contains(Duration.ofSeconds(3));
    }

    @Test
    void shouldPassEveryOtherCallThroughUnchanged() {
        // Given an assigned partition
        TopicPartition partition = new TopicPartition("reetik.block-tasks", 0);
        consumer.assign(List.of(partition));
        delegate.updateBeginningOffsets(Map.of(partition, 0L));
        consumer.seek(partition, 7L);

        // Then what the caller sees is the consumer's own state and its own errors
        assertThat(consumer.assignment()).containsExactly(partition);
        assertThat(consumer.position(partition)).isEqualTo(7L);
        assertThatThrownBy(() -> consumer.position(new TopicPartition("other", 0)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("only check the position");
    }

    private static final class RecordingConsumer extends MockConsumer<String, byte[]> {

        Optional<Duration> closeTimeout = Optional.empty();

        RecordingConsumer() {
            super(AutoOffsetResetStrategy.EARLIEST.name());
        }

        @Override
        public void close(CloseOptions options) {
            closeTimeout = options.timeout();
            super.close(options);
        }
    }
}
