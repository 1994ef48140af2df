package com.reetik.bridge.agent;

import com.reetik.bridge.AgentsProperties;
import com.reetik.bridge.BridgeProperties;
import com.reetik.bridge.cloudrun.CloudRunAgents;
import com.reetik.bridge.cloudrun.CloudRunProperties;
import com.reetik.bridge.cloudrun.GoogleIdTokenSource;
import com.reetik.bridge.local.Ffmpeg;
import com.reetik.bridge.local.FfmpegAssembler;
import com.reetik.bridge.local.LocalAgents;
import com.reetik.bridge.veo.VeoAgents;
import com.reetik.bridge.veo.VeoProperties;
import com.reetik.contracts.storage.ObjectStore;
import com.reetik.platform.ReetikProperties;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.file.Path;
import java.util.Optional;
import java.util.SplittableRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * One configuration per adapter behind the {@link AgentPort}, chosen by {@code REETIK_AGENTS}. Each makes the
 * one {@code AgentPort} bean of the context: its adapter wrapped in a {@link MeteredAgentPort}, so every call
 * is timed ({@code reetik.agent.calls}) whichever adapter runs. (One bean, not an adapter bean plus a decorator
 * bean: the standalone tests wrap the {@code AgentPort} bean for fault injection and must find exactly one.)
 */
@Configuration(proxyBeanMethods = false)
public class AgentsConfiguration {

    private static final Logger log = LoggerFactory.getLogger(AgentsConfiguration.class);

    /** The one ffmpeg of this process: {@code FFMPEG_PATH}, else the bundled one under {@code {data-dir}/bin}. */
    @Bean
    Ffmpeg ffmpeg(AgentsProperties agents, ReetikProperties reetik) {
        return new Ffmpeg(Optional.ofNullable(agents.ffmpegPath()), reetik.dataDir().resolve("bin"));
    }

    /** Where the bridge writes work files (renders before they are stored, cancel marks): {@code {data-dir}/work}. */
    public static Path workDir(ReetikProperties reetik) {
        return reetik.dataDir().resolve("work");
    }

    /** The adapter as the bridge uses it: timed, tagged {@code agents=kind}. */
    static AgentPort metered(AgentPort adapter, MeterRegistry registry, String kind) {
        return new MeteredAgentPort(adapter, registry, kind);
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnProperty(name = "reetik.agents.kind", havingValue = "local", matchIfMissing = true)
    static class Local {

        @Bean
        AgentPort localAgents(AgentsProperties agents, ReetikProperties reetik, Ffmpeg ffmpeg, ObjectStore store,
                              MeterRegistry registry) {
            AgentsProperties.Local local = agents.local();
            log.info("Agents: local preview (templates + ffmpeg, no AI), {} s blocks at {}, failure rate {}",
                    local.blockSeconds(), local.resolution(), local.failureRate());
            return metered(new LocalAgents(ffmpeg, store, workDir(reetik), local.blockSeconds(),
                    local.failureRate(), new SplittableRandom(), local.previewResolution()), registry, "local");
        }
    }

    /**
     * {@code REETIK_AGENTS=cloud-run}: the four Cloud Run agents. Their settings ({@code reetik.agents.cloud-run},
     * {@code AGENT_SCRIPT_V2}, …) are bound here only, so another mode never asks for their URLs, and a missing
     * one stops the start with the variable to set.
     */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnProperty(name = "reetik.agents.kind", havingValue = "cloud-run")
    @EnableConfigurationProperties(CloudRunProperties.class)
    static class CloudRun {

        @Bean
        AgentPort cloudRunAgents(CloudRunProperties cloudRun, BridgeProperties bridge, MeterRegistry registry) {
            log.info("Agents: the four Cloud Run agents: script {}, video {}, check-and-retry {}, assembler {}",
                    cloudRun.scriptUrl(), cloudRun.videoUrl(), cloudRun.checkUrl(), cloudRun.assemblerUrl());
            return metered(new CloudRunAgents(cloudRun, bridge.operationPolling(), new GoogleIdTokenSource()),
                    registry, "cloud-run");
        }
    }

    /**
     * {@code REETIK_AGENTS=veo}: Veo 3.1 and Gemini. Their settings ({@code reetik.agents.veo},
     * {@code GOOGLE_API_KEY}, …) are bound here only.
     */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnProperty(name = "reetik.agents.kind", havingValue = "veo")
    @EnableConfigurationProperties(VeoProperties.class)
    static class Veo {

        @Bean
        AgentPort veoAgents(VeoProperties veo, BridgeProperties bridge, ReetikProperties reetik, Ffmpeg ffmpeg,
                            ObjectStore store, MeterRegistry registry) {
            log.info("Agents: Veo ({}) for the clips, Gemini ({}) for the script, through {}; ffmpeg for the assembly",
                    veo.veoModel(), veo.geminiModel(), veo.vertexAi() ? "Vertex AI (" + veo.project() + ")"
                            : "the Gemini API");
            Path work = workDir(reetik);
            return metered(new VeoAgents(veo, bridge.operationPolling(), store, work,
                    new FfmpegAssembler(ffmpeg, store, work.resolve("assembly"))), registry, "veo");
        }
    }
}
