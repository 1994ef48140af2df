package com.reetik.bridge.cloudrun;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * Where the four Cloud Run agents live and how they are called.
 *
 * @param scriptUrl       base URL of the script agent ({@code AGENT_SCRIPT_V2}, alias {@code SCRIPT_AGENT_URL})
 * @param videoUrl        base URL of the video agent ({@code AGENT_VIDEO_V2})
 * @param checkUrl        base URL of the check-and-retry agent ({@code CHECK_AND_RETRY})
 * @param assemblerUrl    base URL of the assembler agent ({@code AGENT_ASSEMBLER_V2})
 * @param callTimeout     the longest one HTTP call may take (connect + answer)
 * @param maxRetries      how many times a call is tried again after a 5xx, a 429 or a connection error
 * @param initialBackoff  the wait before the first retry; doubled (with jitter) before each next one
 * @param pollInterval    how often a clip's operation is checked
 * @param clipDeadline    the longest a clip may take, from its submission, before {@code operation_timeout}
 * @param circuitMinimumCalls the number of recent calls an agent's circuit breaker looks at before it may open
 * @param circuitOpenFor  how long an open circuit refuses calls before it lets one through again
 */
public record CloudRunSettings(URI scriptUrl, URI videoUrl, URI checkUrl, URI assemblerUrl, Duration callTimeout,
                               int maxRetries, Duration initialBackoff, Duration pollInterval, Duration clipDeadline,
                               int circuitMinimumCalls, Duration circuitOpenFor) {

    public static final String ENV_SCRIPT = "AGENT_SCRIPT_V2";
    public static final String ENV_SCRIPT_ALIAS = "SCRIPT_AGENT_URL";
    public static final String ENV_VIDEO = "AGENT_VIDEO_V2";
    public static final String ENV_CHECK = "CHECK_AND_RETRY";
    public static final String ENV_ASSEMBLER = "AGENT_ASSEMBLER_V2";
    public static final String ENV_CALL_TIMEOUT_S = "REETIK_AGENT_CALL_TIMEOUT_S";
    public static final String ENV_MAX_RETRIES = "REETIK_AGENT_MAX_RETRIES";
    public static final String ENV_INITIAL_BACKOFF_MS = "REETIK_AGENT_INITIAL_BACKOFF_MS";
    public static final String ENV_POLL_INTERVAL_S = "REETIK_AGENT_POLL_INTERVAL_S";
    public static final String ENV_CLIP_DEADLINE_S = "REETIK_AGENT_CLIP_DEADLINE_S";

    public static final Duration DEFAULT_CALL_TIMEOUT = Duration.ofSeconds(60);
    public static final int DEFAULT_MAX_RETRIES = 4;
    public static final Duration DEFAULT_INITIAL_BACKOFF = Duration.ofMillis(500);
    public static final Duration DEFAULT_POLL_INTERVAL = Duration.ofSeconds(10);
    public static final Duration DEFAULT_CLIP_DEADLINE = Duration.ofMinutes(10);
    public static final int DEFAULT_CIRCUIT_MINIMUM_CALLS = 10;
    public static final Duration DEFAULT_CIRCUIT_OPEN_FOR = Duration.ofSeconds(30);

    public CloudRunSettings {
        scriptUrl = baseUrl(scriptUrl, "scriptUrl");
        videoUrl = baseUrl(videoUrl, "videoUrl");
        checkUrl = baseUrl(checkUrl, "checkUrl");
        assemblerUrl = baseUrl(assemblerUrl, "assemblerUrl");
        positive(callTimeout, "callTimeout");
        positive(initialBackoff, "initialBackoff");
        positive(pollInterval, "pollInterval");
        positive(clipDeadline, "clipDeadline");
        positive(circuitOpenFor, "circuitOpenFor");
        if (maxRetries < 0) {
            throw new IllegalArgumentException("maxRetries must be 0 or more, not " + maxRetries);
        }
        if (circuitMinimumCalls < 1) {
            throw new IllegalArgumentException("circuitMinimumCalls must be 1 or more, not " + circuitMinimumCalls);
        }
    }

    /** The four URLs with every other setting at its default. */
    public static CloudRunSettings of(URI scriptUrl, URI videoUrl, URI checkUrl, URI assemblerUrl) {
        return new CloudRunSettings(scriptUrl, videoUrl, checkUrl, assemblerUrl, DEFAULT_CALL_TIMEOUT,
                DEFAULT_MAX_RETRIES, DEFAULT_INITIAL_BACKOFF, DEFAULT_POLL_INTERVAL, DEFAULT_CLIP_DEADLINE,
                DEFAULT_CIRCUIT_MINIMUM_CALLS, DEFAULT_CIRCUIT_OPEN_FOR);
    }

    /**
     * Reads the seed's variables ({@code AGENT_SCRIPT_V2} or its alias {@code SCRIPT_AGENT_URL},
     * {@code AGENT_VIDEO_V2}, {@code CHECK_AND_RETRY}, {@code AGENT_ASSEMBLER_V2}) and the optional tuning ones
     * ({@code REETIK_AGENT_*}).
     *
     * @throws IllegalArgumentException naming the variable that is missing or invalid
     */
    public static CloudRunSettings fromEnvironment(Map<String, String> env) {
        Objects.requireNonNull(env, "env");
        String script = value(env, ENV_SCRIPT);
        String scriptName = ENV_SCRIPT;
        if (script == null) {
            script = value(env, ENV_SCRIPT_ALIAS);
            scriptName = ENV_SCRIPT_ALIAS;
        }
        if (script == null) {
            throw new IllegalArgumentException("cloud-run agents: the script agent URL is missing: set "
                    + ENV_SCRIPT + " (or its alias " + ENV_SCRIPT_ALIAS + ")");
        }
        return new CloudRunSettings(
                url(script, scriptName),
                url(required(env, ENV_VIDEO, "video agent"), ENV_VIDEO),
                url(required(env, ENV_CHECK, "check-and-retry agent"), ENV_CHECK),
                url(required(env, ENV_ASSEMBLER, "assembler agent"), ENV_ASSEMBLER),
                seconds(env, ENV_CALL_TIMEOUT_S, DEFAULT_CALL_TIMEOUT),
                (int) number(env, ENV_MAX_RETRIES, DEFAULT_MAX_RETRIES),
                Duration.ofMillis(number(env, ENV_INITIAL_BACKOFF_MS, DEFAULT_INITIAL_BACKOFF.toMillis())),
                seconds(env, ENV_POLL_INTERVAL_S, DEFAULT_POLL_INTERVAL),
                seconds(env, ENV_CLIP_DEADLINE_S, DEFAULT_CLIP_DEADLINE),
                DEFAULT_CIRCUIT_MINIMUM_CALLS, DEFAULT_CIRCUIT_OPEN_FOR);
    }

    private static String value(Map<String, String> env, String name) {
        String v = env.get(name);
        return v == null || v.isBlank() ? null : v.trim();
    }

    private static String required(Map<String, String> env, String name, String what) {
        String v = value(env, name);
        if (v == null) {
            throw new IllegalArgumentException("cloud-run agents: the " + what + " URL is missing: set " + name);
        }
        return v;
    }

    private static URI url(String value, String name) {
        try {
            return baseUrl(URI.create(value), name);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("cloud-run agents: " + name + " is not an http(s) URL: '" + value
                    + "' (" + e.getMessage() + ")", e);
        }
    }

    private static long number(Map<String, String> env, String name, long fallback) {
        String v = value(env, name);
        if (v == null) {
            return fallback;
        }
        try {
            long n = Long.parseLong(v);
            if (n < 0) {
                throw new NumberFormatException("negative");
            }
            return n;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("cloud-run agents: " + name + " must be a whole number >= 0, not '"
                    + v + "'", e);
        }
    }

    private static Duration seconds(Map<String, String> env, String name, Duration fallback) {
        String v = value(env, name);
        return v == null ? fallback : Duration.ofSeconds(number(env, name, 0));
    }

    /** An absolute http(s) URL without a trailing slash. */
    private static URI baseUrl(URI uri, String name) {
        Objects.requireNonNull(uri, name);
        String scheme = uri.getScheme();
        if (scheme == null || !(scheme.equalsIgnoreCase("http") || scheme.equalsIgnoreCase("https"))
                || uri.getHost() == null) {
            throw new IllegalArgumentException(name + " must be an absolute http(s) URL, not '" + uri + "'");
        }
        String text = uri.toString();
        while (text.endsWith("/")) {
            text = text.substring(0, text.length() - 1);
        }
        return URI.create(text);
    }

    private static void positive(Duration d, String name) {
        Objects.requireNonNull(d, name);
        if (d.isZero() || d.isNegative()) {
            throw new IllegalArgumentException(name + " must be positive, not " + d);
        }
    }
}
