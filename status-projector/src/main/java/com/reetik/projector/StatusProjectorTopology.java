package com.reetik.projector;

import com.reetik.contracts.event.VideoEvent;
import com.reetik.contracts.status.VideoStatus;
import com.reetik.contracts.topic.Topics;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;
import java.time.Duration;
import java.util.Properties;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Branched;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.state.Stores;

/**
 * The projector's topology, a function of nothing but the topics, in three sub-topologies: events → status views
 * (by video, in a store), views → library summaries (read back from {@code reetik.video-status}, one record
 * per video keyed {@code user_id/video_id}, no store), and registrations → accounts ({@link RegistrationTopology}:
 * the first registration of each e-mail becomes its account). No record or store entry holds more than one video,
 * so none grows with the number of a user's videos. Unreadable records go to the dead letters.
 *
 * <p>Summaries are derived from the views topic rather than from the views in flight: the topic is compacted and
 * holds every video's latest view, so a projector started on it with no committed offset (a new cluster, or an
 * upgrade from the whole-library {@code reetik.user-library}) writes every existing video's summary.
 */
public final class StatusProjectorTopology {

    public static final String STATUS_STORE = "video-status-store";
    /** Last event time of each video still running (video_id → epoch ms), for the stall check. */
    public static final String ACTIVITY_STORE = "video-activity-store";
    /** {@code REETIK_STALL_TIMEOUT}'s default. */
    public static final Duration DEFAULT_STALL_TIMEOUT = Duration.ofMinutes(30);

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
        return build(registry, DEFAULT_STALL_TIMEOUT);
    }

    /**
     * @param stallTimeout {@code REETIK_STALL_TIMEOUT}: a video with no event for this long fails with
     *                     {@code operation_timeout} (see {@link VideoStatusProcessor}); zero: never
     */
    public static Topology build(MeterRegistry registry, Duration stallTimeout) {
        StreamsBuilder builder = new StreamsBuilder();
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(STATUS_STORE),
                Serdes.String(), Topics.VIDEO_STATUS.valueSerde()));
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(ACTIVITY_STORE),
                Serdes.String(), Serdes.Long()));

        builder.stream(Topics.VIDEO_EVENTS.name(), Consumed.with(Serdes.String(), Serdes.ByteArray())
                        .withName("video-events"))
                .process(() -> new VideoStatusProcessor(STATUS_STORE, ACTIVITY_STORE, stallTimeout, registry),
                        Named.as("apply-status-machine"), STATUS_STORE, ACTIVITY_STORE)
                .split(Named.as("outcome-"))
                .branch((key, outcome) -> outcome instanceof Outcome.Rejected,
                        Branched.withConsumer(rejected -> toDeadLetters(rejected, "dead-letter", "dead-letters"), "rejected"))
                .branch((key, outcome) -> outcome instanceof Outcome.Deleted,
                        Branched.withConsumer(deleted -> deleted
                                .mapValues(outcome -> (VideoStatus) null, Named.as("view-tombstone"))
                                .to(Topics.VIDEO_STATUS.name(), Produced.with(Topics.VIDEO_STATUS.keySerde(),
                                        Topics.VIDEO_STATUS.valueSerde()).withName("video-status-tombstones")),
                                "deleted"))
                .branch((key, outcome) -> outcome instanceof Outcome.Stalled,
                        Branched.withConsumer(stalled -> stalled
                                .mapValues(outcome -> (VideoEvent) ((Outcome.Stalled) outcome).failure(),
                                        Named.as("stall-failure"))
                                .to(Topics.VIDEO_EVENTS.name(), Produced.with(Topics.VIDEO_EVENTS.keySerde(),
                                        Topics.VIDEO_EVENTS.valueSerde()).withName("stall-failures")), "stalled"))
                .defaultBranch(Branched.withConsumer(updated -> updated
                        .mapValues(outcome -> ((Outcome.Updated) outcome).view(), Named.as("view"))
                        .to(Topics.VIDEO_STATUS.name(), Produced.with(Topics.VIDEO_STATUS.keySerde(),
                                Topics.VIDEO_STATUS.valueSerde()).withName("video-status")), "updated"));

        builder.stream(Topics.VIDEO_STATUS.name(), Consumed.with(Serdes.String(), Serdes.ByteArray())
                        .withName("views"))
                .process(VideoSummaryProcessor::new, Named.as("summarize"))
                .split(Named.as("summary-"))
                .branch((key, outcome) -> outcome instanceof Outcome.Rejected,
                        Branched.withConsumer(rejected -> toDeadLetters(rejected, "view-dead-letter", "view-dead-letters"), "rejected"))
                .defaultBranch(Branched.withConsumer(summarized -> summarized
                        .mapValues(outcome -> ((Outcome.Summarized) outcome).summary(), Named.as("summary"))
                        .to(Topics.VIDEO_SUMMARIES.name(), Produced.with(Topics.VIDEO_SUMMARIES.keySerde(),
                                Topics.VIDEO_SUMMARIES.valueSerde()).withName("video-summaries")), "summarized"));

        RegistrationTopology.addTo(builder);
        return builder.build();
    }

    static void toDeadLetters(KStream<String, Outcome> rejected, String mapName, String sinkName) {
        rejected.mapValues(outcome -> ((Outcome.Rejected) outcome).deadLetter(), Named.as(mapName))
                .to(Topics.DEAD_LETTERS.name(), Produced.with(Topics.DEAD_LETTERS.keySerde(),
                        Topics.DEAD_LETTERS.valueSerde()).withName(sinkName));
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
        // A transaction's offsets (TxnOffsetCommit) or first write to a partition whose previous transaction's markers
        // are still being written is answered CONCURRENT_TRANSACTIONS (transactions v2, Kafka 4's default) and sent
        // again after retry.backoff.ms: by default 100 ms, paid by most commits of a busy projector. The markers take
        // milliseconds; 10 ms (doubling up to retry.backoff.max.ms for other retriable errors) lets it through sooner.
        props.put(StreamsConfig.producerPrefix(ProducerConfig.RETRY_BACKOFF_MS_CONFIG), 10);
        props.put(StreamsConfig.DEFAULT_KEY_SERDE_CLASS_CONFIG, Serdes.StringSerde.class);
        props.put(StreamsConfig.DEFAULT_VALUE_SERDE_CLASS_CONFIG, Serdes.ByteArraySerde.class);
        // The group leader asks the brokers for the changelogs' end offsets before it hands out tasks; when a broker
        // has just died, that call can wait on it for the admin client's whole default of 60 s while no view moves
        // (seen in the services drill: a projector and a broker killed, the survivor's assignment took 60 s). Streams
        // assigns anyway when the call fails and rebalances again later, so a shorter wait only ends the stall sooner.
        props.put(StreamsConfig.adminClientPrefix(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG), 10_000);
        props.put(StreamsConfig.adminClientPrefix(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG), 15_000);
        if (settings.instanceId() != null) {
            props.put(StreamsConfig.consumerPrefix(org.apache.kafka.clients.consumer.ConsumerConfig.GROUP_INSTANCE_ID_CONFIG),
                    settings.applicationId() + "-" + settings.instanceId());
        }
        props.putAll(settings.streamsOverrides());
        return props;
    }
}
