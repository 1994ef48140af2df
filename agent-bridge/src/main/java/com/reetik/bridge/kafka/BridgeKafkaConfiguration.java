package com.reetik.bridge.kafka;

import com.reetik.bridge.BridgeProperties;
import com.reetik.bridge.agent.AgentPort;
import com.reetik.bridge.agent.AgentsConfiguration;
import com.reetik.bridge.assembly.AssemblyHandler;
import com.reetik.bridge.block.BlockHandler;
import com.reetik.bridge.captions.CaptionFiles;
import com.reetik.bridge.cancel.CancellationMarks;
import com.reetik.bridge.command.CommandHandler;
import com.reetik.bridge.ledger.BridgeLedger;
import com.reetik.contracts.json.MalformedRecordException;
import com.reetik.contracts.storage.ObjectStore;
import com.reetik.platform.ReetikProperties;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Clock;
import java.util.concurrent.Executors;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.kafka.autoconfigure.ConcurrentKafkaListenerContainerFactoryConfigurer;
import org.springframework.boot.kafka.autoconfigure.DefaultKafkaConsumerFactoryCustomizer;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.config.ConcurrentKafkaListenerContainerFactory;
import org.springframework.kafka.config.KafkaListenerEndpointRegistry;
import org.springframework.kafka.core.ConsumerFactory;
import org.springframework.kafka.core.KafkaAdmin;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.listener.AfterRollbackProcessor;
import org.springframework.kafka.listener.ContainerProperties;
import org.springframework.kafka.listener.ContainerPausingBackOffHandler;
import org.springframework.kafka.listener.DefaultAfterRollbackProcessor;
import org.springframework.kafka.listener.ListenerContainerPauseService;
import org.springframework.scheduling.concurrent.CustomizableThreadFactory;
import org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler;
import org.springframework.util.backoff.ExponentialBackOff;
import org.springframework.util.backoff.FixedBackOff;

/**
 * The bridge on Spring Kafka: the handlers, their listeners, and what happens when a record fails. The
 * containers come from Boot's factory, with the {@code KafkaTransactionManager} Boot makes from
 * {@code spring.kafka.producer.transaction-id-prefix} (see {@code agent-bridge.yml}).
 */
@Configuration(proxyBeanMethods = false)
public class BridgeKafkaConfiguration {

    /** A stopping bridge does not wait 30 s for a consumer group's answer it no longer needs (see the class). */
    @Bean
    DefaultKafkaConsumerFactoryCustomizer boundedConsumerClose() {
        return factory -> factory.addPostProcessor(new BoundedConsumerClose<>(Duration.ofSeconds(3)));
    }

    @Bean
    EventOutput eventOutput(KafkaTemplate<String, byte[]> template) {
        return new EventOutput(template);
    }

    @Bean
    CancellationMarks cancellationMarks(ObjectStore store, ReetikProperties reetik) {
        return new CancellationMarks(store, AgentsConfiguration.workDir(reetik));
    }

    /**
     * What was already done for each video, from {@code reetik.video-events}: loaded before the listeners start
     * (a lifecycle phase before theirs), in {@code {REETIK_DATA_DIR}/bridge-ledger}.
     */
    @Bean
    BridgeLedger bridgeLedger(KafkaProperties kafka, ReetikProperties reetik) {
        return new BridgeLedger(String.join(",", kafka.getBootstrapServers()),
                "reetik-agent-bridge-ledger-" + reetik.instanceId(), ledgerDir(reetik));
    }

    /**
     * In the readiness group: the bridge takes work only with its ledger running (when it fails, the listeners
     * pause on the Kafka error and a restart rebuilds it from its checkpoint).
     */
    @Bean("bridgeLedgerHealthIndicator")
    HealthIndicator bridgeLedgerHealthIndicator(BridgeLedger ledger) {
        return () -> ledger.running() ? Health.up().build()
                : Health.down().withDetail("reason", "the bridge ledger is not running").build();
    }

    /** In the readiness group: DOWN while Kafka does not answer or a listener's consumer died. */
    @Bean("bridgeWorkersHealthIndicator")
    BridgeWorkersHealth bridgeWorkersHealthIndicator(KafkaListenerEndpointRegistry registry, KafkaAdmin admin) {
        return new BridgeWorkersHealth(registry, admin.getConfigurationProperties(), Duration.ofSeconds(2));
    }

    /** Starts again a listener whose consumer died; on a scheduler of its own, since a restart may wait. */
    @Bean
    ListenerRestarter listenerRestarter(ThreadPoolTaskScheduler bridgeRestartScheduler, MeterRegistry registry) {
        return new ListenerRestarter(bridgeRestartScheduler, Duration.ofSeconds(2), registry);
    }

    @Bean(destroyMethod = "shutdown")
    ThreadPoolTaskScheduler bridgeRestartScheduler() {
        return singleThreadScheduler("bridge-restart-");
    }

    static Path ledgerDir(ReetikProperties reetik) {
        return reetik.dataDir().resolve("bridge-ledger");
    }

    @Bean
    CommandHandler commandHandler(AgentPort agents, CancellationMarks marks, Clock clock, BridgeLedger ledger) {
        return new CommandHandler(agents, marks, clock, ledger);
    }

    @Bean
    CommandBatches commandBatches(CommandHandler commands, EventOutput out, DeadLetterRecoverer deadLetters,
                                  AgentCalls agentCalls) {
        return new CommandBatches(commands, out, deadLetters, agentCalls.commands());
    }

    @Bean
    BlockHandler blockHandler(AgentPort agents, CancellationMarks marks, Clock clock, BridgeProperties bridge,
                              EventOutput out, BridgeLedger ledger, MeterRegistry registry, ReetikProperties reetik) {
        return new BlockHandler(agents, marks, clock, bridge.maxAttempts(), bridge.retryBackoff(),
                bridge.pollInterval(), bridge.operationDeadline(), out, ledger, registry,
                bridge.rendersAtOnce(agents.startsOperations(), reetik.topics().partitions()));
    }

    @Bean
    AssemblyHandler assemblyHandler(AgentPort agents, Clock clock, EventOutput out, BridgeLedger ledger,
                                    ObjectStore store, ReetikProperties reetik, CancellationMarks marks) {
        return new AssemblyHandler(agents, clock, out, ledger,
                new CaptionFiles(store, AgentsConfiguration.workDir(reetik)), marks);
    }

    @Bean
    BridgeListeners bridgeListeners(CommandBatches commands, BlockTaskBatches batches, AssemblyHandler assembly,
                                    DeadLetterRecoverer deadLetters, BridgeProperties bridge, AgentPort agents,
                                    ReetikProperties reetik) {
        int partitions = reetik.topics().partitions();
        return new BridgeListeners(commands, batches, assembly, deadLetters, agents.startsOperations(),
                bridge.blockWorkers(agents.startsOperations(), partitions),
                bridge.blockListeners(agents.startsOperations(), partitions));
    }

    /**
     * The agent calls of a batch (block tasks: submissions, checks of operations, HTTP calls that answer at once;
     * commands: scripts) are made side by side, {@value #AGENT_CALLS_PER_WORKER} per {@code REETIK_BLOCK_WORKERS}, on
     * two pools ({@link AgentCalls}) shut down when the context closes (after the listeners stopped). Only for agents
     * that start operations: the local preview renders and writes its scripts on its listener threads.
     */
    @Bean
    AgentCalls agentCalls(BridgeProperties bridge, AgentPort agents, ReetikProperties reetik) {
        if (!agents.startsOperations()) {
            return new AgentCalls(null, null);
        }
        int threads = AGENT_CALLS_PER_WORKER * bridge.blockWorkers(true, reetik.topics().partitions());
        return new AgentCalls(Executors.newFixedThreadPool(threads, new CustomizableThreadFactory("bridge-agent-call-")),
                Executors.newFixedThreadPool(threads, new CustomizableThreadFactory("bridge-script-call-")));
    }

    @Bean
    BlockTaskBatches blockTaskBatches(BlockHandler blocks, EventOutput out, DeadLetterRecoverer deadLetters,
                                      KafkaListenerEndpointRegistry registry, ListenerContainerPauseService pauser,
                                      AgentCalls agentCalls, BridgeProperties bridge, Clock clock) {
        return new BlockTaskBatches(blocks, out, deadLetters, registry, pauser, agentCalls.blocks(), clock,
                bridge.pollInterval().dividedBy(20));
    }

    static final int AGENT_CALLS_PER_WORKER = 4;

    /**
     * The containers of the listeners that take a poll's records at once ({@link BridgeListeners#BATCHES}: commands,
     * see {@link CommandBatches}, block tasks, see {@link BlockTaskBatches}, and views): Boot's settings (the
     * transaction manager first), batches acknowledged by the handler, which may leave a batch's tail for later. A
     * batch whose transaction rolls back (a Kafka error: an agent's failure is an outcome, an unreadable record a dead
     * letter in the batch) is sought back and read again after a growing pause, never dead-lettered: its records are
     * fine.
     */
    @Bean(BridgeListeners.BATCHES)
    ConcurrentKafkaListenerContainerFactory<Object, Object> bridgeBatchFactory(
            ConcurrentKafkaListenerContainerFactoryConfigurer configurer, ConsumerFactory<Object, Object> consumers) {
        ConcurrentKafkaListenerContainerFactory<Object, Object> factory = new ConcurrentKafkaListenerContainerFactory<>();
        configurer.configure(factory, consumers);
        factory.setBatchListener(true);
        factory.getContainerProperties().setAckMode(ContainerProperties.AckMode.MANUAL);
        factory.setAfterRollbackProcessor(new DefaultAfterRollbackProcessor<>(kafkaOutageBackOff()));
        return factory;
    }

    /** Resumes paused partitions when their time comes. */
    @Bean(destroyMethod = "shutdown")
    ThreadPoolTaskScheduler bridgeScheduler() {
        return singleThreadScheduler("bridge-resume-");
    }

    private static ThreadPoolTaskScheduler singleThreadScheduler(String threadNamePrefix) {
        ThreadPoolTaskScheduler scheduler = new ThreadPoolTaskScheduler();
        scheduler.setPoolSize(1);
        scheduler.setThreadNamePrefix(threadNamePrefix);
        scheduler.initialize();
        return scheduler;
    }

    @Bean
    ListenerContainerPauseService listenerContainerPauseService(KafkaListenerEndpointRegistry registry,
                                                                ThreadPoolTaskScheduler bridgeScheduler) {
        return new ListenerContainerPauseService(registry, bridgeScheduler);
    }

    @Bean
    DeadLetterRecoverer deadLetterRecoverer(KafkaTemplate<String, byte[]> template, Clock clock) {
        return new DeadLetterRecoverer(template, clock);
    }

    /**
     * After a listener's transaction rolled back: a record that cannot be read goes to the dead letters at
     * once (its offset commits with the dead letter); a bug in handling one record is tried twice more, then
     * dead-lettered, so the stream goes on; a Kafka error (broker unreachable, commit failed) is retried with
     * a growing pause and never dead-lettered, because the record is fine. Waits pause the container instead
     * of sleeping on its thread.
     */
    @Bean
    AfterRollbackProcessor<Object, Object> afterRollbackProcessor(DeadLetterRecoverer recoverer,
                                                                  KafkaTemplate<String, byte[]> template,
                                                                  ListenerContainerPauseService pauser) {
        DefaultAfterRollbackProcessor<Object, Object> processor = new DefaultAfterRollbackProcessor<>(recoverer,
                new FixedBackOff(500, 2), new ContainerPausingBackOffHandler(pauser), template, true);
        processor.addNotRetryableExceptions(MalformedRecordException.class);
        processor.setBackOffFunction((record, exception) ->
                KafkaErrors.isKafkaError(exception) ? kafkaOutageBackOff() : null);
        return processor;
    }

    private static ExponentialBackOff kafkaOutageBackOff() {
        ExponentialBackOff backOff = new ExponentialBackOff(1_000, 2.0);
        backOff.setMaxInterval(30_000);
        return backOff;
    }
}
