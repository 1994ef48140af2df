package com.reetik.gateway.video;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * How long finished videos are kept. Set in {@code gateway.yml}.
 *
 * @param days          {@code REETIK_RETENTION_DAYS}: videos completed, failed or cancelled this many days ago (by
 *                      their last change) are deleted as {@code DELETE /api/videos/{id}} deletes them; 0, the
 *                      default, keeps every video
 * @param sweepInterval how often each gateway looks for them in its replica (1 h)
 */
@ConfigurationProperties("reetik.gateway.retention")
public record RetentionProperties(Integer days, Duration sweepInterval) {

    public RetentionProperties {
        days = days == null ? 0 : days;
        sweepInterval = sweepInterval == null ? Duration.ofHours(1) : sweepInterval;
        if (days < 0) {
            throw new IllegalArgumentException("REETIK_RETENTION_DAYS must be 0 (keep every video) or more, not " + days);
        }
        if (sweepInterval.isZero() || sweepInterval.isNegative()) {
            throw new IllegalArgumentException("the retention's sweep interval must be positive, not " + sweepInterval);
        }
    }

    public boolean enabled() {
        return days > 0;
    }
}
