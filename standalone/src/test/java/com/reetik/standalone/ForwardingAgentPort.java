package com.reetik.standalone;

import com.reetik.bridge.agent.AgentException;
import com.reetik.bridge.agent.AgentPort;
import com.reetik.bridge.agent.Assembled;
import com.reetik.bridge.agent.Clip;
import com.reetik.bridge.agent.ClipRequest;
import com.reetik.bridge.agent.Script;
import com.reetik.contracts.status.VideoRequest;
import java.util.List;

/**
 * The real agents, for a test to override the one call it stages (a fault, a hold, a count). Only the three calls
 * every agent answers are forwarded: {@code startClip} keeps its default, so a start goes through this wrapper's
 * {@link #generateClip} and the test sees it; so does the assembly with options, which goes through
 * {@link #assemble(String, List)} (without burned subtitles: no test here burns them through a wrapper).
 */
class ForwardingAgentPort implements AgentPort {

    private final AgentPort real;

    ForwardingAgentPort(AgentPort real) {
        this.real = real;
    }

    @Override
    public Script writeScript(String videoId, VideoRequest request) throws AgentException {
        return real.writeScript(videoId, request);
    }

    @Override
    public Clip generateClip(ClipRequest request) throws AgentException {
        return real.generateClip(request);
    }

    @Override
    public Assembled assemble(String videoId, List<String> clipUris) throws AgentException {
        return real.assemble(videoId, clipUris);
    }
}
