package com.reetik.projector;

import com.reetik.contracts.topic.Topics;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Branched;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.state.Stores;

/**
 * The accounts part of the projector's topology: registrations → accounts. The gateway publishes each registration
 * to {@code reetik.registrations}, keyed by e-mail; {@link RegistrationProcessor} makes the first of each e-mail its
 * owner and writes it to {@code reetik.users}, whose only writer the projector is. So {@code reetik.users} never
 * holds two accounts for one e-mail, compaction cannot change which one an e-mail has, and every gateway replica,
 * live or rebuilt from the topic, logs the same user in.
 *
 * <p>Both topics are keyed by e-mail with the same partition count, so the registrations and the account of one
 * e-mail are in the same task, which decides with one store of owners: filled by its decisions, and by
 * {@link AccountProcessor} from {@code reetik.users} (accounts it did not admit, and its state after a reset).
 */
public final class RegistrationTopology {

    /** The owner of each e-mail of the task's partitions, by e-mail (logged, committed with the output). */
    static final String OWNERS_STORE = "email-owners";

    private RegistrationTopology() {
    }

    /**
     * The registrations sub-topology on its own, for the tests of other modules that need accounts decided without
     * the status views (the gateway's). Production runs it inside {@link StatusProjectorTopology#build()}.
     */
    public static Topology build() {
        StreamsBuilder builder = new StreamsBuilder();
        addTo(builder);
        return builder.build();
    }

    static void addTo(StreamsBuilder builder) {
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(OWNERS_STORE),
                Serdes.String(), Topics.USERS.valueSerde()));

        KStream<String, Outcome> decided = builder.stream(Topics.REGISTRATIONS.name(),
                        Consumed.with(Serdes.String(), Serdes.ByteArray()).withName("registrations"))
                .process(() -> new RegistrationProcessor(OWNERS_STORE), Named.as("admit-first-registration"),
                        OWNERS_STORE);
        KStream<String, Outcome> readBack = builder.stream(Topics.USERS.name(),
                        Consumed.with(Serdes.String(), Serdes.ByteArray()).withName("accounts"))
                .process(() -> new AccountProcessor(OWNERS_STORE), Named.as("read-back-account"), OWNERS_STORE);

        decided.merge(readBack, Named.as("owners"))
                .split(Named.as("owner-"))
                .branch((key, outcome) -> outcome instanceof Outcome.Rejected,
                        Branched.withConsumer(rejected -> StatusProjectorTopology.toDeadLetters(rejected,
                                "account-dead-letter", "account-dead-letters"), "rejected"))
                .defaultBranch(Branched.withConsumer(owners -> owners
                        // an owner's account, or the tombstone of a deleted one
                        .mapValues(outcome -> outcome instanceof Outcome.Owner owner ? owner.account() : null,
                                Named.as("account"))
                        .to(Topics.USERS.name(), Produced.with(Topics.USERS.keySerde(), Topics.USERS.valueSerde())
                                .withName("users")), "owner"));
    }
}
