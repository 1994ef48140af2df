package com.reetik.bridge.agent;

import com.reetik.bridge.AgentsProperties;
import com.reetik.bridge.cloudrun.CloudRunAgents;
import com.reetik.bridge.local.Ffmpeg;
import com.reetik.bridge.local.FfmpegAssembler;
import com.reetik.bridge.local.LocalAgents;
import com.reetik.bridge.veo.VeoAgents;
import com.reetik.bridge.veo.VeoSettings;
import com.reetik.contracts.storage.ObjectStore;
import com.reetik.platform.EnvironmentView;
import com.reetik.platform.ReetikProperties;
import java.nio.file.Path;
import java.util.Optional;
import java.util.SplittableRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/** One configuration per adapter behind the {@link AgentPort}, chosen by {@code REETIK_AGENTS}. */
@Configuration(proxyBeanMethods = false)
public class AgentsConfiguration {

    private static final Logger log = LoggerFactory.getLogger(AgentsConfiguration.class);

    /** The one ffmpeg of this process: {@code FFMPEG_PATH}, else the bundled one under {@code {data-dir}/bin}. */
    @Bean
    Ffmpeg ffmpeg(AgentsProperties agents, ReetikProperties reetik) {
        return new Ffmpeg(Optional.ofNullable(agents.ffmpegPath()), reetik.dataDir().resolve("bin"));
    }

    static Path workDir(ReetikProperties reetik) {
        return reetik.dataDir().resolve("work");
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnProperty(name = "reetik.agents.kind", havingValue = "local", matchIfMissing = true)
    static class Local {

        @Bean
        AgentPort localAgents(AgentsProperties agents, ReetikProperties reetik, Ffmpeg ffmpeg, ObjectStore store) {
            AgentsProperties.Local local = agents.local();
            log.info("Agents: local preview (templates + ffmpeg, no AI), {} s blocks, failure rate {}",
                    local.blockSeconds(), local.failureRate());
            return new LocalAgents(ffmpeg, store, workDir(reetik), local.blockSeconds(), local.failureRate(),
                    new SplittableRandom());
        }
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnProperty(name = "reetik.agents.kind", havingValue = "cloud-run")
    static class CloudRun {

        @Bean
        AgentPort cloudRunAgents(Environment environment) {
            log.info("Agents: the four Cloud Run agents (AGENT_SCRIPT_V2, AGENT_VIDEO_V2, CHECK_AND_RETRY, "
                    + "AGENT_ASSEMBLER_V2)");
            return CloudRunAgents.fromEnvironment(EnvironmentView.of(environment));
        }
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnProperty(name = "reetik.agents.kind", havingValue = "veo")
    static class Veo {

        @Bean
        AgentPort veoAgents(Environment environment, ReetikProperties reetik, Ffmpeg ffmpeg, ObjectStore store) {
            log.info("Agents: Veo 3.1 for the clips, Gemini for the script, ffmpeg for the assembly");
            Path work = workDir(reetik);
            return new VeoAgents(VeoSettings.fromEnvironment(EnvironmentView.of(environment)), store, work,
                    new FfmpegAssembler(ffmpeg, store, work.resolve("assembly")));
        }
    }
}
