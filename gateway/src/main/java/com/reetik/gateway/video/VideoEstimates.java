package com.reetik.gateway.video;

import com.reetik.contracts.status.Status;
import com.reetik.contracts.status.VideoRequest;
import com.reetik.contracts.status.VideoStatus;
import com.reetik.gateway.replica.StatusReplica;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;
import reactor.core.Disposable;

/**
 * The estimate shown before a video is sent: how many blocks, how many seconds to generate, what it costs, and
 * roughly how long it will take. Blocks and cost follow from the request and the settings; the time is learned
 * from the videos this gateway saw complete (the median seconds per block of the last {@value #WINDOW}), because
 * it depends on the agents, their queue and the machine, which no setting knows. Before any video has completed,
 * the time is unknown (null) rather than a made-up figure. Videos whose assembly encodes the picture again
 * (crossfades, burned subtitles) are learned apart from the others, as they take longer; until one such video has
 * completed, its estimate is that of the others, and {@code reencoded_assembly} says that it will take longer.
 */
@Component
class VideoEstimates implements DisposableBean {

    static final int WINDOW = 50;

    /**
     * The answer of {@code POST /api/videos/estimate}.
     *
     * @param reencodedAssembly the assembly encodes the picture again (crossfades or burned subtitles): it takes
     *                          longer than a join that copies it
     */
    record Estimate(int blocks, int blockSeconds, int generatedSeconds, Long estimatedSeconds, BigDecimal cost,
                    String currency, boolean reencodedAssembly) {
    }

    private final EstimateProperties settings;
    private final ReferenceImageProperties agents;
    /** Seconds per block of the last videos joined by copying the picture. */
    private final Deque<Double> secondsPerBlock = new ArrayDeque<>(WINDOW);
    /** The same, for videos whose picture was encoded again. */
    private final Deque<Double> reencodedSecondsPerBlock = new ArrayDeque<>(WINDOW);
    private final Disposable subscription;

    VideoEstimates(EstimateProperties settings, ReferenceImageProperties agents, StatusReplica replica) {
        this.settings = settings;
        this.agents = agents;
        this.subscription = replica.videoUpdates().subscribe(this::observe);
    }

    Estimate estimate(VideoRequest request) {
        // Veo makes only 8 s clips with reference images: the script is planned in 8 s blocks then.
        EstimateProperties plan = agents.eightSecondClips(request)
                ? new EstimateProperties(8, settings.pricePerSecond(), settings.currency()) : settings;
        int blockSeconds = plan.blockSeconds();
        int blocks = plan.blocks(request.targetDuration());
        int generated = plan.generatedSeconds(request.targetDuration());
        BigDecimal cost = plan.cost(request.targetDuration());
        boolean reencoded = request.reencodes();
        Double perBlock = median(reencoded ? reencodedSecondsPerBlock : secondsPerBlock);
        if (perBlock == null) {
            perBlock = median(reencoded ? secondsPerBlock : reencodedSecondsPerBlock);
        }
        Long seconds = perBlock == null ? null : Math.max(1, Math.round(perBlock * blocks));
        return new Estimate(blocks, blockSeconds, generated, seconds, cost, settings.currency(), reencoded);
    }

    /**
     * What an edit of one block pays and takes: that block's clip (and any other block not completed, in a video
     * whose first run failed), then a new assembly. Its time is a whole video's: the blocks of a video are
     * generated side by side, so one block alone takes about as long as all of them, plus the assembly.
     */
    Estimate estimateEdit(VideoStatus view, BlockEdits.Checked edit) {
        int seconds = edit.before().durationS();
        int blocks = 1;
        for (com.reetik.contracts.status.BlockState b : view.blocks()) {
            if (b.index() != edit.before().index() && !b.completed()) {
                blocks++;
                seconds += b.durationS();
            }
        }
        boolean reencoded = view.request() != null && view.request().reencodes();
        Double perBlock = median(reencoded ? reencodedSecondsPerBlock : secondsPerBlock);
        if (perBlock == null) {
            perBlock = median(reencoded ? secondsPerBlock : reencodedSecondsPerBlock);
        }
        Long time = perBlock == null ? null : Math.max(1, Math.round(perBlock * Math.max(1, view.totalBlocks())));
        BigDecimal cost = settings.pricePerSecond().multiply(BigDecimal.valueOf(seconds))
                .setScale(2, java.math.RoundingMode.HALF_UP);
        return new Estimate(blocks, edit.before().durationS(), seconds, time, cost, settings.currency(), reencoded);
    }

    /** A video that just completed teaches how long a block takes, end to end (an edit's version: not from its start). */
    void observe(VideoStatus view) {
        if (view.statusEnum() != Status.COMPLETED || view.totalBlocks() <= 0 || view.createdAt() == null
                || view.updatedAt() == null || view.finalVersion() != null && view.finalVersion() > 1) {
            return;
        }
        double seconds = Duration.between(view.createdAt(), view.updatedAt()).toMillis() / 1000.0;
        if (seconds <= 0) {
            return;
        }
        Deque<Double> window = view.request() != null && view.request().reencodes()
                ? reencodedSecondsPerBlock : secondsPerBlock;
        synchronized (window) {
            if (window.size() == WINDOW) {
                window.removeFirst();
            }
            window.addLast(seconds / view.totalBlocks());
        }
    }

    private static Double median(Deque<Double> window) {
        double[] values;
        synchronized (window) {
            if (window.isEmpty()) {
                return null;
            }
            values = window.stream().mapToDouble(Double::doubleValue).toArray();
        }
        Arrays.sort(values);
        int middle = values.length / 2;
        return values.length % 2 == 1 ? values[middle] : (values[middle - 1] + values[middle]) / 2;
    }

    @Override
    public void destroy() {
        subscription.dispose();
    }
}
