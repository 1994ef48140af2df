package com.reetik.gateway.replica;

import com.reetik.contracts.account.UserAccount;
import com.reetik.contracts.status.VideoStatus;
import com.reetik.contracts.status.VideoSummary;
import com.reetik.contracts.topic.EventPosition;
import com.reetik.contracts.topic.Topic;
import com.reetik.contracts.topic.Topics;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.function.BiPredicate;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.Serdes;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.errors.LogAndContinueExceptionHandler;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;

/**
 * The gateway's own replica of what the projector publishes: video views, users' libraries (an index of the
 * video summaries, {@link LibraryIndex}), and the accounts. Global stores in RocksDB (on disk, not in memory),
 * fed by {@code read_committed} consumers, so the gateway only ever shows committed views. Every accepted
 * view is also pushed to {@link #videoUpdates()} for the SSE streams. With a {@link MeterRegistry}, the Kafka
 * client metrics of the running instance are bound to it ({@code kafka.consumer.fetch.manager.records.lag.max}
 * of the global consumer: how far the replica is behind the projector).
 */
public final class StatusReplica implements AutoCloseable, org.springframework.context.SmartLifecycle {

    static final String VIDEO_STORE = "replica-video-status";
    static final String LIBRARY_STORE = "replica-libraries";
    static final String ACCOUNT_STORE = "replica-users";

    private static final Logger log = LoggerFactory.getLogger(StatusReplica.class);

    private final ReplicaSettings settings;
    private final MeterRegistry registry;
    private final Sinks.Many<ProjectedView> updates = Sinks.many().multicast().directBestEffort();
    /** The latest view of each video not in a terminal status, with its event position (see {@link #inFlight}). */
    private final java.util.concurrent.ConcurrentHashMap<String, ProjectedView> inFlight =
            new java.util.concurrent.ConcurrentHashMap<>();
    private KafkaStreams streams;
    private KafkaStreamsMetrics streamsMetrics;

    public StatusReplica(ReplicaSettings settings) {
        this(settings, null);
    }

    /** @param registry where the Kafka client metrics go; null: nowhere */
    public StatusReplica(ReplicaSettings settings, MeterRegistry registry) {
        this.settings = settings;
        this.registry = registry;
    }

    /**
     * The replica's topology: three global stores, the views and the accounts each kept by a
     * {@link ReplicaUpdater}, the libraries by a {@link LibraryUpdater}. ({@code Topology#addGlobalStore} runs
     * the updaters on restore too, so the library index is rebuilt through the same code.)
     */
    static Topology topology(ReplicaUpdater.Listener<VideoStatus> onVideo) {
        Topology topology = new Topology();
        addStore(topology, VIDEO_STORE, Topics.VIDEO_STATUS, (a, b) -> a.version() > b.version(), onVideo);
        topology.addGlobalStore(
                Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(LIBRARY_STORE), Serdes.String(),
                        Serdes.ByteArray()).withLoggingDisabled(),
                LIBRARY_STORE + "-source", Serdes.String().deserializer(),
                Topics.VIDEO_SUMMARIES.valueSerde().deserializer(), Topics.VIDEO_SUMMARIES.name(),
                LIBRARY_STORE + "-updater", () -> new LibraryUpdater(LIBRARY_STORE));
        // Accounts: each record replaces the last, as compaction does. The projector writes only one account per
        // e-mail, and writes the owner again over any other, so the last record of an e-mail is its owner.
        addStore(topology, ACCOUNT_STORE, Topics.USERS, (a, b) -> true, (key, v, headers) -> { });
        return topology;
    }

    private static <V> void addStore(Topology topology, String store, Topic<String, V> topic,
                                     BiPredicate<V, V> newer, ReplicaUpdater.Listener<V> listener) {
        topology.addGlobalStore(
                Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(store), Serdes.String(), topic.valueSerde())
                        .withLoggingDisabled(),
                store + "-source", Serdes.String().deserializer(), topic.valueSerde().deserializer(), topic.name(),
                store + "-updater", () -> new ReplicaUpdater<>(store, newer, listener));
    }

    static Properties config(ReplicaSettings settings) {
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, settings.applicationId());
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrapServers());
        props.put(StreamsConfig.STATE_DIR_CONFIG, settings.stateDir().toAbsolutePath().toString());
        props.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, 1);
        props.put(StreamsConfig.globalConsumerPrefix(ConsumerConfig.ISOLATION_LEVEL_CONFIG), "read_committed");
        props.put(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG, LogAndContinueExceptionHandler.class);
        props.put(StreamsConfig.globalConsumerPrefix(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG), 50);
        return props;
    }

    /**
     * Starts loading the replica in the background; {@link #ready()} says when it has caught up. Started
     * with the application context, after Spring's {@code KafkaAdmin} created missing topics. While the
     * topics do not exist yet (a gateway started before any service created them on a new cluster) it
     * tries again every 2 s instead of failing the gateway.
     */
    @Override
    public synchronized void start() {
        if (streams != null || starter != null) {
            return;
        }
        closed = false;
        starter = new Thread(this::startUntilRunning, "status-replica-start");
        starter.setDaemon(true);
        starter.start();
    }

    private volatile boolean closed;
    private Thread starter;

    private void startUntilRunning() {
        while (!closed) {
            KafkaStreams candidate = new KafkaStreams(topology(this::publish), config(settings));
            try {
                candidate.start();
                synchronized (this) {
                    if (closed) {
                        candidate.close(Duration.ofSeconds(10));
                        return;
                    }
                    streams = candidate;
                    if (registry != null) {
                        streamsMetrics = new KafkaStreamsMetrics(candidate);
                        streamsMetrics.bindTo(registry);
                    }
                }
                log.info("Status replica {} starting (state in {})", settings.applicationId(), settings.stateDir());
                return;
            } catch (RuntimeException e) {
                candidate.close(Duration.ofSeconds(5));
                log.warn("Status replica {} cannot start yet ({}); trying again in 2 s", settings.applicationId(),
                        e.getMessage());
                try {
                    Thread.sleep(2_000);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    @Override
    public void stop() {
        close();
    }

    @Override
    public boolean isRunning() {
        return starter != null && !closed;
    }

    private void publish(String videoId, VideoStatus view, Headers headers) {
        if (view == null) {
            inFlight.remove(videoId); // a deleted video
            return;
        }
        ProjectedView projected = new ProjectedView(view, EventPosition.of(headers).orElse(null));
        if (view.terminal()) {
            inFlight.remove(view.videoId());
        } else {
            inFlight.put(view.videoId(), projected);
        }
        synchronized (updates) {
            updates.tryEmitNext(projected);
        }
    }

    /**
     * The latest view of a video still running, with the position of its last event, as the replica applied it
     * (kept in memory for running videos only: what the live path starts a fold from); empty once it ended.
     */
    public Optional<ProjectedView> inFlight(String videoId) {
        return Optional.ofNullable(inFlight.get(videoId));
    }

    /** Whether the replica has caught up with its topics and answers reads. */
    public boolean ready() {
        KafkaStreams s = streams;
        return s != null && s.state() == KafkaStreams.State.RUNNING;
    }

    /** Waits until {@link #ready()}, at most {@code timeout}. */
    public boolean awaitReady(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!ready()) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(50);
        }
        return true;
    }

    public Optional<VideoStatus> video(String videoId) {
        return get(VIDEO_STORE, videoId);
    }

    /**
     * Every video's view that {@code wanted} keeps (a full scan of the local store: for periodic sweeps such as
     * the retention, never on a request); empty before the replica started.
     */
    public List<VideoStatus> videos(java.util.function.Predicate<VideoStatus> wanted) {
        ReadOnlyKeyValueStore<String, VideoStatus> store = store(VIDEO_STORE);
        if (store == null) {
            return List.of();
        }
        return whenReady(() -> {
            List<VideoStatus> kept = new java.util.ArrayList<>();
            try (org.apache.kafka.streams.state.KeyValueIterator<String, VideoStatus> all = store.all()) {
                all.forEachRemaining(entry -> {
                    if (entry.value != null && wanted.test(entry.value)) {
                        kept.add(entry.value);
                    }
                });
            }
            return kept;
        });
    }

    /**
     * The user's library, read by page: each call reads a bounded number of entries, however many videos the
     * user has. Before the replica started, an empty library.
     */
    public Library library(String userId) {
        ReadOnlyKeyValueStore<String, byte[]> store = store(LIBRARY_STORE);
        if (store == null || userId == null) {
            return Library.empty();
        }
        Library library = LibraryIndex.of(store, userId);
        return new Library() {
            @Override
            public long total() {
                return whenReady(library::total);
            }

            @Override
            public List<VideoSummary> page(long offset, int limit) {
                return whenReady(() -> library.page(offset, limit));
            }

            @Override
            public boolean contains(String videoId) {
                return whenReady(() -> library.contains(videoId));
            }

            @Override
            public Optional<String> videoIdOf(String idempotencyKey) {
                return whenReady(() -> library.videoIdOf(idempotencyKey));
            }

            @Override
            public long activeVideos() {
                return whenReady(library::activeVideos);
            }

            @Override
            public long secondsOn(java.time.LocalDate day) {
                return whenReady(() -> library.secondsOn(day));
            }
        };
    }

    public Optional<UserAccount> account(String email) {
        return get(ACCOUNT_STORE, email);
    }

    /** Every view the replica accepts from now on (hot: no replay). */
    public Flux<VideoStatus> videoUpdates() {
        return updates.asFlux().map(ProjectedView::view);
    }

    /** {@link #videoUpdates()} with the position of each view's last event. */
    public Flux<ProjectedView> projectedViews() {
        return updates.asFlux();
    }

    private <V> Optional<V> get(String name, String key) {
        ReadOnlyKeyValueStore<String, V> store = store(name);
        if (store == null || key == null) {
            return Optional.empty();
        }
        return whenReady(() -> Optional.ofNullable(store.get(key)));
    }

    /** A store of the running replica, or null before it started. */
    private <V> ReadOnlyKeyValueStore<String, V> store(String name) {
        KafkaStreams s = streams;
        if (s == null) {
            return null;
        }
        return whenReady(() -> s.store(
                StoreQueryParameters.fromNameAndType(name, QueryableStoreTypes.<String, V>keyValueStore())));
    }

    /** A read of the stores; while they load (or reload), a {@link ReplicaNotReadyException}. */
    private static <T> T whenReady(Supplier<T> read) {
        try {
            return read.get();
        } catch (InvalidStateStoreException e) {
            throw new ReplicaNotReadyException("the status replica is not ready yet: " + e.getMessage());
        }
    }

    @Override
    public synchronized void close() {
        closed = true;
        starter = null;
        if (streams != null) {
            streams.close(Duration.ofSeconds(10));
            streams = null;
        }
        if (streamsMetrics != null) {
            streamsMetrics.close();
            streamsMetrics = null;
        }
        updates.tryEmitComplete();
    }
}
