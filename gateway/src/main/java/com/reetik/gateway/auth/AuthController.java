package com.reetik.gateway.auth;

import com.reetik.contracts.account.UserAccount;
import com.reetik.gateway.command.CommandPublisher;
import com.reetik.gateway.replica.StatusReplica;
import com.reetik.gateway.web.ApiException;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.util.MultiValueMap;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Register and log in. A registration is published to {@code reetik.registrations}; the status projector makes the
 * first registration of each e-mail its account on {@code reetik.users}, and the gateway answers once its replica
 * shows who owns the e-mail: 201 if this registration does, 409 {@code email_taken} if another user id does. Every
 * gateway reads accounts from its replica, so any instance can log anyone in, and all agree on who.
 */
@RestController
@RequestMapping("/api/auth")
class AuthController {

    /** How long a registration waits for the projector's decision to reach the replica (normally well under 1 s). */
    static final Duration ACCOUNT_VISIBLE_WITHIN = Duration.ofSeconds(10);
    private static final Duration POLL = Duration.ofMillis(50);
    private static final String WRONG_CREDENTIALS = "Wrong e-mail or password.";
    private static final Logger log = LoggerFactory.getLogger(AuthController.class);

    private final StatusReplica replica;
    private final CommandPublisher publisher;
    private final PasswordHasher hasher;
    private final JwtTokens tokens;
    private final Clock clock;
    private final DeletedAccounts deleted;

    AuthController(StatusReplica replica, CommandPublisher publisher, PasswordHasher hasher, JwtTokens tokens,
                   Clock clock, DeletedAccounts deleted) {
        this.deleted = deleted;
        this.replica = replica;
        this.publisher = publisher;
        this.hasher = hasher;
        this.tokens = tokens;
        this.clock = clock;
    }

    @PostMapping(path = "/register", consumes = MediaType.APPLICATION_JSON_VALUE)
    Mono<ResponseEntity<TokenResponse>> register(@RequestBody(required = false) Map<String, Object> body) {
        Credentials credentials = Credentials.of(body, "email").validForRegistration();
        if (account(credentials.email()).isPresent()) {
            throw emailTaken();
        }
        return Mono.fromCallable(() -> new UserAccount(UUID.randomUUID().toString(), credentials.email(),
                        hasher.hash(credentials.password()), clock.instant()))
                .subscribeOn(Schedulers.boundedElastic())
                .flatMap(account -> Mono.fromFuture(() -> publisher.register(account))
                        .onErrorMap(e -> {
                            log.warn("Registration of user {} not saved: {}", account.userId(), e.toString());
                            return ApiException.unavailable("unavailable",
                                    "The account could not be saved right now; please try again.");
                        })
                        .then(owner(account))
                        .map(owner -> {
                            if (!owner.userId().equals(account.userId())) {
                                throw emailTaken(); // another registration of the same e-mail came first
                            }
                            return ResponseEntity.status(HttpStatus.CREATED).body(tokenFor(owner));
                        }));
    }

    /**
     * The account of {@code email} as the replica shows it, but for one this gateway has just deleted: the replica
     * shows the deletion a moment later (once the projector has read it), and meanwhile its password must no longer
     * log in nor its e-mail count as taken.
     */
    private Optional<UserAccount> account(String email) {
        return replica.account(email).filter(account -> !deleted.deletedHere(account.userId()));
    }

    /**
     * The e-mail's owner, once the replica shows one (so an immediate login works). If none shows within
     * {@link #ACCOUNT_VISIBLE_WITHIN} (the projector is down or far behind), 503: the registration is not lost, it
     * is decided when the projector reads it, but this request cannot say whether it won.
     */
    private Mono<UserAccount> owner(UserAccount account) {
        // Polled on bounded elastic threads: a replica read may wait for the replica's flush (see GatewayConfiguration).
        return Flux.interval(Duration.ZERO, POLL, Schedulers.boundedElastic())
                .map(tick -> account(account.email()))
                .filter(Optional::isPresent)
                .map(Optional::get)
                .next()
                .timeout(ACCOUNT_VISIBLE_WITHIN, Mono.error(() -> {
                    log.warn("Registration of user {} not decided within {}", account.userId(),
                            ACCOUNT_VISIBLE_WITHIN);
                    return ApiException.unavailable("unavailable",
                            "The registration is taking longer than usual; try logging in in a moment.");
                }));
    }

    @PostMapping(path = "/login", consumes = MediaType.APPLICATION_JSON_VALUE)
    Mono<TokenResponse> login(@RequestBody(required = false) Map<String, Object> body) {
        return login(Credentials.of(body, "email"));
    }

    /** The OAuth2 password form: {@code username} (the e-mail) and {@code password}. */
    @PostMapping(path = "/login", consumes = MediaType.APPLICATION_FORM_URLENCODED_VALUE)
    Mono<TokenResponse> loginForm(ServerWebExchange exchange) {
        return exchange.getFormData().flatMap(form -> login(Credentials.of(single(form), "username")));
    }

    private Mono<TokenResponse> login(Credentials credentials) {
        return Mono.fromCallable(() -> {
                    Optional<UserAccount> account = account(credentials.email());
                    if (account.isEmpty()) {
                        hasher.burnTime(credentials.password());
                        throw ApiException.unauthorized(WRONG_CREDENTIALS);
                    }
                    if (!hasher.matches(credentials.password(), account.get().passwordHash())) {
                        throw ApiException.unauthorized(WRONG_CREDENTIALS);
                    }
                    upgradeHash(account.get(), credentials.password());
                    return tokenFor(account.get());
                })
                .subscribeOn(Schedulers.boundedElastic());
    }

    /**
     * An account whose hash was made with fewer iterations than today's gets a new one, now that the password is
     * known: the same account (user id, e-mail, creation date) with the new hash goes to {@code reetik.registrations},
     * where the projector takes the owner's own registration as a change of hash. Not waited for: the login does not
     * depend on it, and a failed write is tried again at the next login.
     */
    private void upgradeHash(UserAccount account, String password) {
        if (!hasher.needsUpgrade(account.passwordHash())) {
            return;
        }
        UserAccount upgraded = new UserAccount(account.userId(), account.email(), hasher.hash(password),
                account.createdAt());
        publisher.register(upgraded).whenComplete((done, error) -> {
            if (error != null) {
                log.warn("New password hash of user {} not saved (tried again at the next login): {}",
                        account.userId(), error.toString());
            } else {
                log.info("Password hash of user {} upgraded to {} iterations", account.userId(),
                        hasher.iterations());
            }
        });
    }

    private TokenResponse tokenFor(UserAccount account) {
        return TokenResponse.bearer(tokens.issue(account.userId(), account.email()), tokens.lifetime().toSeconds());
    }

    private static Map<String, Object> single(MultiValueMap<String, String> form) {
        Map<String, Object> values = new java.util.HashMap<>();
        form.forEach((name, list) -> {
            if (!list.isEmpty()) {
                values.put(name, list.get(0));
            }
        });
        return values;
    }

    private static ApiException emailTaken() {
        return new ApiException(HttpStatus.CONFLICT, "email_taken", "An account with this e-mail already exists.",
                "email");
    }
}
