package com.reetik.gateway.video;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * What the gateway needs to answer {@code POST /api/videos/estimate} before anything is paid.
 *
 * @param blockSeconds   {@code REETIK_BLOCK_SECONDS}, the length of one block (4, 6 or 8, as Veo allows): the same
 *                       variable the agent-bridge reads, so both agree on the number of blocks
 * @param pricePerSecond {@code REETIK_PRICE_PER_SECOND}: what one generated second costs with the configured agents
 *                       (0, the default, for the local preview agents)
 * @param currency       {@code REETIK_CURRENCY}, e.g. USD
 */
@ConfigurationProperties("reetik.gateway.estimate")
public record EstimateProperties(Integer blockSeconds, BigDecimal pricePerSecond, String currency) {

    static final List<Integer> ALLOWED_BLOCK_SECONDS = List.of(4, 6, 8);

    public EstimateProperties {
        blockSeconds = blockSeconds == null ? 4 : blockSeconds;
        if (!ALLOWED_BLOCK_SECONDS.contains(blockSeconds)) {
            throw new IllegalArgumentException("REETIK_BLOCK_SECONDS must be 4, 6 or 8, not " + blockSeconds);
        }
        pricePerSecond = pricePerSecond == null ? BigDecimal.ZERO : pricePerSecond;
        if (pricePerSecond.signum() < 0) {
            throw new IllegalArgumentException("REETIK_PRICE_PER_SECOND must not be negative, not " + pricePerSecond);
        }
        currency = currency == null || currency.isBlank() ? "USD" : currency.trim();
    }

    /** The blocks a video of {@code targetDuration} seconds is cut into. */
    public int blocks(int targetDuration) {
        return (targetDuration + blockSeconds - 1) / blockSeconds;
    }

    /** The seconds generated (and paid) for it: whole blocks. */
    public int generatedSeconds(int targetDuration) {
        return blocks(targetDuration) * blockSeconds;
    }

    /** What those seconds cost, to the cent. */
    public BigDecimal cost(int targetDuration) {
        return pricePerSecond.multiply(BigDecimal.valueOf(generatedSeconds(targetDuration)))
                .setScale(2, RoundingMode.HALF_UP);
    }
}
