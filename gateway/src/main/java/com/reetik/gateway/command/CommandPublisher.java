package com.reetik.gateway.command;

import com.reetik.contracts.account.UserAccount;
import com.reetik.contracts.command.VideoCommand;
import com.reetik.contracts.json.Json;
import com.reetik.contracts.topic.Topics;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The gateway's only writer: commands (keyed by video_id) and accounts (keyed by e-mail). Idempotent,
 * acknowledged by every in-sync replica before a request is answered, so an accepted video is never lost.
 */
public final class CommandPublisher implements AutoCloseable {

    private final KafkaProducer<String, byte[]> producer;

    public CommandPublisher(String bootstrapServers) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        props.put(ProducerConfig.LINGER_MS_CONFIG, 0);
        props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 30_000);
        props.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
        props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 10_000);
        props.put(ProducerConfig.CLIENT_ID_CONFIG, "reetik-gateway");
        this.producer = new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer());
    }

    /** Completes once the command is durably in {@code reetik.video-commands}. */
    public CompletableFuture<Void> publish(VideoCommand command) {
        return send(new ProducerRecord<>(Topics.VIDEO_COMMANDS.name(), command.videoId(), Json.write(command)));
    }

    public CompletableFuture<Void> saveAccount(UserAccount account) {
        return send(new ProducerRecord<>(Topics.USERS.name(), account.email(), Json.write(account)));
    }

    private CompletableFuture<Void> send(ProducerRecord<String, byte[]> record) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        try {
            producer.send(record, (metadata, error) -> {
                if (error != null) {
                    done.completeExceptionally(error);
                } else {
                    done.complete(null);
                }
            });
        } catch (RuntimeException e) {
            done.completeExceptionally(e);
        }
        return done;
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(5));
    }
}
