package com.reetik.contracts.account;

import java.time.Instant;

/** A registered user. The password is kept only as a salted PBKDF2 hash. */
public record UserAccount(String userId, String email, String passwordHash, Instant createdAt) {
}
