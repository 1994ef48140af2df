package com.reetik.gateway.command;

import com.reetik.contracts.account.UserAccount;
import com.reetik.contracts.command.VideoCommand;
import com.reetik.contracts.json.Json;
import com.reetik.contracts.topic.Topics;
import java.util.HashMap;
import java.util.Map;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
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

    /** The gateway's: a request waits on a send at most this long, then it is a 503. */
    static final Duration REQUEST_SEND_TIMEOUT = Duration.ofSeconds(10);
    private static final int CLI_DELIVERY_TIMEOUT_MS = 30_000;

    private final KafkaTemplate<String, byte[]> template;
    private final DefaultKafkaProducerFactory<String, byte[]> ownFactory;
    private final Duration sendTimeout;

    public CommandPublisher(KafkaTemplate<String, byte[]> template) {
        this(template, null, REQUEST_SEND_TIMEOUT);
    }

    private CommandPublisher(KafkaTemplate<String, byte[]> template, DefaultKafkaProducerFactory<String, byte[]> own,
                             Duration sendTimeout) {
        this.template = template;
        this.ownFactory = own;
        this.sendTimeout = sendTimeout;
    }

    /** A publisher of its own, outside a Spring context (the {@code generate} command); close it after use. */
    public static CommandPublisher connect(String bootstrapServers) {
        Map<String, Object> config = new HashMap<>();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        config.put(ProducerConfig.LINGER_MS_CONFIG, 0);
        config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, CLI_DELIVERY_TIMEOUT_MS);
        config.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
        config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 10_000);
        DefaultKafkaProducerFactory<String, byte[]> factory = new DefaultKafkaProducerFactory<>(config,
                new StringSerializer(), new ByteArraySerializer());
        return new CommandPublisher(new KafkaTemplate<>(factory), factory, Duration.ofMillis(CLI_DELIVERY_TIMEOUT_MS));
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

    /**
     * Completes once the deletion of the account is durably in {@code reetik.registrations}: a tombstone keyed by
     * its e-mail naming its user id ({@link UserAccount#DELETION_HEADER}); the projector deletes it if that user
     * still owns the e-mail.
     */
    public CompletableFuture<Void> deleteAccount(UserAccount account) {
        org.apache.kafka.clients.producer.ProducerRecord<String, byte[]> tombstone =
                new org.apache.kafka.clients.producer.ProducerRecord<>(Topics.REGISTRATIONS.name(), account.email(), null);
        tombstone.headers().add(UserAccount.DELETION_HEADER,
                account.userId().getBytes(java.nio.charset.StandardCharsets.UTF_8));
        return send(tombstone);
    }

    /**
     * Fails after the send timeout at the latest, whatever holds the acknowledgement up: a request waiting on it is
     * answered (503) rather than left without an answer.
     */
    private CompletableFuture<Void> send(String topic, String key, byte[] value) {
        return send(new org.apache.kafka.clients.producer.ProducerRecord<>(topic, key, value));
    }

    private CompletableFuture<Void> send(org.apache.kafka.clients.producer.ProducerRecord<String, byte[]> record) {
        try {
            return template.send(record).thenApply(result -> (Void) null)
                    .orTimeout(sendTimeout.toMillis(), TimeUnit.MILLISECONDS);
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
