package com.reetik.gateway.video;

import static org.assertj.core.api.Assertions.assertThat;

import com.reetik.contracts.status.VideoRequest;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class PendingVideosTest {

    private static final VideoRequest REQUEST = new VideoRequest("volcans", 36, "informative", "fr", "9:16");

    @Test
    void shouldFindAUsersPendingVideosAndForgetThemWhenRemovedOrEvicted() {
        // Given room for three, and videos of two users
        PendingVideos pending = new PendingVideos(3);
        PendingVideo a1 = video("a1", "alice");
        PendingVideo a2 = video("a2", "alice");
        PendingVideo b1 = video("b1", "bob");
        pending.add(a1);
        pending.add(a2);
        pending.add(b1);
        assertThat(pending.ofUser("alice")).containsExactly(a1, a2);
        assertThat(pending.get("b1")).contains(b1);

        // When one is removed, and a fourth pushes out the least recently used
        pending.remove(a2);
        pending.get("a1");
        pending.add(video("b2", "bob"));
        pending.add(video("b3", "bob"));

        // Then each user's list follows: a2 removed, b1 evicted (a1 was read more recently)
        assertThat(pending.ofUser("alice")).containsExactly(a1);
        assertThat(pending.ofUser("bob")).extracting(PendingVideo::videoId).containsExactly("b2", "b3");
        assertThat(pending.get("b1")).isEmpty();
        assertThat(pending.size()).isEqualTo(3);
        // and removing a video that another replaced under its id keeps the newer
        PendingVideo again = new PendingVideo("a1", "alice", REQUEST, "key", Instant.parse("2026-02-01T21:00:00Z"));
        pending.add(again);
        pending.remove(a1);
        assertThat(pending.get("a1")).contains(again);
        assertThat(pending.ofUser("alice")).containsExactly(again);
        assertThat(pending.ofUser("nobody")).isEmpty();
    }

    private static PendingVideo video(String id, String user) {
        return new PendingVideo(id, user, REQUEST, null, Instant.parse("2026-02-01T20:36:48Z"));
    }
}
