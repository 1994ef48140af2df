package com.reetik.contracts.topic;

import com.reetik.contracts.account.UserAccount;
import com.reetik.contracts.command.VideoCommand;
import com.reetik.contracts.deadletter.DeadLetter;
import com.reetik.contracts.event.AssemblyTask;
import com.reetik.contracts.event.BlockTask;
import com.reetik.contracts.event.VideoEvent;
import com.reetik.contracts.json.JsonSerde;
import com.reetik.contracts.status.VideoStatus;
import com.reetik.contracts.status.VideoSummary;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.common.serialization.Serdes;

/** Every topic of Reetik, with its serdes. One writer per topic (see docs/architecture.md). */
public final class Topics {

    /**
     * How long commands and block tasks are kept: a week, longer than any real backlog (a bridge fleet down for
     * days still finds its work). Explicit rather than the broker's default, because what is still on these topics
     * may be read again: a consumer group reset to the earliest offsets, or whose committed offsets expired
     * ({@code offsets.retention.minutes}, a week by default) while it was empty, starts over at the oldest record
     * kept. The bridge checks every command and task against what its ledger of {@link #VIDEO_EVENTS} says was
     * already done, so such a replay does nothing (docs/architecture.md, "Replays").
     */
    public static final Duration WORK_RETENTION = Duration.ofDays(7);

    /** Written by the gateway: CreateVideo, CancelVideo, RetryVideo, keyed by video_id; kept {@link #WORK_RETENTION}. */
    public static final Topic<String, VideoCommand> VIDEO_COMMANDS =
            new Topic<>("reetik.video-commands", Serdes.String(), new JsonSerde<>(VideoCommand.class), false,
                    WORK_RETENTION);

    /** Written by the agent bridge: the public, versioned event log of every video, keyed by video_id; kept forever. */
    public static final Topic<String, VideoEvent> VIDEO_EVENTS =
            new Topic<>("reetik.video-events", Serdes.String(), new JsonSerde<>(VideoEvent.class), false, null);

    /**
     * Written and read by the agent bridge: one block to generate, keyed by {@code video_id/block_index}; kept
     * {@link #WORK_RETENTION}.
     */
    public static final Topic<String, BlockTask> BLOCK_TASKS =
            new Topic<>("reetik.block-tasks", Serdes.String(), new JsonSerde<>(BlockTask.class), false,
                    WORK_RETENTION);

    /**
     * Written and read by the agent bridge: the next check of a block's long-running operation (Veo, the Cloud
     * Run video agent), due at its {@code not_before}, keyed like {@link #BLOCK_TASKS}. Apart from the tasks
     * that start blocks so that a wait never holds a start behind it; every record here waits the same poll
     * interval, so the head of a partition is always the first due. Kept {@link #WORK_RETENTION}.
     */
    public static final Topic<String, BlockTask> BLOCK_POLLS =
            new Topic<>("reetik.block-polls", Serdes.String(), new JsonSerde<>(BlockTask.class), false,
                    WORK_RETENTION);

    /**
     * Written and read by the agent bridge: a video whose blocks all completed, to assemble, keyed by video_id. Not
     * compacted, unlike the {@link #VIDEO_STATUS} view that prompts it: an assembly interrupted by a crash is taken
     * up from here even after compaction kept only the video's later {@code assembling} view. Kept
     * {@link #WORK_RETENTION}.
     */
    public static final Topic<String, AssemblyTask> ASSEMBLY_TASKS =
            new Topic<>("reetik.assembly-tasks", Serdes.String(), new JsonSerde<>(AssemblyTask.class), false,
                    WORK_RETENTION);

    /** Written by the status projector: the latest view of each video, keyed by video_id. */
    public static final Topic<String, VideoStatus> VIDEO_STATUS =
            new Topic<>("reetik.video-status", Serdes.String(), new JsonSerde<>(VideoStatus.class), true, null);

    /**
     * Written by the status projector: each video's summary for its owner's library, keyed
     * {@code user_id/video_id} ({@link VideoSummary#key}), one record per video, so no record grows with the
     * number of a user's videos. Derived from {@link #VIDEO_STATUS}.
     */
    public static final Topic<String, VideoSummary> VIDEO_SUMMARIES =
            new Topic<>("reetik.video-summaries", Serdes.String(), new JsonSerde<>(VideoSummary.class), true, null);

    /** Records that could not be read, keyed by their original key, with where they came from and why; kept forever. */
    public static final Topic<String, DeadLetter> DEAD_LETTERS =
            new Topic<>("reetik.dead-letters", Serdes.String(), new JsonSerde<>(DeadLetter.class), false, null);

    /**
     * Written by the gateway: each registration, as the account it proposes (a new user id, a password hash),
     * keyed by the lower-cased e-mail. Not yet an account: the status projector admits the first registration of
     * each e-mail, in partition order, to {@link #USERS} and drops every later one. Kept a day (a registration
     * matters only until the projector has decided it), not compacted (compaction would keep the last).
     */
    public static final Topic<String, UserAccount> REGISTRATIONS =
            new Topic<>("reetik.registrations", Serdes.String(), new JsonSerde<>(UserAccount.class), false,
                    Duration.ofDays(1));

    /**
     * Written by the status projector only: registered accounts, keyed by lower-cased e-mail. It holds at most one
     * account per e-mail, the first registration of it ({@link #REGISTRATIONS}), so compaction cannot change which
     * account an e-mail has, and a replica rebuilt from it agrees with a live one.
     */
    public static final Topic<String, UserAccount> USERS =
            new Topic<>("reetik.users", Serdes.String(), new JsonSerde<>(UserAccount.class), true, null);

    private Topics() {
    }

    public static List<Topic<?, ?>> all() {
        return List.of(VIDEO_COMMANDS, VIDEO_EVENTS, BLOCK_TASKS, BLOCK_POLLS, ASSEMBLY_TASKS, VIDEO_STATUS,
                VIDEO_SUMMARIES, DEAD_LETTERS, REGISTRATIONS, USERS);
    }
}
