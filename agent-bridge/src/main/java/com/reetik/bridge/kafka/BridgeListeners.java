package com.reetik.bridge.kafka;

import com.reetik.bridge.assembly.AssemblyHandler;
import com.reetik.bridge.block.BlockHandler;
import com.reetik.bridge.command.CommandHandler;
import com.reetik.contracts.event.BlockTask;
import java.time.Clock;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.kafka.listener.KafkaConsumerBackoffManager;

/**
 * The bridge's three listeners. Each runs in a container that owns the poll loop, the Kafka transaction
 * (what the handler sends commits with the input offset), static group membership
 * ({@code group.instance.id} from {@code REETIK_INSTANCE_ID}) and the after-rollback processor (dead
 * letters). Work spreads by partition over every running bridge.
 */
public class BridgeListeners {

    static final String COMMANDS = "bridge-commands";
    static final String BLOCKS = "bridge-blocks";
    static final String POLLS = "bridge-polls";
    static final String ASSEMBLY = "bridge-assembly";
    static final String ASSEMBLIES = "bridge-assemblies";

    private final CommandHandler commands;
    private final BlockHandler blocks;
    private final AssemblyHandler assembly;
    private final KafkaConsumerBackoffManager backoff;
    private final Clock clock;
    private final int blockWorkers;
    private final int blockListeners;

    BridgeListeners(CommandHandler commands, BlockHandler blocks, AssemblyHandler assembly,
                    KafkaConsumerBackoffManager backoff, Clock clock, int blockWorkers, int blockListeners) {
        this.blockWorkers = blockWorkers;
        this.blockListeners = blockListeners;
        this.commands = commands;
        this.blocks = blocks;
        this.assembly = assembly;
        this.backoff = backoff;
        this.clock = clock;
    }

    /**
     * {@code REETIK_BLOCK_WORKERS}: threads of each listener. Scripts and assemblies of different videos
     * (a Gemini or Cloud Run call, an ffmpeg concat) then run side by side too, not one after another.
     */
    public int blockWorkers() {
        return blockWorkers;
    }

    /** Threads on {@code reetik.block-tasks}: see {@link com.reetik.bridge.BridgeProperties#blockListeners}. */
    public int blockListeners() {
        return blockListeners;
    }

    @KafkaListener(id = COMMANDS, groupId = "reetik-agent-bridge-commands",
            topics = "#{T(com.reetik.contracts.topic.Topics).VIDEO_COMMANDS.name()}",
            concurrency = "#{__listener.blockWorkers()}",
            properties = {"max.poll.records=10", "group.instance.id=${reetik.instance-id}-commands"})
    public void onCommand(ConsumerRecord<String, byte[]> record) {
        commands.handle(record);
    }

    /**
     * One block task at a time per listener thread: starts a block's generation (first attempt, or a retry once
     * its backoff passed). {@code REETIK_BLOCK_WORKERS} threads; for the local preview of the only bridge ({@code serve},
     * {@code generate}) one per partition at least, its renders bounded by {@code REETIK_BLOCK_WORKERS} in
     * {@link BlockHandler}.
     */
    @KafkaListener(id = BLOCKS, groupId = "reetik-agent-bridge-blocks",
            topics = "#{T(com.reetik.contracts.topic.Topics).BLOCK_TASKS.name()}",
            concurrency = "#{__listener.blockListeners()}",
            properties = {"max.poll.records=1", "group.instance.id=${reetik.instance-id}-blocks"})
    public void onBlockTask(ConsumerRecord<String, byte[]> record, Consumer<?, ?> consumer) {
        handleWhenDue(BLOCKS, record, consumer);
    }

    /** The next check of a block's operation, on a topic of its own so that no start waits behind a check. */
    @KafkaListener(id = POLLS, groupId = "reetik-agent-bridge-polls",
            topics = "#{T(com.reetik.contracts.topic.Topics).BLOCK_POLLS.name()}",
            concurrency = "#{__listener.blockWorkers()}",
            properties = {"max.poll.records=1", "group.instance.id=${reetik.instance-id}-polls"})
    public void onBlockPoll(ConsumerRecord<String, byte[]> record, Consumer<?, ?> consumer) {
        handleWhenDue(POLLS, record, consumer);
    }

    /**
     * A task whose {@code not_before} is still ahead (a retry's backoff, the next check of an operation) is not
     * waited for on the thread: its partition is paused until then and the task is read again (Spring Kafka's
     * partition-pausing back-off, as its retry topics use), so other partitions go on meanwhile.
     */
    private void handleWhenDue(String listenerId, ConsumerRecord<String, byte[]> record, Consumer<?, ?> consumer) {
        BlockTask task = BlockHandler.read(record);
        if (task.notBefore() != null && task.notBefore().isAfter(clock.instant())) {
            backoff.backOffIfNecessary(backoff.createContext(task.notBefore().toEpochMilli(), listenerId,
                    new TopicPartition(record.topic(), record.partition()), consumer));
        }
        blocks.handle(task);
    }

    @KafkaListener(id = ASSEMBLY, groupId = "reetik-agent-bridge-assembly",
            topics = "#{T(com.reetik.contracts.topic.Topics).VIDEO_STATUS.name()}",
            concurrency = "#{__listener.blockWorkers()}",
            properties = {"max.poll.records=50", "group.instance.id=${reetik.instance-id}-assembly"})
    public void onView(ConsumerRecord<String, byte[]> record) {
        assembly.handle(record);
    }

    /** Joins a video's clips (an ffmpeg concat, the Cloud Run assembler): one task at a time per thread. */
    @KafkaListener(id = ASSEMBLIES, groupId = "reetik-agent-bridge-assemblies",
            topics = "#{T(com.reetik.contracts.topic.Topics).ASSEMBLY_TASKS.name()}",
            concurrency = "#{__listener.blockWorkers()}",
            properties = {"max.poll.records=1", "group.instance.id=${reetik.instance-id}-assemblies"})
    public void onAssemblyTask(ConsumerRecord<String, byte[]> record) {
        assembly.assemble(AssemblyHandler.read(record));
    }
}
