package com.reetik.bridge.cloudrun;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Where the four Cloud Run agents live and how they are called, under {@code reetik.agents.cloud-run} (bound from
 * {@code agent-bridge.yml}, where each is the seed's environment name; bound only with {@code REETIK_AGENTS=cloud-run}).
 * How often a clip's operation is checked, and for how long, is the bridge's ({@code reetik.bridge.poll-interval},
 * {@code operation-deadline}), not a setting of this adapter.
 *
 * @param scriptUrl           {@code AGENT_SCRIPT_V2} (alias {@code SCRIPT_AGENT_URL}): base URL of the script agent
 * @param videoUrl            {@code AGENT_VIDEO_V2}: base URL of the video agent
 * @param checkUrl            {@code CHECK_AND_RETRY}: base URL of the check-and-retry agent
 * @param assemblerUrl        {@code AGENT_ASSEMBLER_V2}: base URL of the assembler agent
 * @param callTimeout         {@code REETIK_AGENT_CALL_TIMEOUT_S}: the longest one HTTP call may take (connect + answer);
 *                            60 s
 * @param maxRetries          {@code REETIK_AGENT_MAX_RETRIES}: how many times a call is tried again after a 5xx, a 429
 *                            or a connection error; 4
 * @param initialBackoff      {@code REETIK_AGENT_INITIAL_BACKOFF_MS}: the wait before the first retry, doubled (with
 *                            jitter) before each next one; 500 ms
 * @param circuitMinimumCalls the number of recent calls an agent's circuit breaker looks at before it may open; 10
 * @param circuitOpenFor      how long an open circuit refuses calls before it lets one through again; 30 s
 */
@ConfigurationProperties("reetik.agents.cloud-run")
public record CloudRunProperties(URI scriptUrl, URI videoUrl, URI checkUrl, URI assemblerUrl, Duration callTimeout,
                                 Integer maxRetries, Duration initialBackoff, Integer circuitMinimumCalls,
                                 Duration circuitOpenFor) {

    public static final Duration DEFAULT_CALL_TIMEOUT = Duration.ofSeconds(60);
    public static final int DEFAULT_MAX_RETRIES = 4;
    public static final Duration DEFAULT_INITIAL_BACKOFF = Duration.ofMillis(500);
    public static final int DEFAULT_CIRCUIT_MINIMUM_CALLS = 10;
    public static final Duration DEFAULT_CIRCUIT_OPEN_FOR = Duration.ofSeconds(30);

    /**
     * @throws IllegalArgumentException naming every environment variable that is missing or invalid
     */
    public CloudRunProperties {
        List<String> problems = new ArrayList<>();
        scriptUrl = baseUrl(scriptUrl, "script agent", "AGENT_SCRIPT_V2 (or its alias SCRIPT_AGENT_URL)", problems);
        videoUrl = baseUrl(videoUrl, "video agent", "AGENT_VIDEO_V2", problems);
        checkUrl = baseUrl(checkUrl, "check-and-retry agent", "CHECK_AND_RETRY", problems);
        assemblerUrl = baseUrl(assemblerUrl, "assembler agent", "AGENT_ASSEMBLER_V2", problems);
        callTimeout = callTimeout == null ? DEFAULT_CALL_TIMEOUT : callTimeout;
        maxRetries = maxRetries == null ? DEFAULT_MAX_RETRIES : maxRetries;
        initialBackoff = initialBackoff == null ? DEFAULT_INITIAL_BACKOFF : initialBackoff;
        circuitMinimumCalls = circuitMinimumCalls == null ? DEFAULT_CIRCUIT_MINIMUM_CALLS : circuitMinimumCalls;
        circuitOpenFor = circuitOpenFor == null ? DEFAULT_CIRCUIT_OPEN_FOR : circuitOpenFor;
        positive(callTimeout, "REETIK_AGENT_CALL_TIMEOUT_S", problems);
        positive(initialBackoff, "REETIK_AGENT_INITIAL_BACKOFF_MS", problems);
        positive(circuitOpenFor, "reetik.agents.cloud-run.circuit-open-for", problems);
        if (maxRetries < 0) {
            problems.add("REETIK_AGENT_MAX_RETRIES must be 0 or more, not " + maxRetries);
        }
        if (circuitMinimumCalls < 1) {
            problems.add("reetik.agents.cloud-run.circuit-minimum-calls must be 1 or more, not " + circuitMinimumCalls);
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("cloud-run agents: " + String.join("; ", problems));
        }
    }

    /** An absolute http(s) URL without a trailing slash; null (and a problem) when missing or not one. */
    private static URI baseUrl(URI uri, String agent, String variable, List<String> problems) {
        if (uri == null || uri.toString().isBlank()) {
            problems.add("the " + agent + " URL is missing: set " + variable);
            return null;
        }
        String scheme = uri.getScheme();
        if (scheme == null || !(scheme.equalsIgnoreCase("http") || scheme.equalsIgnoreCase("https"))
                || uri.getHost() == null) {
            problems.add(variable + " must be an absolute http(s) URL, not '" + uri + "'");
            return null;
        }
        String text = uri.toString();
        while (text.endsWith("/")) {
            text = text.substring(0, text.length() - 1);
        }
        return URI.create(text);
    }

    private static void positive(Duration d, String name, List<String> problems) {
        if (d.isZero() || d.isNegative()) {
            problems.add(name + " must be positive, not " + d);
        }
    }
}
