package com.reetik.gateway.video;

import com.reetik.contracts.status.ReferenceImage;
import java.util.Optional;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Which agents the bridges run, as far as reference images go: the gateway refuses a request with reference images
 * that they cannot use (400) before anything is paid, and plans the estimate of Veo's 8 s clips. The same variables
 * as the agent-bridge reads; set them on the gateway too.
 *
 * @param agents   {@code REETIK_AGENTS}: {@code local} (the default), {@code cloud-run} or {@code veo}
 * @param veoModel {@code REETIK_VEO_MODEL}, for {@code veo}
 */
@ConfigurationProperties("reetik.gateway.agents")
public record ReferenceImageProperties(String agents, String veoModel) {

    public ReferenceImageProperties {
        agents = agents == null || agents.isBlank() ? "local" : agents.trim();
        veoModel = veoModel == null || veoModel.isBlank() ? "veo-3.1-generate-001" : veoModel.trim();
    }

    /** Why these agents take no reference images, or empty when they do. */
    Optional<String> refusal() {
        return ReferenceImage.refusal(agents, veoModel);
    }

    /** Veo makes only 8 s clips with reference images, whatever the resolution and the backend. */
    boolean eightSecondClips(com.reetik.contracts.status.VideoRequest request) {
        return "veo".equals(agents) && request.hasReferenceImages();
    }
}
