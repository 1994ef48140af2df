package com.reetik.gateway.command;

import com.reetik.contracts.account.UserAccount;
import com.reetik.contracts.command.VideoCommand;
import com.reetik.contracts.json.Json;
import com.reetik.contracts.topic.Topics;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.core.KafkaTemplate;

/**
 * The gateway's only writer: commands (keyed by video_id) and registrations (keyed by e-mail), through a
 * {@link KafkaTemplate} that is idempotent and acknowledged by every in-sync replica ({@code gateway.yml})
 * before a request is answered, so an accepted video is never lost. The gateway writes no accounts: the status
 * projector makes the first registration of each e-mail its account.
 */
public final class CommandPublisher implements AutoCloseable {

    private final KafkaTemplate<String, byte[]> template;
    private final DefaultKafkaProducerFactory<String, byte[]> ownFactory;

    public CommandPublisher(KafkaTemplate<String, byte[]> template) {
        this(template, null);
    }

    private CommandPublisher(KafkaTemplate<String, byte[]> template, DefaultKafkaProducerFactory<String, byte[]> own) {
        this.template = template;
        this.ownFactory = own;
    }

    /** A publisher of its own, outside a Spring context (the {@code generate} command); close it after use. */
    public static CommandPublisher connect(String bootstrapServers) {
        Map<String, Object> config = new HashMap<>();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        config.put(ProducerConfig.LINGER_MS_CONFIG, 0);
        config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 30_000);
        config.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
        config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 10_000);
        DefaultKafkaProducerFactory<String, byte[]> factory = new DefaultKafkaProducerFactory<>(config,
                new StringSerializer(), new ByteArraySerializer());
        return new CommandPublisher(new KafkaTemplate<>(factory), factory);
    }

    /** Completes once the command is durably in {@code reetik.video-commands}. */
    public CompletableFuture<Void> publish(VideoCommand command) {
        return send(Topics.VIDEO_COMMANDS.name(), command.videoId(), Json.write(command));
    }

    /**
     * Completes once the registration, the account it proposes, is durably in {@code reetik.registrations}, keyed by
     * its (lower-cased) e-mail. Whether it becomes the e-mail's account is decided by the projector.
     */
    public CompletableFuture<Void> register(UserAccount account) {
        return send(Topics.REGISTRATIONS.name(), account.email(), Json.write(account));
    }

    private CompletableFuture<Void> send(String topic, String key, byte[] value) {
        try {
            return template.send(topic, key, value).thenApply(result -> null);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    @Override
    public void close() {
        if (ownFactory != null) {
            ownFactory.destroy();
        }
    }
}
