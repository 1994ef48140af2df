package com.reetik.gateway.video;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.reetik.contracts.status.VideoStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/** The replica's views handed to each video's live streams, never holding the replica's thread. */
class LiveViewsTest {

    private final Sinks.Many<VideoStatus> replica = Sinks.many().multicast().directBestEffort();
    private final Scheduler delivery = Schedulers.newParallel("test-delivery", 2);
    private final LiveViews live = new LiveViews(replica.asFlux(), delivery, null, id -> java.util.Optional.empty());

    @AfterEach
    void stop() {
        live.close();
        delivery.dispose();
    }

    private static VideoStatus view(String videoId, long version) {
        return new VideoStatus(videoId, "u1", version, "generating_parallel", "Génération bloc 1/2", 2, 0, 10,
                Instant.now(), Instant.now(), null, null, null, List.of(), null, null, null);
    }

    @Test
    void shouldTimeOnlyTheViewsThatArriveOnceTheReplicaCaughtUp() {
        // Given the projector path's delay timer of a gateway whose replica is still restoring its views
        io.micrometer.core.instrument.simple.SimpleMeterRegistry registry =
                new io.micrometer.core.instrument.simple.SimpleMeterRegistry();
        java.util.concurrent.atomic.AtomicBoolean caughtUp = new java.util.concurrent.atomic.AtomicBoolean();
        java.util.function.Consumer<VideoStatus> delay = LiveViews.delay(registry, "projector", caughtUp::get);
        VideoStatus restored = new VideoStatus("A", "u1", 3, "completed", "Terminé", 2, 2, 10,
                Instant.now().minus(Duration.ofHours(5)), Instant.now().minus(Duration.ofHours(5)), null, null, null,
                List.of(), null, null, null);

        // When a five-hour-old view is restored, then a fresh one arrives after the replica caught up
        delay.accept(restored);
        caughtUp.set(true);
        delay.accept(view("B", 1));

        // Then only the fresh one is timed: a restart does not show hours of delay on the live dashboards
        io.micrometer.core.instrument.Timer timer = registry.get(LiveViews.DELAY).tag("path", "projector").timer();
        assertThat(timer.count()).isEqualTo(1);
        assertThat(timer.max(TimeUnit.SECONDS)).isLessThan(60);
    }

    @Test
    void shouldNotHoldTheReplicasThreadWhileAStreamIsSlow() throws Exception {
        // Given a stream of video A whose client is stuck (its delivery blocks until the test lets it go)
        CountDownLatch stuck = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Disposable slow = live.of("A").subscribe(view -> {
            stuck.countDown();
            await().atMost(Duration.ofSeconds(30)).until(() -> release.getCount() == 0);
        });
        List<Long> other = new CopyOnWriteArrayList<>();
        Disposable fast = live.of("B").subscribe(view -> other.add(view.version()));

        // When the replica applies a view of A, then of B, on its own thread (here: the test's)
        replica.tryEmitNext(view("A", 1));
        assertThat(stuck.await(10, TimeUnit.SECONDS)).isTrue();
        replica.tryEmitNext(view("A", 2));
        replica.tryEmitNext(view("B", 1));

        // Then that thread went on at once (it is this one), and B's stream got its view while A's is stuck
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(other).containsExactly(1L));
        release.countDown();
        slow.dispose();
        fast.dispose();
    }

    @Test
    void shouldGiveEachStreamOnlyItsVideosViewsAndForgetEndedStreams() {
        // Given two streams of A and one of B
        List<String> seenA1 = new CopyOnWriteArrayList<>();
        List<String> seenA2 = new CopyOnWriteArrayList<>();
        List<String> seenB = new CopyOnWriteArrayList<>();
        Disposable a1 = live.of("A").subscribe(v -> seenA1.add(v.videoId() + v.version()));
        Disposable a2 = live.of("A").subscribe(v -> seenA2.add(v.videoId() + v.version()));
        Disposable b = live.of("B").subscribe(v -> seenB.add(v.videoId() + v.version()));
        assertThat(live.videosFollowed()).isEqualTo(2);

        // When views of A, B and C come, in order
        replica.tryEmitNext(view("A", 1));
        replica.tryEmitNext(view("C", 1));
        replica.tryEmitNext(view("B", 1));
        replica.tryEmitNext(view("A", 2));

        // Then each stream has its video's views, in order, and nothing else
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            assertThat(seenA1).containsExactly("A1", "A2");
            assertThat(seenA2).containsExactly("A1", "A2");
            assertThat(seenB).containsExactly("B1");
        });

        // And once the streams end, nothing is kept for their videos
        a1.dispose();
        a2.dispose();
        b.dispose();
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(live.videosFollowed()).isZero());
    }
}
