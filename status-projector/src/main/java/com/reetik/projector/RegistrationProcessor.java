package com.reetik.projector;

import com.reetik.contracts.account.UserAccount;
import com.reetik.contracts.json.Json;
import com.reetik.contracts.json.MalformedRecordException;
import java.util.Locale;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides who owns an e-mail: the first registration of it, in partition order, becomes its owner (put in the
 * store and forwarded, to be written to {@code reetik.users}); every later one, whatever its password or user id,
 * is dropped, and the gateway that sent it answers 409 when it sees another user id own the e-mail. The owner's own
 * user id with another password hash is the same account with its hash made again (see the gateway's login). All
 * registrations of an e-mail are in one partition (the key is the e-mail), so one task decides them all, one after
 * the other, and the store is updated before the next is read: it never waits for the account to be read back.
 * A registration that cannot be read, or is filed under another key than its e-mail, is a dead letter.
 */
final class RegistrationProcessor implements Processor<String, byte[], String, Outcome> {

    private static final Logger log = LoggerFactory.getLogger(RegistrationProcessor.class);

    private final String storeName;
    private ProcessorContext<String, Outcome> context;
    private KeyValueStore<String, UserAccount> owners;

    RegistrationProcessor(String storeName) {
        this.storeName = storeName;
    }

    @Override
    public void init(ProcessorContext<String, Outcome> context) {
        this.context = context;
        owners = context.getStateStore(storeName);
    }

    @Override
    public void process(Record<String, byte[]> record) {
        if (record.value() == null) {
            deleteIfOwner(record); // a tombstone proposes no account; with the owner's user id, it deletes it
            return;
        }
        UserAccount proposed;
        try {
            proposed = read(record);
        } catch (MalformedRecordException e) {
            context.forward(record.withValue((Outcome) Outcome.Rejected.of(context, record, e.getMessage())));
            return;
        }
        UserAccount owner = owners.get(proposed.email());
        if (owner == null) {
            owners.put(proposed.email(), proposed);
            context.forward(record.withValue(new Outcome.Owner(proposed)));
        } else if (!owner.userId().equals(proposed.userId())) {
            log.info("Registration of user {} refused: its e-mail belongs to user {}", proposed.userId(),
                    owner.userId());
        } else if (!owner.passwordHash().equals(proposed.passwordHash())) {
            // The owner's own account with a new hash: a gateway made it again at a login, with today's iteration
            // count (only a gateway that just checked the password sends it, and user ids are never chosen by
            // clients). The account stays the owner's, with its first creation date.
            UserAccount upgraded = new UserAccount(owner.userId(), owner.email(), proposed.passwordHash(),
                    owner.createdAt());
            owners.put(owner.email(), upgraded);
            context.forward(record.withValue(new Outcome.Owner(upgraded)));
        }
        // else: the owner's own registration again (a producer retry): its account is written already
    }

    /**
     * A tombstone naming, in {@link UserAccount#DELETION_HEADER}, the user who owns the e-mail (the gateway sends it
     * once the user confirmed with their password) deletes the account; any other tombstone is ignored.
     */
    private void deleteIfOwner(Record<String, byte[]> record) {
        org.apache.kafka.common.header.Header header = record.headers().lastHeader(UserAccount.DELETION_HEADER);
        if (record.key() == null || header == null || header.value() == null) {
            return;
        }
        String userId = new String(header.value(), java.nio.charset.StandardCharsets.UTF_8);
        UserAccount owner = owners.get(record.key());
        if (owner == null || !owner.userId().equals(userId)) {
            log.info("Deletion of the account of user {} ignored: it does not own that e-mail", userId);
            return;
        }
        owners.delete(record.key());
        context.forward(new Record<>(record.key(), (Outcome) new Outcome.AccountDeleted(userId), record.timestamp()));
        log.info("Account of user {} deleted: its e-mail is free again", userId);
    }

    private static UserAccount read(Record<String, byte[]> record) {
        UserAccount account = Json.read(record.value(), UserAccount.class);
        if (account.email() == null || !account.email().equals(account.email().trim().toLowerCase(Locale.ROOT))) {
            throw new MalformedRecordException("the e-mail " + account.email() + " is not trimmed and lower-cased");
        }
        if (!account.email().equals(record.key())) {
            throw new MalformedRecordException("key " + record.key() + " is not the registration's e-mail "
                    + account.email());
        }
        if (account.userId() == null || account.userId().isBlank()) {
            throw new MalformedRecordException("the registration of " + account.email() + " has no user_id");
        }
        if (account.passwordHash() == null || account.passwordHash().isBlank()) {
            throw new MalformedRecordException("the registration of " + account.email() + " has no password_hash");
        }
        return account;
    }
}
