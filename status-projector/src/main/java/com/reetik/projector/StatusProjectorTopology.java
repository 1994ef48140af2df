package com.reetik.projector;

import com.reetik.contracts.status.UserLibrary;
import com.reetik.contracts.status.VideoStatus;
import com.reetik.contracts.topic.Topics;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;
import java.util.Properties;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Branched;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.state.Stores;

/**
 * The projector's topology, a function of nothing but the topics: events → status views (by video)
 * → libraries (re-keyed by user). Unreadable events go to the dead letters.
 */
public final class StatusProjectorTopology {

    public static final String STATUS_STORE = "video-status-store";
    public static final String LIBRARY_STORE = "user-library-store";

    private StatusProjectorTopology() {
    }

    /** The topology, counting status transitions in Micrometer's global registry. */
    public static Topology build() {
        return build(Metrics.globalRegistry);
    }

    /**
     * The topology, counting status transitions ({@code reetik.videos.transitions}) in {@code registry}: the
     * application's registry in production, a {@code SimpleMeterRegistry} in a test.
     */
    public static Topology build(MeterRegistry registry) {
        StreamsBuilder builder = new StreamsBuilder();
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(STATUS_STORE),
                Serdes.String(), Topics.VIDEO_STATUS.valueSerde()));
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(LIBRARY_STORE),
                Serdes.String(), Topics.USER_LIBRARY.valueSerde()));

        KStream<String, Outcome> outcomes = builder
                .stream(Topics.VIDEO_EVENTS.name(), Consumed.with(Serdes.String(), Serdes.ByteArray())
                        .withName("video-events"))
                .process(() -> new VideoStatusProcessor(STATUS_STORE, registry), Named.as("apply-status-machine"), STATUS_STORE);

        outcomes.split(Named.as("outcome-"))
                .branch((key, outcome) -> outcome instanceof Outcome.Rejected, Branched.withConsumer(rejected -> rejected
                        .mapValues(outcome -> ((Outcome.Rejected) outcome).deadLetter(), Named.as("dead-letter"))
                        .to(Topics.DEAD_LETTERS.name(), Produced.with(Topics.DEAD_LETTERS.keySerde(),
                                Topics.DEAD_LETTERS.valueSerde()).withName("dead-letters")), "rejected"))
                .defaultBranch(Branched.withConsumer(updated -> {
                    KStream<String, VideoStatus> views = updated.mapValues(
                            outcome -> ((Outcome.Updated) outcome).view(), Named.as("view"));
                    views.to(Topics.VIDEO_STATUS.name(), Produced.with(Topics.VIDEO_STATUS.keySerde(),
                            Topics.VIDEO_STATUS.valueSerde()).withName("video-status"));
                    KStream<String, UserLibrary> libraries = views
                            .selectKey((videoId, view) -> view.userId(), Named.as("by-user"))
                            .repartition(Repartitioned.with(Serdes.String(), Topics.VIDEO_STATUS.valueSerde())
                                    .withName("views-by-user"))
                            .process(() -> new UserLibraryProcessor(LIBRARY_STORE), Named.as("fold-library"),
                                    LIBRARY_STORE);
                    libraries.to(Topics.USER_LIBRARY.name(), Produced.with(Topics.USER_LIBRARY.keySerde(),
                            Topics.USER_LIBRARY.valueSerde()).withName("user-library"));
                }, "updated"));
        return builder.build();
    }

    /** Streams settings: exactly-once, every change emitted (no cache), explicit threads and state dir. */
    public static Properties streamsConfig(ProjectorSettings settings) {
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, settings.applicationId());
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrapServers());
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        props.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, settings.streamThreads());
        props.put(StreamsConfig.STATE_DIR_CONFIG, settings.stateDir().toAbsolutePath().toString());
        props.put(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG, 0);
        props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 100);
        props.put(StreamsConfig.DEFAULT_KEY_SERDE_CLASS_CONFIG, Serdes.StringSerde.class);
        props.put(StreamsConfig.DEFAULT_VALUE_SERDE_CLASS_CONFIG, Serdes.ByteArraySerde.class);
        if (settings.instanceId() != null) {
            props.put(StreamsConfig.consumerPrefix(org.apache.kafka.clients.consumer.ConsumerConfig.GROUP_INSTANCE_ID_CONFIG),
                    settings.applicationId() + "-" + settings.instanceId());
        }
        return props;
    }
}
