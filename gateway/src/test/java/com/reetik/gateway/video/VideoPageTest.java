package com.reetik.gateway.video;

import static org.assertj.core.api.Assertions.assertThat;

import com.reetik.contracts.status.VideoSummary;
import com.reetik.gateway.replica.Library;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * A page of the library merged with the videos just accepted here (not in the replica yet): the same page as
 * sorting everything, reading at most a page plus the pending videos from the library.
 */
class VideoPageTest {

    private static final Instant T0 = Instant.parse("2026-02-01T20:36:48Z");

    @Test
    void shouldMergePendingVideosIntoEveryPageReadingAPageAndThePendingOnly() {
        // Given a library of 2,000 videos and 5 just accepted: some newer than all, some among the others
        Random random = new Random(3);
        List<VideoSummary> listed = new ArrayList<>();
        for (int i = 0; i < 2_000; i++) {
            listed.add(summary("listed_" + i, T0.plusSeconds(random.nextInt(100_000))));
        }
        List<VideoSummary> pending = List.of(summary("pending_new_1", T0.plusSeconds(200_000)),
                summary("pending_new_2", T0.plusSeconds(200_001)), summary("pending_mid", T0.plusSeconds(50_000)),
                summary("pending_old", T0.minusSeconds(5)), summary("pending_tie", listed.get(7).createdAt()));
        FakeLibrary library = new FakeLibrary(listed);
        List<VideoSummary> expected = Stream.concat(listed.stream(), pending.stream())
                .sorted(VideoSummary.NEWEST_FIRST).toList();

        for (int size : List.of(1, 5, 20, 100)) {
            List<VideoSummary> paged = new ArrayList<>();
            for (int page = 0; (long) page * size < expected.size() + size; page++) {
                // When page `page` is read
                library.read = 0;
                VideoPage answer = VideoPage.of(library, pending, page, size);

                // Then it has the total of both, and it read at most a page and the pending from the library
                assertThat(answer.total()).isEqualTo(2_005);
                assertThat(answer.page()).isEqualTo(page);
                assertThat(answer.size()).isEqualTo(size);
                assertThat(library.read).isLessThanOrEqualTo(size + pending.size());
                paged.addAll(answer.videos());
            }
            // And the pages, one after the other, are everything newest first
            assertThat(paged).as("pages of %d", size).isEqualTo(expected);
        }
    }

    @Test
    void shouldListPendingVideosAloneAndAnEmptyPageAfterTheLast() {
        // Given an empty library and two pending videos
        List<VideoSummary> pending = List.of(summary("a", T0), summary("b", T0.plusSeconds(1)));
        FakeLibrary library = new FakeLibrary(List.of());

        // Then the first page lists them newest first, and the next is empty with the same total
        assertThat(VideoPage.of(library, pending, 0, 20)).isEqualTo(new VideoPage(List.of(pending.get(1),
                pending.get(0)), 0, 20, 2));
        assertThat(VideoPage.of(library, pending, 1, 20)).isEqualTo(new VideoPage(List.of(), 1, 20, 2));
        assertThat(VideoPage.of(library, List.of(), 0, 20)).isEqualTo(new VideoPage(List.of(), 0, 20, 0));
    }

    @Test
    void shouldListAVideoOnceWhenItReachedTheLibraryMeanwhile() {
        // Given a pending video that the library holds by the time the page is read
        VideoSummary video = summary("raced", T0);
        FakeLibrary library = new FakeLibrary(List.of(video, summary("older", T0.minusSeconds(1))));

        // Then it is on the page once
        assertThat(VideoPage.of(library, List.of(video), 0, 20).videos()).extracting(VideoSummary::videoId)
                .containsExactly("raced", "older");
    }

    private static VideoSummary summary(String id, Instant createdAt) {
        return new VideoSummary(id, "theme " + id, "queued", "En attente", 0, 0, 0, createdAt, createdAt, null, null,
                null, 1, 8, "fr");
    }

    /** A library over a sorted list, counting the summaries its pages hand out. */
    private static final class FakeLibrary implements Library {
        private final List<VideoSummary> videos;
        int read;

        FakeLibrary(List<VideoSummary> videos) {
            this.videos = videos.stream().sorted(VideoSummary.NEWEST_FIRST).toList();
        }

        @Override
        public long total() {
            return videos.size();
        }

        @Override
        public List<VideoSummary> page(long offset, int limit) {
            List<VideoSummary> page = offset >= videos.size() ? List.of()
                    : videos.subList((int) offset, (int) Math.min(videos.size(), offset + limit));
            read += page.size();
            return page;
        }

        @Override
        public boolean contains(String videoId) {
            return videos.stream().anyMatch(v -> v.videoId().equals(videoId));
        }

        @Override
        public Optional<String> videoIdOf(String idempotencyKey) {
            return Optional.empty();
        }

        @Override
        public long activeVideos() {
            return 0;
        }

        @Override
        public long secondsOn(java.time.LocalDate day) {
            return 0;
        }
    }
}
