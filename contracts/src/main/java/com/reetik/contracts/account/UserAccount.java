package com.reetik.contracts.account;

import java.time.Instant;

/** A registered user. The password is kept only as a salted PBKDF2 hash. */
public record UserAccount(String userId, String email, String passwordHash, Instant createdAt) {

    /**
     * The header of a tombstone on {@code reetik.registrations} (key: the e-mail) that deletes an account: the user
     * id whose account it deletes (the e-mail's owner only; a tombstone without it, or naming another user, deletes
     * nothing). The projector then writes the account's tombstone on {@code reetik.users}.
     */
    public static final String DELETION_HEADER = "reetik-delete-user-id";

}
