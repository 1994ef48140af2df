package com.reetik.gateway.auth;

import com.reetik.contracts.account.UserAccount;
import com.reetik.contracts.command.DeleteVideo;
import com.reetik.contracts.status.VideoSummary;
import com.reetik.gateway.command.CommandPublisher;
import com.reetik.gateway.replica.Library;
import com.reetik.gateway.replica.StatusReplica;
import com.reetik.gateway.web.ApiException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.RequestAttribute;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * {@code DELETE /api/account {"password": …}}: the caller's account and every video of it go. The password is
 * asked again (a stolen token alone cannot delete an account): 400 without it, 403 {@code wrong_password} when it
 * is wrong (not 401, which clients take for an expired session). Then a {@link DeleteVideo} per video of the
 * library (each deleted as {@code DELETE /api/videos/{id}} deletes it: files, views, Firestore), and the account's
 * deletion on {@code reetik.registrations}, which the projector turns into the account's tombstone; the user's
 * tokens are refused from then on ({@link DeletedAccounts}). 204 once all of it is durably published.
 *
 * <p>A video accepted just before (its summary not yet in this gateway's replica), or by another gateway with a
 * token younger than {@link DeletedAccounts#NEW_TOKEN}, is not in the library when it is read. So the library is
 * read again {@code reetik.gateway.account-deletion-follow-up} later (90 s: past that token age and the replica's
 * lag), and every video found then is deleted too. A gateway stopped within that time does not do it (logged).
 */
@RestController
class AccountController implements org.springframework.beans.factory.DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(AccountController.class);
    private static final int PAGE = 500;

    private final StatusReplica replica;
    private final CommandPublisher publisher;
    private final PasswordHasher hasher;
    private final DeletedAccounts deleted;
    private final Clock clock;
    private final Duration followUp;
    private final ScheduledExecutorService followUps = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "account-deletion-follow-up");
        thread.setDaemon(true);
        return thread;
    });

    AccountController(StatusReplica replica, CommandPublisher publisher, PasswordHasher hasher, DeletedAccounts deleted,
                      Clock clock, com.reetik.gateway.GatewaySettings settings) {
        this.replica = replica;
        this.publisher = publisher;
        this.hasher = hasher;
        this.deleted = deleted;
        this.clock = clock;
        this.followUp = settings.accountDeletionFollowUp();
    }

    @Override
    public void destroy() {
        List<Runnable> pending = followUps.shutdownNow();
        if (!pending.isEmpty()) {
            log.warn("{} account deletions not followed up (the gateway stops): a video accepted in their last"
                    + " seconds may remain", pending.size());
        }
    }

    @DeleteMapping("/api/account")
    Mono<ResponseEntity<Void>> delete(@RequestAttribute(AuthenticatedUser.ATTRIBUTE) AuthenticatedUser user,
                                      @RequestBody(required = false) Map<String, Object> body) {
        Object password = body == null ? null : body.get("password");
        if (!(password instanceof String given) || given.isEmpty()) {
            throw ApiException.invalid("password", "Your password is required to delete your account.");
        }
        return Mono.fromCallable(() -> {
                    Optional<UserAccount> account = replica.account(user.email());
                    if (account.isEmpty() || !account.get().userId().equals(user.userId())) {
                        throw ApiException.unauthorized(DeletedAccounts.REFUSAL);
                    }
                    if (!hasher.matches(given, account.get().passwordHash())) {
                        throw new ApiException(HttpStatus.FORBIDDEN, "wrong_password",
                                "The password is wrong; the account was not deleted.", "password");
                    }
                    return account.get();
                })
                .subscribeOn(Schedulers.boundedElastic())
                .flatMap(account -> deleteEverything(account)
                        .onErrorMap(e -> !(e instanceof ApiException), e -> {
                            log.warn("Deletion of the account of user {} not recorded: {}", account.userId(), e.toString());
                            return ApiException.unavailable("unavailable",
                                    "The account could not be deleted right now; please try again.");
                        }))
                .thenReturn(ResponseEntity.noContent().build());
    }

    /** The videos' deletions, then (once they are durable) the account's. */
    private Mono<Void> deleteEverything(UserAccount account) {
        List<String> videos = libraryOf(account.userId());
        CompletableFuture<?>[] sent = videos.stream().map(id -> publisher.publish(new DeleteVideo(
                UUID.randomUUID().toString(), id, account.userId(), clock.instant()))).toArray(CompletableFuture[]::new);
        return Mono.fromFuture(CompletableFuture.allOf(sent))
                // The sends' futures complete on the producer's own I/O thread: the next send must not start there,
                // or its wait for the topic's metadata (which that thread fetches) blocks it until max.block.ms
                // (seen: the first deletion after a restart timed out, the registrations topic "not in metadata").
                .publishOn(Schedulers.boundedElastic())
                .then(Mono.fromFuture(() -> publisher.deleteAccount(account)))
                .doOnSuccess(ok -> {
                    deleted.deleted(account.userId());
                    log.info("Account of user {} deleted with its {} videos", account.userId(), videos.size());
                    followUps.schedule(() -> deleteStragglers(account.userId(), videos), followUp.toMillis(),
                            TimeUnit.MILLISECONDS);
                });
    }

    /** Deletes the videos of a deleted account that its library shows now and did not at its deletion. */
    private void deleteStragglers(String userId, List<String> alreadyDeleted) {
        try {
            List<String> late = libraryOf(userId).stream().filter(id -> !alreadyDeleted.contains(id)).toList();
            for (String id : late) {
                publisher.publish(new DeleteVideo(UUID.randomUUID().toString(), id, userId, clock.instant()))
                        .whenComplete((ok, error) -> {
                            if (error != null) {
                                log.warn("Video {} of deleted user {} not deleted: {}", id, userId, error.toString());
                            }
                        });
            }
            if (!late.isEmpty()) {
                log.info("Deleted user {}: {} videos accepted around the account's deletion deleted too: {}", userId,
                        late.size(), late);
            }
        } catch (RuntimeException e) {
            log.warn("Follow-up of the deletion of user {} failed: {}", userId, e.toString());
        }
    }

    private List<String> libraryOf(String userId) {
        List<String> videos = new ArrayList<>();
        Library library = replica.library(userId);
        for (long offset = 0; ; offset += PAGE) {
            List<VideoSummary> page = library.page(offset, PAGE);
            page.forEach(v -> videos.add(v.videoId()));
            if (page.size() < PAGE) {
                break;
            }
        }
        return videos;
    }
}
