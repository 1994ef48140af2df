package com.reetik.bridge.assembly;

import com.reetik.bridge.agent.AgentException;
import com.reetik.bridge.agent.AgentPort;
import com.reetik.bridge.agent.Assembled;
import com.reetik.bridge.agent.AssemblyOptions;
import com.reetik.bridge.captions.CaptionFiles;
import com.reetik.bridge.captions.Captions;
import com.reetik.bridge.kafka.EventOutput;
import com.reetik.bridge.kafka.KafkaErrors;
import com.reetik.bridge.ledger.ReplayGuard;
import com.reetik.bridge.ledger.VideoLedgers;
import com.reetik.contracts.event.AssemblyStarted;
import com.reetik.contracts.event.AssemblyTask;
import com.reetik.contracts.event.VideoCompleted;
import com.reetik.contracts.event.VideoFailed;
import com.reetik.contracts.json.Json;
import com.reetik.contracts.json.MalformedRecordException;
import com.reetik.contracts.status.BlockState;
import com.reetik.contracts.status.ErrorCode;
import com.reetik.contracts.status.Status;
import com.reetik.contracts.status.VideoStatus;
import com.reetik.contracts.topic.Topics;
import java.time.Clock;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches the projector's committed views; a video {@code ready_for_assembly} (every block completed) becomes an
 * {@link AssemblyTask} on {@code reetik.assembly-tasks}, which a listener of its own assembles, VideoCompleted
 * committing with the task's offset. The bridge keeps no count of blocks: the projector's view is the one place
 * that knows when all are done. The task, not the view, carries the assembly through a crash: the view topic is
 * compacted, and its {@code assembling} view may have replaced the ready one by the time a bridge starts again. A
 * view or a task older than the video's events (read again after a group reset: the video completed, failed or was
 * cancelled since) is not assembled again.
 */
public final class AssemblyHandler {

    private static final Logger log = LoggerFactory.getLogger(AssemblyHandler.class);

    private final AgentPort agents;
    private final Clock clock;
    private final EventOutput out;
    private final VideoLedgers ledgers;
    private final CaptionFiles captionFiles;
    private final com.reetik.bridge.cancel.CancellationMarks objects;

    /**
     * @param captionFiles where the subtitles go (null: none are written)
     * @param objects      purges a video deleted while it was assembled
     */
    public AssemblyHandler(AgentPort agents, Clock clock, EventOutput out, VideoLedgers ledgers,
                           CaptionFiles captionFiles, com.reetik.bridge.cancel.CancellationMarks objects) {
        this.captionFiles = captionFiles;
        this.objects = objects;
        this.out = out;
        this.ledgers = ledgers;
        this.agents = agents;
        this.clock = clock;
    }

    /**
     * A view {@code ready_for_assembly} becomes an assembly task, committed with the view's offset; any other view
     * is ignored.
     *
     * @throws MalformedRecordException when the view cannot be read (it goes to the dead letters)
     */
    public void handle(ConsumerRecord<String, byte[]> record) {
        if (record.value() == null) {
            return;
        }
        VideoStatus view = Json.read(record.value(), VideoStatus.class);
        if (!Status.READY_FOR_ASSEMBLY.wireName().equals(view.status())) {
            return;
        }
        String videoId = view.videoId();
        ReplayGuard.Decision decision = ReplayGuard.readyView(ledgers.find(videoId).orElse(null), view);
        if (decision.skip()) {
            log.info("Assembly of {} skipped: {}", videoId, decision.reason());
            return;
        }
        List<BlockState> blocks = view.blocks().stream().sorted(Comparator.comparingInt(BlockState::index)).toList();
        out.send(Topics.ASSEMBLY_TASKS, videoId, new AssemblyTask(videoId,
                blocks.stream().map(BlockState::clipUri).toList(), view.version(), clock.instant(),
                blocks.stream().map(BlockState::narration).toList(), blocks.stream().map(BlockState::durationS).toList(),
                view.request() != null && view.request().burnedSubtitles(),
                view.request() == null ? null : view.request().transition(), view.workingVersion()));
    }

    /** @throws MalformedRecordException when the record is not an assembly task (it goes to the dead letters) */
    public static AssemblyTask read(ConsumerRecord<String, byte[]> record) {
        AssemblyTask task = Json.read(record.value(), AssemblyTask.class);
        if (task.videoId() == null || !task.videoId().equals(record.key()) || task.clipUris().isEmpty()) {
            throw new MalformedRecordException("assembly task without video_id (its key) or clips");
        }
        return task;
    }

    /**
     * Joins the clips of a task: AssemblyStarted commits at once (users see it), VideoCompleted or VideoFailed with
     * the task's offset. Checked against the video's ledger first: a task read again after the video ended does
     * nothing, and one whose assembly was started and did not end (a crash) is done again.
     */
    public void assemble(AssemblyTask task) {
        String videoId = task.videoId();
        ReplayGuard.Decision decision = ReplayGuard.assemblyTask(ledgers.find(videoId).orElse(null), task);
        if (decision.skip()) {
            log.info("Assembly task of {} skipped: {}", videoId, decision.reason());
            return;
        }
        if (decision.verdict() == ReplayGuard.Verdict.RESUME) {
            log.info("Assembly of {} resumed: {}", videoId, decision.reason());
        } else {
            out.sendNow(Topics.VIDEO_EVENTS, videoId, new AssemblyStarted(id(), videoId, clock.instant()));
        }
        log.info("Assembling {} from {} clips", videoId, task.clipUris().size());
        try {
            Assembled assembled = agents.assemble(videoId, task.clipUris(),
                    new AssemblyOptions(task.narrations(), task.burnedSubtitles(), task.crossfade(),
                            task.versionOrFirst()));
            writeCaptions(task, assembled);
            if (ledgers.deleted(videoId)) {
                objects.purge(videoId);
                log.info("Assembly of {} ended after the video was deleted: its objects deleted again", videoId);
                return;
            }
            out.send(Topics.VIDEO_EVENTS, videoId, new VideoCompleted(id(), videoId, clock.instant(),
                    assembled.finalUrl(), assembled.durationS(), task.versionOrFirst()));
            log.info("Video {} completed: {} ({} s, version {})", videoId, assembled.finalUrl(), assembled.durationS(),
                    task.versionOrFirst());
        } catch (AgentException e) {
            log.warn("Assembly of {} failed: {}", videoId, e.getMessage());
            out.send(Topics.VIDEO_EVENTS, videoId, new VideoFailed(id(), videoId, clock.instant(),
                    ErrorCode.ASSEMBLY_FAILED.wireName(), "assembly", e.getMessage()));
        } catch (RuntimeException e) {
            // A store outage past its client's retries, a bug: AssemblyStarted is already shown, so the video fails
            // with its stage (the user may retry the assembly) instead of staying in assembling behind a dead letter.
            KafkaErrors.rethrowIfKafka(e);
            log.warn("Assembly of {} failed unexpectedly", videoId, e);
            out.send(Topics.VIDEO_EVENTS, videoId, new VideoFailed(id(), videoId, clock.instant(),
                    ErrorCode.ASSEMBLY_FAILED.wireName(), "assembly", e.toString()));
        }
    }

    /**
     * The subtitles, before VideoCompleted: cut where the assembler says the clips join, else at the planned
     * durations stretched to the final's length (a remote assembler that does not report its cuts).
     */
    private void writeCaptions(AssemblyTask task, Assembled assembled) {
        List<String> narrations = task.narrations();
        if (captionFiles == null || narrations.isEmpty() || narrations.size() != task.clipUris().size()) {
            return;
        }
        List<Double> durations = assembled.clipDurationsS();
        if (durations.size() != narrations.size()) {
            double planned = task.durationsS().stream().mapToInt(Integer::intValue).sum();
            if (task.durationsS().size() != narrations.size() || planned <= 0) {
                log.warn("No subtitles for {}: neither the clips' nor the planned durations are known", task.videoId());
                return;
            }
            double scale = assembled.durationS() > 0 ? assembled.durationS() / planned : 1.0;
            durations = task.durationsS().stream().map(d -> d * scale).toList();
        }
        captionFiles.store(task.videoId(), task.versionOrFirst(), Captions.of(narrations, durations));
    }

    private static String id() {
        return UUID.randomUUID().toString();
    }
}
