package com.reetik.gateway.auth;

import com.reetik.contracts.account.UserAccount;
import com.reetik.gateway.replica.ReplicaNotReadyException;
import com.reetik.gateway.replica.StatusReplica;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.springframework.stereotype.Component;

/**
 * Tokens of deleted accounts stop working at once, although a token is checked by its signature alone: the
 * gateway that deleted the account refuses its user's tokens from then on, and every gateway refuses a token
 * whose account its replica no longer has (or has for another user: the e-mail was registered again), once the
 * token is older than {@link #NEW_TOKEN}. A token younger than that is let through without the replica read: it
 * may come from a registration that this gateway's replica has not seen yet (another gateway answered it), and a
 * deleted account's token that young lives on for that long at most.
 */
@Component
class DeletedAccounts {

    static final String REFUSAL = "This account was deleted.";
    /** How long after its issue a token is trusted without looking its account up. */
    static final Duration NEW_TOKEN = Duration.ofSeconds(60);
    private static final int REMEMBERED = 10_000;

    private final StatusReplica replica;
    private final Clock clock;
    private final Set<String> deletedHere = Collections.synchronizedSet(Collections.newSetFromMap(
            new LinkedHashMap<>(16, 0.75f, false) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
                    return size() > REMEMBERED;
                }
            }));

    DeletedAccounts(StatusReplica replica, Clock clock) {
        this.replica = replica;
        this.clock = clock;
    }

    void deleted(String userId) {
        deletedHere.add(userId);
    }

    boolean deletedHere(String userId) {
        return deletedHere.contains(userId);
    }

    /** Whether the token is old enough for its account to be looked up. */
    boolean mayHaveBeenDeleted(Instant issuedAt) {
        return issuedAt == null || issuedAt.isBefore(clock.instant().minus(NEW_TOKEN));
    }

    /** The replica has no account of the token's e-mail, or one of another user (a blocking read). */
    boolean accountGone(AuthenticatedUser user) {
        try {
            Optional<UserAccount> account = replica.account(user.email());
            return account.isEmpty() || !account.get().userId().equals(user.userId());
        } catch (ReplicaNotReadyException e) {
            return false; // loading: the signature decides, as before the replica existed
        }
    }
}
