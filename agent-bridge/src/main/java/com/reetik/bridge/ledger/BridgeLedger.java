package com.reetik.bridge.ledger;

import com.reetik.contracts.json.JsonSerde;
import com.reetik.contracts.topic.Topics;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.errors.LogAndContinueExceptionHandler;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * The bridge's ledger of what was already done for each video: a Kafka Streams global store (RocksDB under the
 * instance's data directory) of {@link VideoLedger}s, folded from {@code reetik.video-events} read committed. Every
 * bridge instance holds every video's ledger, built from Kafka alone, so it holds across instances and restarts
 * (a restart reads on from its checkpoint; a new instance reads the log from the start).
 *
 * <p>Started before the listener containers, and {@link #start()} returns only once the store has caught up with
 * the end of the log as it was then: no command or task is handled before the ledger shows everything done
 * before the bridge (re)started. What the bridge writes afterwards reaches it within a moment; {@link ReplayGuard}
 * lets run whatever it does not show yet.
 */
public final class BridgeLedger implements VideoLedgers, SmartLifecycle, AutoCloseable {

    static final String STORE = "bridge-video-ledger";

    /** Before the listener containers (Spring Kafka's default phase), so they stop before it too. */
    public static final int PHASE = Integer.MAX_VALUE - 1000;

    private static final Logger log = LoggerFactory.getLogger(BridgeLedger.class);

    private final String bootstrapServers;
    private final String applicationId;
    private final Path stateDir;
    private volatile KafkaStreams streams;
    private volatile ReadOnlyKeyValueStore<String, VideoLedger> store;

    /**
     * @param applicationId unique per bridge instance (each holds a whole ledger of its own)
     * @param stateDir      where the store lives
     */
    public BridgeLedger(String bootstrapServers, String applicationId, Path stateDir) {
        this.bootstrapServers = bootstrapServers;
        this.applicationId = applicationId;
        this.stateDir = stateDir;
    }

    /** One global store, kept by a {@link LedgerUpdater} (which Kafka Streams also runs on restore). */
    public static Topology topology() {
        Topology topology = new Topology();
        topology.addGlobalStore(
                Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(STORE), Serdes.String(),
                        new JsonSerde<>(VideoLedger.class)).withLoggingDisabled(),
                STORE + "-source", Serdes.String().deserializer(), Serdes.ByteArray().deserializer(),
                Topics.VIDEO_EVENTS.name(), STORE + "-updater", () -> new LedgerUpdater(STORE));
        return topology;
    }

    /** Read committed (only what the bridge's transactions committed), one thread, this instance's state dir. */
    public static Properties config(String bootstrapServers, String applicationId, Path stateDir) {
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toAbsolutePath().toString());
        props.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, 1);
        props.put(StreamsConfig.globalConsumerPrefix(ConsumerConfig.ISOLATION_LEVEL_CONFIG), "read_committed");
        props.put(StreamsConfig.globalConsumerPrefix(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG), 50);
        props.put(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG, LogAndContinueExceptionHandler.class);
        return props;
    }

    /** Loads the ledger up to the end of the log; returns when it has (Kafka Streams restores global stores in start). */
    @Override
    public synchronized void start() {
        if (streams != null) {
            return;
        }
        long began = System.nanoTime();
        KafkaStreams candidate = new KafkaStreams(topology(), config(bootstrapServers, applicationId, stateDir));
        try {
            candidate.start();
            store = candidate.store(StoreQueryParameters.fromNameAndType(STORE,
                    QueryableStoreTypes.<String, VideoLedger>keyValueStore()));
        } catch (RuntimeException e) {
            candidate.close(Duration.ofSeconds(10));
            throw e;
        }
        streams = candidate;
        log.info("Bridge ledger {} loaded in {} ms (state in {})", applicationId,
                (System.nanoTime() - began) / 1_000_000, stateDir);
    }

    /**
     * The video's ledger.
     *
     * @throws org.apache.kafka.streams.errors.InvalidStateStoreException (a Kafka error: the listener's record
     *         is taken again after a pause) when the ledger is not running
     */
    @Override
    public Optional<VideoLedger> find(String videoId) {
        ReadOnlyKeyValueStore<String, VideoLedger> s = store;
        if (s == null) {
            throw new org.apache.kafka.streams.errors.InvalidStateStoreException("the bridge ledger is not started");
        }
        return Optional.ofNullable(s.get(videoId));
    }

    /** Whether the ledger is loaded and follows the log (not stopped, not failed). */
    public boolean running() {
        KafkaStreams s = streams;
        return s != null && s.state().isRunningOrRebalancing();
    }

    @Override
    public int getPhase() {
        return PHASE;
    }

    @Override
    public boolean isRunning() {
        return streams != null;
    }

    @Override
    public void stop() {
        close();
    }

    @Override
    public synchronized void close() {
        store = null;
        if (streams != null) {
            streams.close(Duration.ofSeconds(10));
            streams = null;
        }
    }
}
