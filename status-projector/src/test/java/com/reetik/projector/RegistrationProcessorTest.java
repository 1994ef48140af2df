package com.reetik.projector;

import static org.assertj.core.api.Assertions.assertThat;

import com.reetik.contracts.account.UserAccount;
import com.reetik.contracts.json.Json;
import com.reetik.contracts.topic.Topics;
import java.time.Instant;
import java.util.List;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The processor alone, its store in memory, nothing read back from {@code reetik.users}: it decides from what it
 * decided before, without waiting for its accounts to come back.
 */
class RegistrationProcessorTest {

    private static final Instant T0 = Instant.parse("2026-02-01T20:36:48Z");

    private MockProcessorContext<String, Outcome> context;
    private KeyValueStore<String, UserAccount> owners;
    private RegistrationProcessor processor;

    @BeforeEach
    void init() {
        context = new MockProcessorContext<>();
        owners = store(RegistrationTopology.OWNERS_STORE);
        processor = new RegistrationProcessor(RegistrationTopology.OWNERS_STORE);
        processor.init(context);
    }

    private KeyValueStore<String, UserAccount> store(String name) {
        KeyValueStore<String, UserAccount> store = Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(name),
                Serdes.String(), Topics.USERS.valueSerde()).withLoggingDisabled().build();
        store.init(context.getStateStoreContext(), store);
        context.addStateStore(store);
        return store;
    }

    private void register(String userId, String email) {
        processor.process(new Record<>(email, Json.write(new UserAccount(userId, email, "hash-" + userId, T0)),
                T0.toEpochMilli()));
    }

    private List<String> admittedUserIds() {
        return context.forwarded().stream()
                .map(forward -> ((Outcome.Owner) forward.record().value()).account().userId())
                .toList();
    }

    @Test
    void shouldRefuseASecondRegistrationBeforeTheFirstAccountIsReadBack() {
        // Given a first registration admitted, its account not read back from reetik.users
        register("u-first", "alice@example.com");

        // When a second registration of the e-mail comes right after it
        register("u-second", "alice@example.com");

        // Then only the first is admitted, and it owns the e-mail
        assertThat(admittedUserIds()).containsExactly("u-first");
        assertThat(owners.get("alice@example.com").userId()).isEqualTo("u-first");
    }
}
