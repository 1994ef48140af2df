package com.reetik.bridge.kafka;

import com.reetik.bridge.command.CommandHandler;
import com.reetik.contracts.event.VideoEvent;
import com.reetik.contracts.json.MalformedRecordException;
import com.reetik.contracts.topic.Topics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.support.Acknowledgment;

/**
 * The commands of one poll of {@code reetik.video-commands}, in two transactions instead of two per command: the
 * progress every command shows before its work ("script started") is committed at once for all of them, then their
 * work (a script: an agent's call) runs side by side on a pool of its own ({@link AgentCalls#commands()}), each into
 * a buffered output, and what they wrote is sent on the listener's thread, in the poll's order, to commit with the
 * poll's offsets. 100 videos asked for at once waited up to 10 s for their first event behind one command per
 * transaction, on this project's machine (docs/performance.md).
 *
 * <p>Per record, as the record listener's after-rollback processor did: a command that cannot be read or handled as
 * written goes to the dead letters at once; one whose handling throws (not Kafka: a bug, a store that fails) is
 * tried twice more, half a second apart, then dead-lettered; a Kafka error rolls the whole poll back, to be read
 * again. Two commands of one video are never handled side by side: the batch stops before the second, which is read
 * again (in order) once the first is committed.
 *
 * <p>Hand-written for the same reason as {@link BlockTaskBatches}: Spring Kafka runs a batch's records on the
 * listener's thread, one after another.
 */
public final class CommandBatches {

    private static final Logger log = LoggerFactory.getLogger(CommandBatches.class);
    static final int ATTEMPTS = 3;
    static final Duration BETWEEN_ATTEMPTS = Duration.ofMillis(500);

    private final CommandHandler commands;
    private final EventOutput out;
    private final DeadLetterRecoverer deadLetters;
    private final ExecutorService agentCalls;

    /** @param agentCalls where the commands' work runs side by side; null: one after another on the listener */
    public CommandBatches(CommandHandler commands, EventOutput out, DeadLetterRecoverer deadLetters,
                          ExecutorService agentCalls) {
        this.commands = commands;
        this.out = out;
        this.deadLetters = deadLetters;
        this.agentCalls = agentCalls;
    }

    /** One record of the batch: a command to handle, nothing to do, or a dead letter. */
    private record Item(ConsumerRecord<String, byte[]> record, CommandHandler.Prepared command,
                        RuntimeException failure) {
    }

    /** What a command's work gave: its records, or the failure that sends it to the dead letters. */
    private record Outcome(EventOutput output, RuntimeException failure) {
    }

    public void handle(List<ConsumerRecord<String, byte[]>> records, Consumer<?, ?> consumer, Acknowledgment ack) {
        List<Item> items = new ArrayList<>(records.size());
        Set<String> videos = new HashSet<>();
        int repeated = -1;
        for (int i = 0; i < records.size(); i++) {
            ConsumerRecord<String, byte[]> record = records.get(i);
            if (record.key() != null && !videos.add(record.key())) {
                repeated = i;
                break;
            }
            try {
                items.add(new Item(record, commands.prepare(record).orElse(null), null));
            } catch (RuntimeException e) {
                KafkaErrors.rethrowIfKafka(e);
                items.add(new Item(record, null, e));
            }
        }
        Map<String, List<VideoEvent>> progress = new LinkedHashMap<>();
        for (Item item : items) {
            if (item.command() != null) {
                progress.put(item.command().videoId(), item.command().progress());
            }
        }
        out.sendNow(Topics.VIDEO_EVENTS, progress);
        List<Future<Outcome>> outcomes = new ArrayList<>(items.size());
        long work = items.stream().filter(item -> item.command() != null).count();
        for (Item item : items) {
            if (item.command() == null) {
                outcomes.add(null);
            } else if (agentCalls == null || work < 2) {
                outcomes.add(CompletableFuture.completedFuture(run(item.command())));
            } else {
                outcomes.add(agentCalls.submit(() -> run(item.command())));
            }
        }
        for (int i = 0; i < items.size(); i++) {
            Item item = items.get(i);
            RuntimeException failure = item.failure();
            if (item.command() != null) {
                Outcome outcome = BlockTaskBatches.await(outcomes.get(i));
                if (outcome.failure() == null) {
                    outcome.output().flush();
                }
                failure = outcome.failure();
            }
            if (failure != null) {
                log.warn("Command {}-{}@{} goes to the dead letters: {}", item.record().topic(),
                        item.record().partition(), item.record().offset(), failure.toString());
                deadLetters.accept(item.record(), consumer, failure);
            }
        }
        if (repeated >= 0) {
            // a second command of a video already in this batch: read again once this batch is committed
            ack.nack(repeated, Duration.ZERO);
        }
    }

    /** A command's work into a buffered output, tried {@value #ATTEMPTS} times unless Kafka failed (thrown). */
    private Outcome run(CommandHandler.Prepared command) {
        RuntimeException last = null;
        for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
            EventOutput buffered = out.buffered();
            try {
                commands.handle(command, buffered);
                return new Outcome(buffered, null);
            } catch (MalformedRecordException e) {
                return new Outcome(null, e);
            } catch (RuntimeException e) {
                KafkaErrors.rethrowIfKafka(e);
                last = e;
                log.warn("{} of {} failed (attempt {} of {}): {}", command.command().getClass().getSimpleName(),
                        command.videoId(), attempt, ATTEMPTS, e.toString());
                if (attempt < ATTEMPTS && !sleep(BETWEEN_ATTEMPTS)) {
                    break;
                }
            }
        }
        return new Outcome(null, last);
    }

    private static boolean sleep(Duration pause) {
        try {
            Thread.sleep(pause.toMillis());
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
