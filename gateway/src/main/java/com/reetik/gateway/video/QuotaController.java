package com.reetik.gateway.video;

import com.reetik.gateway.auth.AuthenticatedUser;
import java.time.Instant;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestAttribute;
import org.springframework.web.bind.annotation.RestController;

/** {@code GET /api/quota}: what the caller has used of their quotas, and what is left. */
@RestController
class QuotaController {

    /** One limit: used, the limit, what is left. */
    record Counter(long used, long limit, long left) {
        static Counter of(long used, long limit) {
            return new Counter(used, limit, Math.max(0, limit - used));
        }
    }

    /** The answer: videos in flight, and seconds asked for today (UTC) with when that count starts again. */
    record Quota(Counter activeVideos, Counter dailySeconds, Instant dailyResetsAt) {
    }

    private final VideoService videos;

    QuotaController(VideoService videos) {
        this.videos = videos;
    }

    @GetMapping("/api/quota")
    Quota quota(@RequestAttribute(AuthenticatedUser.ATTRIBUTE) AuthenticatedUser user) {
        VideoService.Usage usage = videos.usage(user.userId());
        return new Quota(Counter.of(usage.activeVideos(), usage.maxActiveVideos()),
                Counter.of(usage.secondsToday(), usage.dailySeconds()), usage.resetsAt());
    }
}
