package com.reetik.bridge.command;

import com.reetik.bridge.agent.AgentException;
import com.reetik.bridge.agent.AgentPort;
import com.reetik.bridge.agent.Assembled;
import com.reetik.bridge.agent.Script;
import com.reetik.bridge.cancel.CancellationMarks;
import com.reetik.bridge.kafka.EventOutput;
import com.reetik.bridge.kafka.KafkaErrors;
import com.reetik.bridge.ledger.ReplayGuard;
import com.reetik.bridge.ledger.VideoLedger;
import com.reetik.bridge.ledger.VideoLedgers;
import com.reetik.contracts.command.CancelVideo;
import com.reetik.contracts.command.DeleteVideo;
import com.reetik.contracts.command.EditBlock;
import com.reetik.contracts.event.BlockEdited;
import com.reetik.contracts.event.VideoDeleted;
import com.reetik.contracts.command.CreateVideo;
import com.reetik.contracts.command.RetryVideo;
import com.reetik.contracts.command.VideoCommand;
import com.reetik.contracts.event.AssemblyStarted;
import com.reetik.contracts.event.BlockRetried;
import com.reetik.contracts.event.BlockSubmitted;
import com.reetik.contracts.event.BlockTask;
import com.reetik.contracts.event.ScriptBlock;
import com.reetik.contracts.event.ScriptGenerated;
import com.reetik.contracts.event.ScriptStarted;
import com.reetik.contracts.event.VideoCancelled;
import com.reetik.contracts.event.VideoCompleted;
import com.reetik.contracts.event.VideoFailed;
import com.reetik.contracts.event.VideoEvent;
import com.reetik.contracts.event.VideoRequested;
import com.reetik.contracts.json.Json;
import com.reetik.contracts.json.MalformedRecordException;
import com.reetik.contracts.status.ErrorCode;
import com.reetik.contracts.status.VideoRequest;
import com.reetik.contracts.topic.Topics;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Handles the gateway's commands: a new video gets its script and one block task per block; a cancel
 * becomes VideoCancelled; a retry takes a failed video up where it failed. Each command is first checked
 * against the video's ledger ({@link ReplayGuard}): a command read again (a group reset, expired offsets) does
 * nothing, and one whose script or assembly was started but did not end is taken up from there.
 */
public final class CommandHandler {

    private static final Logger log = LoggerFactory.getLogger(CommandHandler.class);

    private final AgentPort agents;
    private final CancellationMarks cancellations;
    private final Clock clock;
    private final VideoLedgers ledgers;

    public CommandHandler(AgentPort agents, CancellationMarks cancellations, Clock clock, VideoLedgers ledgers) {
        this.ledgers = ledgers;
        this.agents = agents;
        this.cancellations = cancellations;
        this.clock = clock;
    }

    /**
     * A command read and checked against its video's ledger, not handled yet.
     *
     * @param progress what to show before the command's work (a script or an assembly: an agent's call), committed
     *                 at once, before {@link #handle}: "script started" while the script is written; nothing when the
     *                 command is resumed (its progress was committed before and the work did not end)
     */
    public record Prepared(VideoCommand command, List<VideoEvent> progress) {

        public String videoId() {
            return command.videoId();
        }
    }

    /**
     * Reads a command and checks it against its video's ledger ({@link ReplayGuard}).
     *
     * @return empty when there is nothing to do (the command was already handled)
     * @throws MalformedRecordException when the record cannot be read (it goes to the dead letters)
     */
    public Optional<Prepared> prepare(ConsumerRecord<String, byte[]> record) {
        VideoCommand command = Json.read(record.value(), VideoCommand.class);
        if (record.key() == null || !record.key().equals(command.videoId())) {
            throw new MalformedRecordException("key " + record.key() + " is not the command's video_id");
        }
        ReplayGuard.Decision decision = ReplayGuard.command(ledgers.find(command.videoId()).orElse(null), command);
        if (decision.skip()) {
            log.info("{} {} of {} skipped: {}", command.getClass().getSimpleName(), command.commandId(),
                    command.videoId(), decision.reason());
            return Optional.empty();
        }
        boolean resume = decision.verdict() == ReplayGuard.Verdict.RESUME;
        if (resume) {
            log.info("{} {} of {} resumed: {}", command.getClass().getSimpleName(), command.commandId(),
                    command.videoId(), decision.reason());
            return Optional.of(new Prepared(command, List.of()));
        }
        String videoId = command.videoId();
        List<VideoEvent> progress = List.of();
        if (command instanceof CreateVideo create) {
            progress = List.of(new VideoRequested(id(), videoId, clock.instant(), create.userId(), create.request(),
                            create.idempotencyKey(), create.requestedAt(), create.commandId()),
                    new ScriptStarted(id(), videoId, clock.instant(), create.commandId()));
        } else if (command instanceof RetryVideo retry && retry.script().isEmpty()) {
            progress = List.of(new ScriptStarted(id(), videoId, clock.instant(), retry.commandId()));
        } else if (command instanceof RetryVideo retry && retry.blocksToRetry().isEmpty()) {
            progress = List.of(new AssemblyStarted(id(), videoId, clock.instant(), retry.commandId()));
        }
        return Optional.of(new Prepared(command, progress));
    }

    /**
     * Handles a prepared command whose {@link Prepared#progress() progress} is committed, writing to {@code out} (in
     * the transaction of the command's offset).
     *
     * @throws MalformedRecordException when the command cannot be handled as written (it goes to the dead letters)
     */
    public void handle(Prepared prepared, EventOutput out) {
        VideoCommand command = prepared.command();
        if (command instanceof CreateVideo create) {
            writeScript(create.videoId(), create.request(), create.commandId(), out);
        } else if (command instanceof CancelVideo cancel) {
            try {
                // (an edit's blocks, of a later version, do not read the mark: its ledger stops them)
                cancellations.mark(cancel.videoId(), clock.instant());
            } catch (RuntimeException e) {
                // The store is down or full: the cancel still happens (its event, which the ledgers read), only
                // the other bridges' fast path is missing. Never a dead letter: a lost cancel keeps paying.
                log.warn("Could not write the cancel mark of {} ({}); cancelling through its event only",
                        cancel.videoId(), e.toString());
            }
            out.send(Topics.VIDEO_EVENTS, cancel.videoId(), new VideoCancelled(id(), cancel.videoId(), clock.instant(),
                    cancel.commandId()));
        } else if (command instanceof RetryVideo retry) {
            retry(retry, ledgers.find(retry.videoId()).orElse(null), out);
        } else if (command instanceof DeleteVideo delete) {
            delete(delete, out);
        } else if (command instanceof EditBlock edit) {
            edit(edit, ledgers.find(edit.videoId()).orElse(null), out);
        }
    }

    /**
     * An edit of one block: BlockEdited (which reopens the video in the edit's run, the playable version left as it
     * is), then a task for the edited block, attempt 1 of the run, for the edit's version (its clip is stored apart),
     * and for each other block that is not completed either (a failed first run), its next attempt as a retry
     * would. All in the command's transaction.
     */
    private void edit(EditBlock edit, VideoLedger ledger, EventOutput out) {
        String videoId = edit.videoId();
        ScriptBlock block = edit.block();
        if (block == null) {
            throw new MalformedRecordException("edit of block " + edit.blockIndex() + " which its script does not hold");
        }
        log.info("Editing block {}/{} of {} (version {})", block.index(), edit.script().size(), videoId,
                edit.version());
        out.send(Topics.VIDEO_EVENTS, videoId, new BlockEdited(id(), videoId, clock.instant(), block.index(),
                block.prompt(), block.narration(), edit.version(), edit.previousPrompt(), edit.previousNarration(),
                edit.commandId()));
        out.send(Topics.BLOCK_TASKS, BlockTask.key(videoId, block.index()), BlockTask.start(videoId,
                edit.script().size(), block, 1, edit.request(), edit.agentVideoId(), clock.instant(),
                edit.commandId(), edit.version()));
        for (int index : edit.otherBlocks()) {
            if (index != block.index()) {
                retryBlock(videoId, index, edit.script(), edit.request(), edit.agentVideoId(), edit.commandId(),
                        edit.version(), ledger, out);
            }
        }
    }

    /**
     * Deletes the video's objects, then writes VideoDeleted (with the command's offset): the projector removes its
     * view and summary, and every bridge's ledger marks it deleted, which stops its blocks and assembly (a running
     * video is cancelled as it is deleted). A block or an assembly that was already running when the objects went
     * finds the video deleted when it ends and deletes what it stored ({@code BlockHandler},
     * {@code AssemblyHandler}). A store that fails throws: the command is handled again, nothing is reported
     * deleted that is not.
     */
    private void delete(DeleteVideo delete, EventOutput out) {
        String videoId = delete.videoId();
        int objects = cancellations.purge(videoId);
        VideoLedger ledger = ledgers.find(videoId).orElse(null);
        if (ledger != null && !ledger.stage().done() && ledger.stage() != VideoLedger.Stage.FAILED) {
            // Running: its cancellation first, so that the log says what became of it before it went.
            out.send(Topics.VIDEO_EVENTS, videoId, new VideoCancelled(id(), videoId, clock.instant(),
                    delete.commandId()));
        }
        out.send(Topics.VIDEO_EVENTS, videoId, new VideoDeleted(id(), videoId, clock.instant(), delete.userId(),
                delete.commandId()));
        log.info("Video {} deleted: {} objects removed from storage", videoId, objects);
    }

    /** Writes the script and one task per block, in the run of {@code commandId} (a CreateVideo or RetryVideo). */
    private void writeScript(String videoId, VideoRequest request, String commandId, EventOutput out) {
        log.info("Writing the script of {} ({} s, {}, {})", videoId, request.targetDuration(), request.style(),
                request.language());
        try {
            Script script = agents.writeScript(videoId, request);
            out.send(Topics.VIDEO_EVENTS, videoId,
                    new ScriptGenerated(id(), videoId, clock.instant(), script.blocks(), script.agentVideoId()));
            for (ScriptBlock block : script.blocks()) {
                out.send(Topics.BLOCK_TASKS, BlockTask.key(videoId, block.index()), BlockTask.start(videoId,
                        script.blocks().size(), block, 1, request, script.agentVideoId(), clock.instant(), commandId));
            }
        } catch (AgentException e) {
            log.warn("Script of {} failed: {} ({})", videoId, e.code().wireName(), e.getMessage());
            out.send(Topics.VIDEO_EVENTS, videoId,
                    new VideoFailed(id(), videoId, clock.instant(), e.code().wireName(), "script", e.getMessage()));
        } catch (RuntimeException e) {
            // Not the agent's answer (a bug, a store outage): ScriptStarted is already shown, so the video fails
            // here with its stage (the user may retry) instead of staying in generating_script behind a dead letter.
            KafkaErrors.rethrowIfKafka(e);
            log.warn("Script of {} failed unexpectedly", videoId, e);
            out.send(Topics.VIDEO_EVENTS, videoId,
                    new VideoFailed(id(), videoId, clock.instant(), ErrorCode.DEFAULT.wireName(), "script", e.toString()));
        }
    }

    /**
     * @param ledger what the bridge did for the video (null: nothing seen): which blocks completed or are in flight,
     *               and each block's last attempt
     */
    private void retry(RetryVideo retry, VideoLedger ledger, EventOutput out) {
        String videoId = retry.videoId();
        if (retry.script().isEmpty()) {
            log.info("Retrying {} from its script", videoId);
            writeScript(videoId, retry.request(), retry.commandId(), out);
        } else if (!retry.blocksToRetry().isEmpty()) {
            log.info("Retrying blocks {} of {}", retry.blocksToRetry(), videoId);
            for (int index : retry.blocksToRetry()) {
                retryBlock(videoId, index, retry.script(), retry.request(), retry.agentVideoId(), retry.commandId(),
                        retry.versionOrFirst(), ledger, out);
            }
        } else {
            log.info("Retrying the assembly of {}", videoId);
            try {
                Assembled assembled = agents.assemble(videoId, retry.clipUris(),
                        com.reetik.bridge.agent.AssemblyOptions.NONE.forVersion(retry.versionOrFirst()));
                out.send(Topics.VIDEO_EVENTS, videoId, new VideoCompleted(id(), videoId, clock.instant(),
                        assembled.finalUrl(), assembled.durationS(), retry.versionOrFirst()));
            } catch (AgentException e) {
                out.send(Topics.VIDEO_EVENTS, videoId, new VideoFailed(id(), videoId, clock.instant(),
                        ErrorCode.ASSEMBLY_FAILED.wireName(), "assembly", e.getMessage()));
            } catch (RuntimeException e) {
                KafkaErrors.rethrowIfKafka(e);
                log.warn("Assembly of {} failed unexpectedly", videoId, e);
                out.send(Topics.VIDEO_EVENTS, videoId, new VideoFailed(id(), videoId, clock.instant(),
                        ErrorCode.ASSEMBLY_FAILED.wireName(), "assembly", e.toString()));
            }
        }
    }

    /**
     * One block the user asked to be generated again (a retry, or a block not completed in a video whose edit
     * regenerates it): {@code BlockRetried} and its task, in the command's transaction. Nothing for a block that
     * completed since the gateway decided (its view lagged). Attempts go on counting from the block's last one: the
     * automatic retries stop at REETIK_MAX_ATTEMPTS, and each user retry past it is one paid attempt the user asked
     * for. A block whose operation is still running at the agent (paid for) keeps its attempt: the new run takes the
     * operation over and polls it instead of paying again (the old run's polls are skipped from now).
     */
    private void retryBlock(String videoId, int index, List<ScriptBlock> script, VideoRequest request,
                            String agentVideoId, String commandId, int version, VideoLedger ledger,
                            EventOutput out) {
        ScriptBlock block = script.stream().filter(b -> b.index() == index).findFirst().orElse(null);
        VideoLedger.BlockLedger done = ledger == null ? null : ledger.block(index);
        if (block == null || done != null && done.completed()) {
            return;
        }
        boolean inFlight = done != null && done.inFlight();
        int attempt = inFlight ? done.attempt() : done == null ? 1 : done.nextUserAttempt();
        BlockTask task = BlockTask.start(videoId, script.size(), block, attempt, request, agentVideoId,
                clock.instant(), commandId, version);
        out.send(Topics.VIDEO_EVENTS, videoId, new BlockRetried(id(), videoId, clock.instant(), index, attempt, true,
                commandId));
        if (inFlight) {
            log.info("Block {} of {}: attempt {} in flight ({}) is taken over", index, videoId, attempt,
                    done.operation());
            out.send(Topics.VIDEO_EVENTS, videoId, new BlockSubmitted(id(), videoId, clock.instant(), index, attempt,
                    done.operation()));
            out.send(Topics.BLOCK_POLLS, BlockTask.pollKey(videoId), task.polling(done.operation(),
                    done.submittedAt() != null ? done.submittedAt() : clock.instant(), clock.instant()));
        } else {
            out.send(Topics.BLOCK_TASKS, BlockTask.key(videoId, index), task);
        }
    }

    static String id() {
        return UUID.randomUUID().toString();
    }
}
