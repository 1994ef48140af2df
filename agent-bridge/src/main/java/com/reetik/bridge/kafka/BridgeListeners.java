package com.reetik.bridge.kafka;

import com.reetik.bridge.assembly.AssemblyHandler;
import com.reetik.bridge.block.BlockHandler;
import java.util.List;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.kafka.support.Acknowledgment;

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
    /** The container factory of the listeners that take a poll's records at once, in one transaction. */
    static final String BATCHES = "bridgeBatchFactory";
    /** Views read (and committed) at most per poll and listener thread: nearly all of them ask for nothing. */
    static final int VIEWS_PER_POLL = 200;
    /** Operation checks read (and committed) at most per poll and listener thread. */
    static final int CHECKS_PER_POLL = 100;
    /** Commands read (and committed) at most per poll and listener thread (their scripts written side by side). */
    static final int COMMANDS_PER_POLL = 20;
    /** Block starts read per poll when the agents start operations (an HTTP call each, made side by side). */
    static final int STARTS_PER_POLL = 50;

    private final CommandBatches commands;
    private final AssemblyHandler assembly;
    private final BlockTaskBatches batches;
    private final DeadLetterRecoverer deadLetters;
    private final boolean agentsStartOperations;
    private final int blockWorkers;
    private final int blockListeners;

    BridgeListeners(CommandBatches commands, BlockTaskBatches batches, AssemblyHandler assembly,
                    DeadLetterRecoverer deadLetters, boolean agentsStartOperations, int blockWorkers,
                    int blockListeners) {
        this.deadLetters = deadLetters;
        this.blockWorkers = blockWorkers;
        this.blockListeners = blockListeners;
        this.commands = commands;
        this.batches = batches;
        this.assembly = assembly;
        this.agentsStartOperations = agentsStartOperations;
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

    /**
     * Block tasks per poll: {@value #STARTS_PER_POLL} submissions of operations (they answer at once), but one render
     * of the local preview at a time (a render takes seconds; a batch would hold back its neighbours' commits).
     */
    public int blockTasksPerPoll() {
        return agentsStartOperations ? STARTS_PER_POLL : 1;
    }

    /**
     * The gateway's commands, a poll's worth in two transactions ({@link CommandBatches}): their progress ("script
     * started") at once, then what they wrote with the poll's offsets.
     */
    @KafkaListener(id = COMMANDS, groupId = "reetik-agent-bridge-commands", containerFactory = BATCHES,
            topics = "#{T(com.reetik.contracts.topic.Topics).VIDEO_COMMANDS.name()}",
            concurrency = "#{__listener.blockWorkers()}",
            properties = {"max.poll.records=" + COMMANDS_PER_POLL, "group.instance.id=${reetik.instance-id}-commands"})
    public void onCommands(List<ConsumerRecord<String, byte[]>> records, Consumer<?, ?> consumer,
                           Acknowledgment ack) {
        commands.handle(records, consumer, ack);
    }

    /**
     * Starts blocks' generations (first attempts, and retries once their backoff passed), the due tasks of a poll in
     * one transaction ({@link BlockTaskBatches}). {@code REETIK_BLOCK_WORKERS} threads; for the local preview of the
     * only bridge ({@code serve}, {@code generate}) one per partition at least, one task per poll (a render takes
     * seconds and its block is announced first), its renders bounded by {@code REETIK_BLOCK_WORKERS} in
     * {@link BlockHandler}.
     */
    @KafkaListener(id = BLOCKS, groupId = "reetik-agent-bridge-blocks", containerFactory = BATCHES,
            topics = "#{T(com.reetik.contracts.topic.Topics).BLOCK_TASKS.name()}",
            concurrency = "#{__listener.blockListeners()}",
            properties = {"max.poll.records=#{__listener.blockTasksPerPoll()}",
                    "group.instance.id=${reetik.instance-id}-blocks"})
    public void onBlockTasks(List<ConsumerRecord<String, byte[]>> records, Consumer<?, ?> consumer,
                             Acknowledgment ack) {
        batches.handle(BLOCKS, records, consumer, ack);
    }

    /**
     * The next checks of blocks' operations, on a topic of their own so that no start waits behind a check; the due
     * checks of a poll in one transaction.
     */
    @KafkaListener(id = POLLS, groupId = "reetik-agent-bridge-polls", containerFactory = BATCHES,
            topics = "#{T(com.reetik.contracts.topic.Topics).BLOCK_POLLS.name()}",
            concurrency = "#{__listener.blockWorkers()}",
            properties = {"max.poll.records=" + CHECKS_PER_POLL, "group.instance.id=${reetik.instance-id}-polls"})
    public void onBlockPolls(List<ConsumerRecord<String, byte[]>> records, Consumer<?, ?> consumer,
                             Acknowledgment ack) {
        batches.handle(POLLS, records, consumer, ack);
    }

    /**
     * The projector's views, a poll's worth in one transaction: a view {@code ready_for_assembly} becomes an assembly
     * task, any other is passed over. (One transaction per view, 20 or so per video, held the assemblies of 100 videos
     * at once 30 s behind their last clip: docs/performance.md.) A view that cannot be read goes to the dead letters
     * in the same transaction; a Kafka error rolls the batch back, to be read again.
     */
    @KafkaListener(id = ASSEMBLY, groupId = "reetik-agent-bridge-assembly", containerFactory = BATCHES,
            topics = "#{T(com.reetik.contracts.topic.Topics).VIDEO_STATUS.name()}",
            concurrency = "#{__listener.blockWorkers()}",
            properties = {"max.poll.records=" + VIEWS_PER_POLL, "group.instance.id=${reetik.instance-id}-assembly"})
    public void onViews(List<ConsumerRecord<String, byte[]>> records, Consumer<?, ?> consumer) {
        for (ConsumerRecord<String, byte[]> record : records) {
            try {
                assembly.handle(record);
            } catch (RuntimeException e) {
                KafkaErrors.rethrowIfKafka(e);
                deadLetters.accept(record, consumer, e);
            }
        }
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
