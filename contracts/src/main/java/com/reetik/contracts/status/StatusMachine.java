package com.reetik.contracts.status;

import com.reetik.contracts.event.AssemblyStarted;
import com.reetik.contracts.event.BlockCompleted;
import com.reetik.contracts.event.BlockEdited;
import com.reetik.contracts.event.BlockFailed;
import com.reetik.contracts.event.BlockRetried;
import com.reetik.contracts.event.BlockSubmitted;
import com.reetik.contracts.event.ScriptBlock;
import com.reetik.contracts.event.ScriptGenerated;
import com.reetik.contracts.event.ScriptStarted;
import com.reetik.contracts.event.VideoCancelled;
import com.reetik.contracts.event.VideoCompleted;
import com.reetik.contracts.event.VideoEvent;
import com.reetik.contracts.event.VideoFailed;
import com.reetik.contracts.event.VideoRequested;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * The status machine: a pure function from (view, event) to the next view, or empty when the event
 * changes nothing (a duplicate, or an event after a terminal status). Pure, so that views rebuilt from
 * the event log are identical: every time in a view comes from an event, never from the clock.
 *
 * <pre>
 * queued → generating_script → script_generated → generating_parallel → ready_for_assembly → assembling → completed
 *                     any non-terminal status → failed | cancelled;  failed → (user retry) back into the flow
 * completed | failed → (user edit of one block: BlockEdited) generating_parallel → … → completed (a new version)
 *                     an edit cancelled → completed (the playable version, the block as it was)
 * </pre>
 */
public final class StatusMachine {

    private StatusMachine() {
    }

    public static Optional<VideoStatus> apply(VideoStatus current, VideoEvent event) {
        if (event instanceof VideoRequested requested) {
            return current != null ? Optional.empty() : Optional.of(created(requested));
        }
        if (current == null) {
            return Optional.empty();
        }
        Draft draft = new Draft(current);
        Status status = current.statusEnum();
        if (status == Status.CANCELLED || status == Status.COMPLETED && !(event instanceof BlockEdited)) {
            return Optional.empty();
        }
        if (event instanceof BlockEdited edited) {
            if (status == Status.COMPLETED || status == Status.FAILED) {
                BlockState before = draft.block(edited.blockIndex());
                if (before == null) {
                    return Optional.empty();
                }
                // A second edit of a block whose edit failed keeps what the playable version had.
                VideoStatus.Edit pending = current.edit();
                draft.edit = pending != null && pending.block() == edited.blockIndex()
                        ? new VideoStatus.Edit(edited.version(), edited.blockIndex(), pending.previousPrompt(),
                                pending.previousNarration(), pending.previousClipUri())
                        : new VideoStatus.Edit(edited.version(), edited.blockIndex(), before.prompt(),
                                before.narration(), before.completed() ? before.clipUri() : null);
                draft.setBlock(new BlockState(before.index(), BlockState.PENDING, 0, edited.prompt(),
                        edited.narration(), before.durationS(), null, null, null));
                draft.status = Status.GENERATING_PARALLEL;
                draft.error = null;
            }
        } else if (event instanceof ScriptStarted) {
            if (status == Status.QUEUED || status == Status.FAILED) {
                draft.status = Status.GENERATING_SCRIPT;
                draft.error = null;
            }
        } else if (event instanceof ScriptGenerated generated) {
            if (status == Status.QUEUED || status == Status.GENERATING_SCRIPT) {
                draft.status = Status.SCRIPT_GENERATED;
                draft.agentVideoId = generated.agentVideoId();
                draft.blocks = new ArrayList<>();
                for (ScriptBlock block : generated.blocks()) {
                    draft.blocks.add(new BlockState(block.index(), BlockState.PENDING, 0, block.prompt(),
                            block.narration(), block.durationS(), null, null, null));
                }
            }
        } else if (event instanceof BlockSubmitted submitted) {
            draft.updateBlock(submitted.blockIndex(), b -> new BlockState(b.index(), BlockState.GENERATING,
                    submitted.attempt(), b.prompt(), b.narration(), b.durationS(), null, submitted.operation(), null));
            if (status == Status.SCRIPT_GENERATED) {
                draft.status = Status.GENERATING_PARALLEL;
            }
        } else if (event instanceof BlockCompleted completed) {
            draft.updateBlock(completed.blockIndex(), b -> new BlockState(b.index(), BlockState.COMPLETED,
                    completed.attempt(), b.prompt(), b.narration(), b.durationS(), completed.clipUri(), b.operation(),
                    null));
            if (status == Status.SCRIPT_GENERATED || status == Status.GENERATING_PARALLEL) {
                draft.status = draft.allBlocksCompleted() ? Status.READY_FOR_ASSEMBLY : Status.GENERATING_PARALLEL;
            }
        } else if (event instanceof BlockFailed failed) {
            draft.updateBlock(failed.blockIndex(), b -> new BlockState(b.index(),
                    failed.retryable() ? BlockState.RETRYING : BlockState.FAILED, failed.attempt(), b.prompt(),
                    b.narration(), b.durationS(), null, b.operation(), failed.errorCode()));
        } else if (event instanceof BlockRetried retried) {
            if (retried.userRequested() && status == Status.FAILED) {
                draft.status = Status.GENERATING_PARALLEL;
                draft.error = null;
            }
            if (!retried.userRequested() || draft.status == Status.GENERATING_PARALLEL) {
                draft.updateBlock(retried.blockIndex(), b -> new BlockState(b.index(), BlockState.PENDING,
                        retried.attempt(), b.prompt(), b.narration(), b.durationS(), null, b.operation(),
                        b.errorCode()));
            }
        } else if (event instanceof AssemblyStarted) {
            if (status == Status.READY_FOR_ASSEMBLY || status == Status.FAILED) {
                draft.status = Status.ASSEMBLING;
                draft.error = null;
            }
        } else if (event instanceof VideoCompleted done) {
            if (status != Status.FAILED) {
                draft.status = Status.COMPLETED;
                draft.finalUrl = done.finalUrl();
                draft.durationS = done.durationS();
                draft.finalVersion = done.versionOrFirst();
                draft.edit = null;
            }
        } else if (event instanceof VideoFailed failed) {
            if (status != Status.FAILED) {
                draft.status = Status.FAILED;
                ErrorCode code = ErrorCode.fromWire(failed.errorCode());
                draft.error = new VideoError(code.wireName(), code.message(draft.language()), failed.stage(),
                        failed.detail());
            }
        } else if (event instanceof VideoCancelled) {
            VideoStatus.Edit edit = current.edit();
            if (edit != null && current.finalUrl() != null) {
                // an edit cancelled (running, or failed): back to the playable version, the block as it has it
                BlockState block = draft.block(edit.block());
                if (block != null) {
                    draft.setBlock(new BlockState(block.index(), BlockState.COMPLETED, block.attempt(),
                            edit.previousPrompt(), edit.previousNarration(), block.durationS(),
                            edit.previousClipUri(), null, null));
                }
                draft.status = Status.COMPLETED;
                draft.error = null;
                draft.edit = null;
            } else if (status != Status.FAILED) {
                draft.status = Status.CANCELLED;
            }
        }
        VideoStatus next = draft.build(event.occurredAt());
        return sameContent(current, next) ? Optional.empty() : Optional.of(next);
    }

    private static VideoStatus created(VideoRequested requested) {
        VideoRequest request = requested.request();
        Language language = Language.ofOrFrench(request == null ? null : request.language());
        Instant createdAt = requested.requestedAt() != null ? requested.requestedAt() : requested.occurredAt();
        return new VideoStatus(requested.videoId(), requested.userId(), 1, Status.QUEUED.wireName(),
                Status.QUEUED.message(language, 0, 0), 0, 0, 0, createdAt, requested.occurredAt(), request,
                requested.idempotencyKey(), null, List.of(), null, null, null);
    }

    /** Whether two views differ only in version and update time: then nothing happened. */
    private static boolean sameContent(VideoStatus a, VideoStatus b) {
        return a.status().equals(b.status()) && a.currentStep().equals(b.currentStep())
                && a.blocks().equals(b.blocks()) && java.util.Objects.equals(a.finalUrl(), b.finalUrl())
                && java.util.Objects.equals(a.error(), b.error())
                && java.util.Objects.equals(a.agentVideoId(), b.agentVideoId())
                && java.util.Objects.equals(a.durationS(), b.durationS())
                && java.util.Objects.equals(a.finalVersion(), b.finalVersion())
                && java.util.Objects.equals(a.edit(), b.edit());
    }

    /** Progress shown to the user, 0–100; blocks take 10 % to 90 %. */
    static int progress(Status status, int completed, int total, int previous) {
        return switch (status) {
            case QUEUED -> 0;
            case GENERATING_SCRIPT -> 5;
            case SCRIPT_GENERATED -> 10;
            case GENERATING_PARALLEL -> total == 0 ? 10 : 10 + (80 * completed) / total;
            case READY_FOR_ASSEMBLY -> 90;
            case ASSEMBLING -> 95;
            case COMPLETED -> 100;
            case FAILED, CANCELLED -> previous;
        };
    }

    /** A mutable copy of a view while one event is applied. */
    private static final class Draft {
        private final VideoStatus base;
        private Status status;
        private List<BlockState> blocks;
        private String agentVideoId;
        private String finalUrl;
        private Double durationS;
        private VideoError error;
        private Integer finalVersion;
        private VideoStatus.Edit edit;

        Draft(VideoStatus base) {
            this.base = base;
            this.status = base.statusEnum();
            this.blocks = new ArrayList<>(base.blocks());
            this.agentVideoId = base.agentVideoId();
            this.finalUrl = base.finalUrl();
            this.durationS = base.durationS();
            this.error = base.error();
            this.finalVersion = base.finalVersion();
            this.edit = base.edit();
        }

        BlockState block(int index) {
            return blocks.stream().filter(b -> b.index() == index).findFirst().orElse(null);
        }

        /** Replaces the block with the same index, completed or not (an edit, or an edit cancelled). */
        void setBlock(BlockState block) {
            for (int i = 0; i < blocks.size(); i++) {
                if (blocks.get(i).index() == block.index()) {
                    blocks.set(i, block);
                }
            }
        }

        Language language() {
            return Language.ofOrFrench(base.request() == null ? null : base.request().language());
        }

        /** Changes a block that exists and has not completed: a completed block stays completed. */
        void updateBlock(int index, UnaryOperator<BlockState> change) {
            for (int i = 0; i < blocks.size(); i++) {
                BlockState block = blocks.get(i);
                if (block.index() == index && !block.completed()) {
                    blocks.set(i, change.apply(block));
                }
            }
        }

        boolean allBlocksCompleted() {
            return !blocks.isEmpty() && blocks.stream().allMatch(BlockState::completed);
        }

        VideoStatus build(Instant at) {
            int total = blocks.size();
            int completed = (int) blocks.stream().filter(BlockState::completed).count();
            Instant updatedAt = base.updatedAt() != null && at != null && at.isBefore(base.updatedAt())
                    ? base.updatedAt() : at;
            return new VideoStatus(base.videoId(), base.userId(), base.version() + 1, status.wireName(),
                    status.message(language(), completed, total), total, completed,
                    progress(status, completed, total, base.progress()), base.createdAt(), updatedAt,
                    base.request(), base.idempotencyKey(), agentVideoId, blocks, finalUrl, durationS, error,
                    finalVersion, edit);
        }
    }
}
