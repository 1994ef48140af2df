package com.reetik.projector;

import static org.assertj.core.api.Assertions.assertThat;

import com.reetik.contracts.account.UserAccount;
import com.reetik.contracts.deadletter.DeadLetter;
import com.reetik.contracts.json.Json;
import com.reetik.contracts.topic.Topics;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Registrations through the projector's whole topology, with its real serdes and settings: the first registration
 * of an e-mail becomes its account on {@code reetik.users}, and nothing after it changes that.
 */
class RegistrationTopologyTest {

    private static final Instant T0 = Instant.parse("2026-02-01T20:36:48Z");

    @TempDir
    Path stateDir;

    private TopologyTestDriver driver;
    private TestInputTopic<String, byte[]> registrations;
    private TestInputTopic<String, byte[]> accountsIn;
    private TestOutputTopic<String, UserAccount> accounts;
    private TestOutputTopic<String, DeadLetter> deadLetters;

    @BeforeEach
    void startDriver() {
        driver = new TopologyTestDriver(StatusProjectorTopology.build(),
                StatusProjectorTopology.streamsConfig(new ProjectorSettings("dummy:9092", "registration-test", stateDir,
                        1, null)));
        registrations = driver.createInputTopic(Topics.REGISTRATIONS.name(), Serdes.String().serializer(),
                Serdes.ByteArray().serializer());
        accountsIn = driver.createInputTopic(Topics.USERS.name(), Serdes.String().serializer(),
                Serdes.ByteArray().serializer());
        accounts = driver.createOutputTopic(Topics.USERS.name(), Serdes.String().deserializer(),
                Topics.USERS.valueSerde().deserializer());
        deadLetters = driver.createOutputTopic(Topics.DEAD_LETTERS.name(), Serdes.String().deserializer(),
                Topics.DEAD_LETTERS.valueSerde().deserializer());
    }

    @AfterEach
    void closeDriver() {
        driver.close();
    }

    private static UserAccount account(String userId, String email, String hash, int second) {
        return new UserAccount(userId, email, hash, T0.plusSeconds(second));
    }

    private void register(UserAccount account) {
        registrations.pipeInput(account.email(), Json.write(account));
    }

    private void deleteAccount(String email, String userId) {
        org.apache.kafka.common.header.internals.RecordHeaders headers =
                new org.apache.kafka.common.header.internals.RecordHeaders();
        if (userId != null) {
            headers.add(UserAccount.DELETION_HEADER, userId.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
        registrations.pipeInput(new org.apache.kafka.streams.test.TestRecord<>(email, null, headers, T0));
    }

    @Test
    void shouldDeleteAnAccountOnlyForItsOwnerAndFreeItsEmail() {
        // Given alice's account
        UserAccount alice = account("u-alice", "alice@example.com", "hash-1", 0);
        register(alice);
        accounts.readKeyValuesToList();

        // When a deletion names another user, or none, Then nothing changes
        deleteAccount("alice@example.com", "u-mallory");
        deleteAccount("alice@example.com", null);
        assertThat(accounts.isEmpty()).isTrue();

        // When alice deletes her account, Then its tombstone is written
        deleteAccount("alice@example.com", "u-alice");
        assertThat(accounts.readKeyValuesToList()).containsExactly(KeyValue.pair("alice@example.com", null));

        // And her e-mail is free: the next registration of it becomes its account
        UserAccount again = account("u-new", "alice@example.com", "hash-2", 60);
        register(again);
        assertThat(accounts.readKeyValuesToList()).containsExactly(KeyValue.pair("alice@example.com", again));
    }

    @Test
    void shouldAdmitOnlyTheFirstRegistrationOfAnEmail() {
        // Given two registrations of one e-mail at once, with other user ids and passwords
        UserAccount first = account("u-first", "alice@example.com", "hash-1", 0);
        UserAccount second = account("u-second", "alice@example.com", "hash-2", 0);
        register(first);
        register(second);

        // Then reetik.users holds exactly one account for the e-mail: the first's
        assertThat(accounts.readKeyValuesToList()).containsExactly(KeyValue.pair("alice@example.com", first));

        // And when a third registers later, and the first's own registration comes again (a producer retry)
        register(account("u-third", "alice@example.com", "hash-3", 60));
        register(first);

        // Then nothing more is written for that e-mail, while another e-mail gets its own account
        UserAccount bob = account("u-bob", "bob@example.com", "hash-4", 61);
        register(bob);
        assertThat(accounts.readKeyValuesToList()).containsExactly(KeyValue.pair("bob@example.com", bob));
        assertThat(deadLetters.isEmpty()).isTrue();
    }

    @Test
    void shouldTakeTheOwnersOwnRegistrationWithAnotherHashAsItsHashMadeAgain() {
        // Given an account whose hash was made with fewer iterations
        UserAccount owner = account("u-dave", "dave@example.com", "pbkdf2_sha256$1000$salt$old", 0);
        register(owner);
        accounts.readValuesToList();

        // When a gateway sends the same account with the hash made again at a login
        register(account("u-dave", "dave@example.com", "pbkdf2_sha256$600000$salt2$new", 3600));

        // Then the account keeps its owner and creation date, with the new hash
        assertThat(accounts.readValuesToList()).containsExactly(
                account("u-dave", "dave@example.com", "pbkdf2_sha256$600000$salt2$new", 0));
        // and another user id's registration of the e-mail still changes nothing
        register(account("u-mallory", "dave@example.com", "pbkdf2_sha256$600000$salt3$mine", 3700));
        assertThat(accounts.isEmpty()).isTrue();
    }

    @Test
    void shouldNotAdmitAnEmailThatAlreadyHasAnAccount() {
        // Given an account already on reetik.users that this projector never admitted (its state was lost, or the
        // account was written before registrations went through the projector)
        UserAccount existing = account("u-old", "carol@example.com", "hash-old", 0);
        accountsIn.pipeInput(existing.email(), Json.write(existing));

        // When the e-mail registers again
        register(account("u-new", "carol@example.com", "hash-new", 10));

        // Then no account is written: the e-mail keeps its owner
        assertThat(accounts.readKeyValuesToList()).isEmpty();
    }

    @Test
    void shouldWriteTheOwnerAgainOverAnAccountWrittenBehindItsBack() {
        // Given an e-mail owned through a registration
        UserAccount owner = account("u-owner", "erin@example.com", "hash-owner", 0);
        register(owner);
        assertThat(accounts.readValuesToList()).containsExactly(owner);

        // When another account of the e-mail is written straight to reetik.users (an older gateway, mid-upgrade)
        accountsIn.pipeInput("erin@example.com", Json.write(account("u-intruder", "erin@example.com", "hash-x", 5)));

        // Then the owner is written again: the last record of the e-mail, the one compaction keeps, is the owner's
        assertThat(accounts.readKeyValuesToList()).containsExactly(KeyValue.pair("erin@example.com", owner));
    }

    @Test
    void shouldSendUnreadableRegistrationsToDeadLettersAndGoOn() {
        // Given a registration that is not JSON, one filed under another e-mail than its own, one with no user id
        registrations.pipeInput("dave@example.com", "{not json".getBytes(StandardCharsets.UTF_8));
        registrations.pipeInput("mallory@example.com", Json.write(account("u-x", "dave@example.com", "h", 0)));
        registrations.pipeInput("dave@example.com", Json.write(account(null, "dave@example.com", "h", 0)));
        // and a good one after them
        UserAccount dave = account("u-dave", "dave@example.com", "hash-dave", 1);
        register(dave);

        // Then the three are dead letters naming why, and the good one is admitted
        List<DeadLetter> letters = deadLetters.readValuesToList();
        assertThat(letters).hasSize(3);
        assertThat(letters).allSatisfy(letter -> {
            assertThat(letter.sourceTopic()).isEqualTo(Topics.REGISTRATIONS.name());
            assertThat(letter.rejectedBy()).isEqualTo("status-projector");
        });
        assertThat(letters.get(0).reason()).contains("not a valid UserAccount");
        assertThat(letters.get(1).reason()).contains("mallory@example.com");
        assertThat(letters.get(2).reason()).contains("user_id");
        assertThat(accounts.readKeyValuesToList()).containsExactly(KeyValue.pair("dave@example.com", dave));
    }
}
