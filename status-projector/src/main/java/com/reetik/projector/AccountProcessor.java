package com.reetik.projector;

import com.reetik.contracts.account.UserAccount;
import com.reetik.contracts.json.Json;
import com.reetik.contracts.json.MalformedRecordException;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads {@code reetik.users} back into the owners store that {@link RegistrationProcessor} decides with, so that an
 * e-mail is taken even when this task did not admit its account: accounts written before registrations went
 * through the projector, or read again from the start after the projector's state was reset. Mostly it reads back
 * what it wrote, and does nothing.
 *
 * <p>An account of an e-mail that already has another owner (written by an older gateway, straight to the topic,
 * in a race or during a rolling upgrade) is answered with the owner's account again, so the last record of every
 * e-mail is its owner: what compaction keeps, and what every replica shows. A tombstone frees the e-mail; an
 * account that cannot be read is a dead letter.
 */
final class AccountProcessor implements Processor<String, byte[], String, Outcome> {

    private static final Logger log = LoggerFactory.getLogger(AccountProcessor.class);

    private final String storeName;
    private ProcessorContext<String, Outcome> context;
    private KeyValueStore<String, UserAccount> owners;

    AccountProcessor(String storeName) {
        this.storeName = storeName;
    }

    @Override
    public void init(ProcessorContext<String, Outcome> context) {
        this.context = context;
        owners = context.getStateStore(storeName);
    }

    @Override
    public void process(Record<String, byte[]> record) {
        if (record.key() != null && record.value() == null) {
            owners.delete(record.key());
            return;
        }
        UserAccount account;
        try {
            account = Json.read(record.value(), UserAccount.class);
            if (record.key() == null || !record.key().equals(account.email()) || account.userId() == null) {
                throw new MalformedRecordException("key " + record.key() + " is not the e-mail of an account with a "
                        + "user_id (" + account.email() + ", " + account.userId() + ")");
            }
        } catch (MalformedRecordException e) {
            context.forward(record.withValue((Outcome) Outcome.Rejected.of(context, record, e.getMessage())));
            return;
        }
        UserAccount owner = owners.get(record.key());
        if (owner == null) {
            owners.put(record.key(), account);
        } else if (!owner.userId().equals(account.userId())) {
            log.warn("Account of user {} written over the owner of its e-mail, user {}: the owner's written again",
                    account.userId(), owner.userId());
            context.forward(record.withValue(new Outcome.Owner(owner)));
        }
    }
}
