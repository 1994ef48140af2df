package com.reetik.bridge.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.reetik.contracts.event.ScriptBlock;
import com.reetik.contracts.status.ErrorCode;
import com.reetik.contracts.status.VideoRequest;
import io.micrometer.core.instrument.MockClock;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleConfig;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class MeteredAgentPortTest {

    private static final VideoRequest REQUEST = new VideoRequest("Les volcans d'Islande", 8, "informative", "fr", "9:16");
    private static final ClipRequest CLIP = new ClipRequest("volcans_20260101_000000_abcdef", null, 2,
            new ScriptBlock(1, "prompt", "narration", 4), 1, REQUEST);

    private final MockClock clock = new MockClock();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry(SimpleConfig.DEFAULT, clock);

    /** An agent whose every call takes {@code seconds} on the registry's clock, then does {@code then}. */
    private AgentPort agent(long seconds, AgentException failure) {
        return new AgentPort() {
            private void work() throws AgentException {
                clock.add(Duration.ofSeconds(seconds));
                if (failure != null) {
                    throw failure;
                }
            }

            @Override
            public Script writeScript(String videoId, VideoRequest request) throws AgentException {
                work();
                return new Script(List.of(new ScriptBlock(1, "p", "n", 4), new ScriptBlock(2, "p", "n", 4)), null);
            }

            @Override
            public Clip generateClip(ClipRequest request) throws AgentException {
                work();
                return new Clip("file:///v/block_1.mp4", 4.0, null);
            }

            @Override
            public ClipProgress pollClip(ClipRequest request, String operation) throws AgentException {
                work();
                return new ClipProgress.Pending(operation);
            }

            @Override
            public Assembled assemble(String videoId, List<String> clipUris) throws AgentException {
                work();
                return new Assembled("file:///v/final.mp4", 8.0);
            }
        };
    }

    private Timer timer(String operation, String outcome) {
        return registry.find(MeteredAgentPort.CALLS)
                .tags("operation", operation, "outcome", outcome, "agents", "veo").timer();
    }

    @Test
    void shouldTimeEachSuccessfulCallByOperation() throws Exception {
        // Given a Veo adapter whose calls take 3 s
        AgentPort port = new MeteredAgentPort(agent(3, null), registry, "veo");

        // When each operation is called (the start twice: once as startClip, once as a one-call generateClip)
        port.writeScript(CLIP.videoId(), REQUEST);
        assertThat(port.startClip(CLIP)).isInstanceOf(ClipProgress.Done.class);
        port.generateClip(CLIP);
        assertThat(port.pollClip(CLIP, "operations/1")).isEqualTo(new ClipProgress.Pending("operations/1"));
        port.assemble(CLIP.videoId(), List.of("a", "b"));

        // Then each is one timed success of 3 s under its operation, tagged with the adapter
        assertThat(timer("script", "success").count()).isEqualTo(1);
        assertThat(timer("script", "success").totalTime(TimeUnit.SECONDS)).isEqualTo(3.0);
        // the adapter's own startClip → generateClip is one call, not two
        assertThat(timer("start_clip", "success").count()).isEqualTo(2);
        assertThat(timer("start_clip", "success").totalTime(TimeUnit.SECONDS)).isEqualTo(6.0);
        assertThat(timer("poll_clip", "success").count()).isEqualTo(1);
        assertThat(timer("assemble", "success").count()).isEqualTo(1);
        assertThat(registry.find(MeteredAgentPort.CALLS).timers()).hasSize(4)
                .allSatisfy(t -> assertThat(t.getId().getTags()).extracting(Tag::getKey)
                        .containsExactlyInAnyOrder("operation", "outcome", "agents"));
    }

    @Test
    void shouldTagAFailedCallWithItsErrorCodeAndRethrowIt() {
        // Given a local adapter that refuses after 2 s
        AgentException refused = new AgentException(ErrorCode.USAGE_GUIDELINES, false, "filtered");
        AgentPort port = new MeteredAgentPort(agent(2, refused), registry, "local");

        // When a clip is started / Then the same exception comes out
        assertThatThrownBy(() -> port.startClip(CLIP)).isSameAs(refused);

        // And the call is timed under its error code's wire name, not as a success
        Timer failed = registry.find(MeteredAgentPort.CALLS)
                .tags("operation", "start_clip", "outcome", "usage_guidelines", "agents", "local").timer();
        assertThat(failed).isNotNull();
        assertThat(failed.count()).isEqualTo(1);
        assertThat(failed.totalTime(TimeUnit.SECONDS)).isEqualTo(2.0);
        assertThat(registry.find(MeteredAgentPort.CALLS).tag("outcome", "success").timer()).isNull();
    }

    @Test
    void shouldCountAnUnexpectedExceptionAsDefault() {
        // Given an adapter with a bug
        AgentPort buggy = new AgentPort() {
            @Override
            public Script writeScript(String videoId, VideoRequest request) {
                throw new IllegalStateException("bug");
            }

            @Override
            public Clip generateClip(ClipRequest request) {
                throw new IllegalStateException("bug");
            }

            @Override
            public Assembled assemble(String videoId, List<String> clipUris) {
                throw new IllegalStateException("bug");
            }
        };
        AgentPort port = new MeteredAgentPort(buggy, registry, "cloud-run");

        // When / Then: the exception passes, counted as "default" (what the bridge makes of it)
        assertThatThrownBy(() -> port.assemble("v", List.of())).isInstanceOf(IllegalStateException.class);
        assertThat(registry.find(MeteredAgentPort.CALLS)
                .tags("operation", "assemble", "outcome", "default", "agents", "cloud-run").timer().count())
                .isEqualTo(1);
    }
}
