package com.reetik.gateway.video;

import static org.assertj.core.api.Assertions.assertThat;

import com.reetik.contracts.status.VideoRequest;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class PendingVideosTest {

    private static final VideoRequest REQUEST = new VideoRequest("volcans", 36, "informative", "fr", "9:16");

    @Test
    void shouldForgetTheVideosTheReplicaHasWhileAnsweringTheOnesStillOnTheirWay() {
        // Given three videos alice created: a1 listed and viewed by the replica, a2 listed but its view not read yet,
        // a3 not projected at all; and one of bob's
        PendingVideos pending = new PendingVideos(10);
        PendingVideo a1 = video("a1", "alice");
        PendingVideo a2 = video("a2", "alice");
        PendingVideo a3 = video("a3", "alice");
        pending.add(a1);
        pending.add(a2);
        pending.add(a3);
        pending.add(video("b1", "bob"));
        java.util.Set<String> listed = java.util.Set.of("a1", "a2", "b1");
        java.util.Set<String> viewed = java.util.Set.of("a1", "b1");

        // When her next create (or listing) asks which are not listed yet
        java.util.List<PendingVideo> unlisted = pending.unlisted("alice", listed::contains, viewed::contains);

        // Then only a3 counts, a1 is forgotten (the replica answers for it), a2 is kept until its view is read,
        // and bob's are not touched
        assertThat(unlisted).containsExactly(a3);
        assertThat(pending.ofUser("alice")).containsExactly(a2, a3);
        assertThat(pending.get("a1")).isEmpty();
        assertThat(pending.ofUser("bob")).extracting(PendingVideo::videoId).containsExactly("b1");
    }

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
