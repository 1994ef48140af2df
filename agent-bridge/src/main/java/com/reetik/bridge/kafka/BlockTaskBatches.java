package com.reetik.bridge.kafka;

import com.reetik.bridge.block.BlockHandler;
import com.reetik.contracts.event.BlockTask;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.config.KafkaListenerEndpointRegistry;
import org.springframework.kafka.listener.ListenerContainerPauseService;
import org.springframework.kafka.listener.MessageListenerContainer;
import org.springframework.kafka.support.Acknowledgment;

/**
 * The block tasks of one poll ({@code reetik.block-tasks} or {@code reetik.block-polls}), handled in the listener
 * container's one Kafka transaction: what every due task writes commits with the offsets of all of them, all or
 * nothing. One transaction per task made each submission and each check of an operation pay a transaction of its
 * own (with 4,000 operations in flight, 400 transactions a second on one bridge), which held the events' own
 * commit back (docs/performance.md).
 *
 * <p>The due tasks are the batch's records up to the first whose {@code not_before} is still ahead (a check of an
 * operation is due a twentieth of the poll interval early). The due checks of one video are made together, in one
 * agent call ({@link BlockHandler#handleChecks}: the Cloud Run check agent takes a video's operations at once). The
 * starts and each video's checks run side by
 * side on the agent-call pool when there are several (each an HTTP call), each writing to
 * a buffered output, then their records are sent on the listener's thread, in the batch's order. The first task
 * not due yet and everything after it are not committed: the container seeks back to it
 * ({@link Acknowledgment#nack(int, Duration)}, no sleep) and its partition alone is paused until it is due
 * (Spring Kafka's partition pause service, as its retry topics' back-off uses), so the other partitions of the
 * consumer go on. A record that cannot be read goes to the dead letters, in the same transaction.
 *
 * <p>Hand-written because Spring Kafka's back-off for a task not yet due (a {@code KafkaBackoffException} from the
 * listener) rolls back the transaction, so it cannot commit the tasks before it in the same batch.
 */
public final class BlockTaskBatches {

    private static final Logger log = LoggerFactory.getLogger(BlockTaskBatches.class);

    private final BlockHandler blocks;
    private final EventOutput out;
    private final DeadLetterRecoverer deadLetters;
    private final KafkaListenerEndpointRegistry registry;
    private final ListenerContainerPauseService pauser;
    private final ExecutorService agentCalls;
    private final Clock clock;
    private final Duration checkEarly;

    /**
     * @param agentCalls where the due tasks of a batch run side by side; null: one after another on the listener
     * @param checkEarly how long before its {@code not_before} a check of an operation may be made: the blocks of a
     *                   video are submitted within a few hundred milliseconds, so their next checks fall due one
     *                   after another on the same partitions; without this each would pause the partition for
     *                   milliseconds and cost a poll of its own (seen: the last checks of one video 0.5 s late)
     */
    public BlockTaskBatches(BlockHandler blocks, EventOutput out, DeadLetterRecoverer deadLetters,
                            KafkaListenerEndpointRegistry registry, ListenerContainerPauseService pauser,
                            ExecutorService agentCalls, Clock clock, Duration checkEarly) {
        this.checkEarly = checkEarly;
        this.blocks = blocks;
        this.out = out;
        this.deadLetters = deadLetters;
        this.registry = registry;
        this.pauser = pauser;
        this.agentCalls = agentCalls;
        this.clock = clock;
    }

    /** One item of a batch: a due task, or a record that cannot be read (dead-lettered). */
    private record Item(ConsumerRecord<String, byte[]> record, BlockTask task, RuntimeException unreadable) {
    }

    public void handle(String listenerId, List<ConsumerRecord<String, byte[]>> records, Consumer<?, ?> consumer,
                       Acknowledgment ack) {
        Instant now = clock.instant();
        List<Item> due = new ArrayList<>(records.size());
        int firstNotDue = -1;
        Instant dueAt = null;
        for (int i = 0; i < records.size(); i++) {
            ConsumerRecord<String, byte[]> record = records.get(i);
            BlockTask task;
            try {
                task = BlockHandler.read(record);
            } catch (RuntimeException unreadable) {
                due.add(new Item(record, null, unreadable));
                continue;
            }
            Instant dueFrom = task.operation() == null || task.notBefore() == null ? task.notBefore()
                    : task.notBefore().minus(checkEarly);
            if (dueFrom != null && dueFrom.isAfter(now)) {
                firstNotDue = i;
                dueAt = dueFrom;
                break;
            }
            due.add(new Item(record, task, null));
        }
        run(due, consumer);
        if (firstNotDue >= 0) {
            ConsumerRecord<String, byte[]> waiting = records.get(firstNotDue);
            TopicPartition partition = new TopicPartition(waiting.topic(), waiting.partition());
            MessageListenerContainer container = registry.getListenerContainer(listenerId);
            if (container != null) {
                pauser.pausePartition(container, partition, Duration.between(now, dueAt));
            }
            // the due tasks' offsets commit with what they wrote; this task and the rest are read again
            ack.nack(firstNotDue, Duration.ZERO);
        }
    }

    private void run(List<Item> due, Consumer<?, ?> consumer) {
        // What runs as one: a start, a record to dead-letter, or the due checks of one video (one agent call)
        List<List<Item>> units = new ArrayList<>(due.size());
        Map<String, List<Item>> checksOf = new HashMap<>();
        for (Item item : due) {
            if (item.task() != null && item.task().operation() != null) {
                List<Item> checks = checksOf.get(item.task().videoId());
                if (checks == null) {
                    checks = new ArrayList<>();
                    checksOf.put(item.task().videoId(), checks);
                    units.add(checks);
                }
                checks.add(item);
            } else {
                units.add(List.of(item));
            }
        }
        long calls = units.stream().filter(unit -> unit.get(0).task() != null).count();
        if (agentCalls == null || calls < 2) {
            for (List<Item> unit : units) {
                if (unit.get(0).task() == null) {
                    deadLetter(unit.get(0), consumer);
                } else {
                    handle(unit, out);
                }
            }
            return;
        }
        List<Future<EventOutput>> outputs = new ArrayList<>(units.size());
        for (List<Item> unit : units) {
            outputs.add(unit.get(0).task() == null ? null : agentCalls.submit(() -> {
                EventOutput buffered = out.buffered();
                handle(unit, buffered);
                return buffered;
            }));
        }
        for (int i = 0; i < units.size(); i++) {
            List<Item> unit = units.get(i);
            if (unit.get(0).task() == null) {
                deadLetter(unit.get(0), consumer);
            } else {
                await(outputs.get(i)).flush();
            }
        }
    }

    private void handle(List<Item> unit, EventOutput output) {
        BlockTask first = unit.get(0).task();
        if (first.operation() == null) {
            blocks.handle(first, output);
        } else {
            blocks.handleChecks(unit.stream().map(Item::task).toList(), output);
        }
    }

    private void deadLetter(Item item, Consumer<?, ?> consumer) {
        log.warn("Block task {}-{}@{} cannot be read: {}", item.record().topic(), item.record().partition(),
                item.record().offset(), item.unreadable().getMessage());
        deadLetters.accept(item.record(), consumer, item.unreadable());
    }

    /**
     * A task's outcome; its failure (a Kafka error: the agents' are outcomes; {@link CommandBatches}'s own) rolls back
     * the whole batch.
     */
    static <T> T await(Future<T> output) {
        try {
            return output.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while a batch's block tasks ran", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (e.getCause() instanceof Error error) {
                throw error;
            }
            throw new IllegalStateException(e.getCause());
        }
    }
}
