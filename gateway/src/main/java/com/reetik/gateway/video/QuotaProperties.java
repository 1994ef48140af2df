package com.reetik.gateway.video;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Per-user quotas, counted from the replica of {@code reetik.video-summaries} (so they survive restarts and every
 * gateway of a deployment counts the same videos) plus the videos this gateway accepted that the replica does not
 * show yet. Set in {@code gateway.yml}.
 *
 * @param maxActiveVideos {@code REETIK_MAX_ACTIVE_VIDEOS} (3): videos of one user not yet completed, failed or
 *                        cancelled
 * @param dailySeconds    {@code REETIK_DAILY_SECONDS} (600): seconds of video one user may ask for per UTC day,
 *                        retries included
 */
@ConfigurationProperties("reetik.gateway.quota")
public record QuotaProperties(Integer maxActiveVideos, Integer dailySeconds) {

    public QuotaProperties {
        maxActiveVideos = maxActiveVideos == null ? 3 : maxActiveVideos;
        dailySeconds = dailySeconds == null ? 600 : dailySeconds;
        if (maxActiveVideos < 1) {
            throw new IllegalArgumentException("REETIK_MAX_ACTIVE_VIDEOS must be at least 1, not " + maxActiveVideos);
        }
        if (dailySeconds < 8) {
            throw new IllegalArgumentException("REETIK_DAILY_SECONDS must be at least 8 (one shortest video), not "
                    + dailySeconds);
        }
    }
}
