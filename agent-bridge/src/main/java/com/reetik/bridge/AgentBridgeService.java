package com.reetik.bridge;

import com.reetik.bridge.agent.AgentPort;
import com.reetik.bridge.assembly.AssemblyHandler;
import com.reetik.bridge.block.BlockHandler;
import com.reetik.bridge.cancel.CancellationMarks;
import com.reetik.bridge.command.CommandHandler;
import com.reetik.bridge.worker.TransactionalWorker;
import com.reetik.contracts.topic.Topics;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts and stops the agent bridge: one command worker, {@code blockWorkers} block workers and one
 * assembly worker, each a consumer group member with its own transactional producer. Work spreads by
 * partition over every running instance.
 */
public final class AgentBridgeService implements AutoCloseable {

    public static final String COMMANDS_GROUP = "reetik-agent-bridge-commands";
    public static final String BLOCKS_GROUP = "reetik-agent-bridge-blocks";
    public static final String ASSEMBLY_GROUP = "reetik-agent-bridge-assembly";

    private static final Logger log = LoggerFactory.getLogger(AgentBridgeService.class);

    private final BridgeSettings settings;
    private final AgentPort agents;
    private final CancellationMarks cancellations;
    private final Clock clock;
    private final List<TransactionalWorker> workers = new ArrayList<>();
    private final List<Thread> threads = new ArrayList<>();

    public AgentBridgeService(BridgeSettings settings, AgentPort agents, CancellationMarks cancellations,
                              Clock clock) {
        this.settings = settings;
        this.agents = agents;
        this.cancellations = cancellations;
        this.clock = clock;
    }

    public synchronized void start() {
        if (!workers.isEmpty()) {
            return;
        }
        String servers = settings.bootstrapServers();
        String instance = settings.instanceId();
        workers.add(new TransactionalWorker("bridge-commands", servers, Topics.VIDEO_COMMANDS.name(), COMMANDS_GROUP,
                "reetik-bridge-" + instance + "-commands", 10, new CommandHandler(agents, cancellations, clock)));
        BlockHandler blocks = new BlockHandler(agents, cancellations, clock, settings.maxAttempts(), settings.retryBackoff(),
                settings.pollInterval(), settings.operationDeadline());
        for (int i = 0; i < settings.blockWorkers(); i++) {
            workers.add(new TransactionalWorker("bridge-blocks-" + i, servers, Topics.BLOCK_TASKS.name(), BLOCKS_GROUP,
                    "reetik-bridge-" + instance + "-blocks-" + i, 1, blocks));
        }
        workers.add(new TransactionalWorker("bridge-assembly", servers, Topics.VIDEO_STATUS.name(), ASSEMBLY_GROUP,
                "reetik-bridge-" + instance + "-assembly", 50, new AssemblyHandler(agents, clock)));
        for (TransactionalWorker worker : workers) {
            Thread thread = new Thread(worker, worker.name());
            thread.start();
            threads.add(thread);
        }
        log.info("Agent bridge {} started: {} block workers, {} attempts per block", instance,
                settings.blockWorkers(), settings.maxAttempts());
    }

    @Override
    public synchronized void close() {
        workers.forEach(TransactionalWorker::close);
        for (Thread thread : threads) {
            try {
                thread.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        workers.clear();
        threads.clear();
    }
}
