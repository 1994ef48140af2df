package com.reetik.bridge.agent;

import com.reetik.contracts.status.ErrorCode;
import com.reetik.contracts.status.VideoRequest;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The {@link AgentPort} with every call timed: {@value #CALLS} (a Timer; Prometheus
 * {@code reetik_agent_calls_seconds_count/_sum/_bucket}), tagged
 * <ul>
 *   <li>{@code operation}: {@code script}, {@code start_clip} (also a one-call {@code generateClip}),
 *       {@code poll_clip}, {@code assemble};</li>
 *   <li>{@code outcome}: {@code success}, or the error code's wire name ({@code usage_guidelines},
 *       {@code quota_exceeded}, {@code operation_timeout}, …); anything but an {@link AgentException} counts
 *       as {@code default}, as the bridge treats it;</li>
 *   <li>{@code agents}: the adapter, {@code local}, {@code cloud-run} or {@code veo}.</li>
 * </ul>
 * A {@code start_clip} that answers with an operation is a success: the generation's own time is
 * {@code reetik.block.generation}. Histogram buckets from 100 ms to 10 min give p95 in Prometheus.
 * Closing it closes the adapter when that is closeable (Veo's client), as the context closes its bean.
 */
public final class MeteredAgentPort implements AgentPort, AutoCloseable {

    public static final String CALLS = "reetik.agent.calls";
    static final String SUCCESS = "success";

    /** Buckets for {@code histogram_quantile}: a local script takes milliseconds, a Veo assembly minutes. */
    private static final Duration[] BUCKETS = {Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500),
            Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(5), Duration.ofSeconds(10),
            Duration.ofSeconds(30), Duration.ofSeconds(60), Duration.ofSeconds(120), Duration.ofSeconds(300),
            Duration.ofSeconds(600)};

    private final AgentPort delegate;
    private final MeterRegistry registry;
    /** The timer described once; each call only picks its {@code operation} and {@code outcome}. */
    private final Meter.MeterProvider<Timer> calls;

    /**
     * @param agents the adapter's name, {@code REETIK_AGENTS}: {@code local}, {@code cloud-run} or {@code veo}
     */
    public MeteredAgentPort(AgentPort delegate, MeterRegistry registry, String agents) {
        this.delegate = delegate;
        this.registry = registry;
        this.calls = Timer.builder(CALLS)
                .description("Calls to the agents (script, clip start, clip poll, assembly), by outcome")
                .tag("agents", agents)
                .serviceLevelObjectives(BUCKETS)
                .withRegistry(registry);
    }

    /** The adapter behind the timing. */
    public AgentPort delegate() {
        return delegate;
    }

    @Override
    public Script writeScript(String videoId, VideoRequest request) throws AgentException {
        return timed("script", () -> delegate.writeScript(videoId, request));
    }

    @Override
    public Clip generateClip(ClipRequest request) throws AgentException {
        return timed("start_clip", () -> delegate.generateClip(request));
    }

    @Override
    public boolean startsOperations() {
        return delegate.startsOperations();
    }

    @Override
    public ClipProgress startClip(ClipRequest request) throws AgentException {
        return timed("start_clip", () -> delegate.startClip(request));
    }

    @Override
    public ClipProgress pollClip(ClipRequest request, String operation) throws AgentException {
        return timed("poll_clip", () -> delegate.pollClip(request, operation));
    }

    /** One {@code poll_clip} call for the checks of a video at once (each block's failure is in its outcome). */
    @Override
    public List<ClipCheck.Outcome> pollClips(List<ClipCheck> checks) {
        if (checks.size() == 1) {
            return AgentPort.super.pollClips(checks); // through pollClip: timed with that block's outcome
        }
        long start = registry.config().clock().monotonicTime();
        String outcome = ErrorCode.DEFAULT.wireName();
        try {
            List<ClipCheck.Outcome> outcomes = delegate.pollClips(checks);
            outcome = SUCCESS;
            return outcomes;
        } finally {
            calls.withTags("operation", "poll_clip", "outcome", outcome)
                    .record(registry.config().clock().monotonicTime() - start, TimeUnit.NANOSECONDS);
        }
    }

    @Override
    public Assembled assemble(String videoId, List<String> clipUris) throws AgentException {
        return timed("assemble", () -> delegate.assemble(videoId, clipUris));
    }

    @Override
    public Assembled assemble(String videoId, List<String> clipUris, AssemblyOptions options) throws AgentException {
        return timed("assemble", () -> delegate.assemble(videoId, clipUris, options));
    }

    @Override
    public void close() throws Exception {
        if (delegate instanceof AutoCloseable closeable) {
            closeable.close();
        }
    }

    @FunctionalInterface
    private interface Call<T> {
        T call() throws AgentException;
    }

    private <T> T timed(String operation, Call<T> call) throws AgentException {
        long start = registry.config().clock().monotonicTime();
        String outcome = ErrorCode.DEFAULT.wireName();
        try {
            T result = call.call();
            outcome = SUCCESS;
            return result;
        } catch (AgentException e) {
            outcome = (e.code() == null ? ErrorCode.DEFAULT : e.code()).wireName();
            throw e;
        } finally {
            calls.withTags("operation", operation, "outcome", outcome)
                    .record(registry.config().clock().monotonicTime() - start, TimeUnit.NANOSECONDS);
        }
    }
}
