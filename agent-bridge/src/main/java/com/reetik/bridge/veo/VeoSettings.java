package com.reetik.bridge.veo;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Settings of the {@code veo} agents: Gemini for the script, Veo 3.1 for the clips.
 *
 * <p>Backend: the Gemini Developer API with an API key ({@code GOOGLE_API_KEY} or {@code GEMINI_API_KEY}), else
 * Vertex AI with the application default credentials ({@code GCP_PROJECT}, {@code GOOGLE_CLOUD_LOCATION}).
 *
 * @param apiKey           Gemini API key, or null for Vertex AI
 * @param project          Vertex AI project, or null with an API key
 * @param location         Vertex AI location
 * @param veoModel         e.g. {@code veo-3.1-generate-001} or {@code veo-3.1-fast-generate-001}
 * @param geminiModel      the script model, e.g. {@code gemini-2.5-flash}
 * @param resolution       {@code 720p} or {@code 1080p}
 * @param baseUrl          the API's base URL (a stub in tests), or null for Google's
 * @param rateLimit        video generations started per {@code ratePeriod} (client side, so a burst queues)
 * @param ratePeriod       the rate limiter's period
 * @param rateWait         how long a start may queue for the rate limiter before {@code quota_exceeded}
 * @param bucket           GCS bucket for Veo's output (Vertex AI only), or null to download and store the bytes
 * @param sdkAttempts      HTTP attempts per SDK call (the SDK's own retries of 408/429/5xx); 1 = no retry
 * @param pollInterval     {@link VeoAgents#generateClip}'s poll interval
 * @param clipDeadline     {@link VeoAgents#generateClip}'s deadline from the start
 */
public record VeoSettings(String apiKey, String project, String location, String veoModel, String geminiModel,
                          String resolution, String baseUrl, int rateLimit, Duration ratePeriod, Duration rateWait,
                          String bucket, int sdkAttempts, Duration pollInterval, Duration clipDeadline) {

    public static final String DEFAULT_VEO_MODEL = "veo-3.1-generate-001";
    public static final String FAST_VEO_MODEL = "veo-3.1-fast-generate-001";
    public static final String DEFAULT_GEMINI_MODEL = "gemini-2.5-flash";
    public static final String DEFAULT_LOCATION = "us-central1";
    public static final String DEFAULT_RESOLUTION = "720p";
    public static final int DEFAULT_RATE_PER_MINUTE = 50;
    public static final List<String> RESOLUTIONS = List.of("720p", "1080p");

    public VeoSettings {
        apiKey = blankToNull(apiKey);
        project = blankToNull(project);
        if (apiKey == null && project == null) {
            throw new IllegalArgumentException("veo agents: set GOOGLE_API_KEY or GEMINI_API_KEY (Gemini API), "
                    + "or GCP_PROJECT (Vertex AI)");
        }
        location = blankToNull(location) == null ? DEFAULT_LOCATION : location.strip();
        veoModel = blankToNull(veoModel) == null ? DEFAULT_VEO_MODEL : veoModel.strip();
        geminiModel = blankToNull(geminiModel) == null ? DEFAULT_GEMINI_MODEL : geminiModel.strip();
        resolution = blankToNull(resolution) == null ? DEFAULT_RESOLUTION : resolution.strip().toLowerCase(Locale.ROOT);
        if (!RESOLUTIONS.contains(resolution)) {
            throw new IllegalArgumentException("REETIK_VEO_RESOLUTION must be 720p or 1080p, not '" + resolution + "'");
        }
        baseUrl = blankToNull(baseUrl);
        if (baseUrl != null) {
            URI uri = URI.create(baseUrl.strip());
            if (!uri.isAbsolute() || !("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))) {
                throw new IllegalArgumentException("REETIK_GENAI_BASE_URL must be an absolute http(s) URL: " + baseUrl);
            }
            baseUrl = baseUrl.strip();
        }
        if (rateLimit < 1) {
            throw new IllegalArgumentException("REETIK_VEO_RATE_PER_MINUTE must be at least 1, not " + rateLimit);
        }
        Objects.requireNonNull(ratePeriod, "ratePeriod");
        Objects.requireNonNull(rateWait, "rateWait");
        bucket = blankToNull(bucket);
        if (bucket != null) {
            bucket = bucket.strip().replaceFirst("^gs://", "").replaceAll("/+$", "");
        }
        if (sdkAttempts < 1) {
            throw new IllegalArgumentException("sdkAttempts must be at least 1");
        }
        Objects.requireNonNull(pollInterval, "pollInterval");
        Objects.requireNonNull(clipDeadline, "clipDeadline");
    }

    /**
     * From the environment: {@code GOOGLE_API_KEY} / {@code GEMINI_API_KEY}, or {@code GCP_PROJECT} (alias
     * {@code GOOGLE_CLOUD_PROJECT}) + {@code GOOGLE_CLOUD_LOCATION} (default us-central1); {@code REETIK_VEO_MODEL},
     * {@code REETIK_GEMINI_MODEL}, {@code REETIK_VEO_RESOLUTION}, {@code REETIK_GENAI_BASE_URL},
     * {@code REETIK_VEO_RATE_PER_MINUTE} (50), {@code BUCKET_NAME_V2}, {@code REETIK_AGENT_POLL_INTERVAL_S} (10),
     * {@code REETIK_AGENT_CLIP_DEADLINE_S} (600).
     */
    public static VeoSettings fromEnvironment(Map<String, String> env) {
        String apiKey = first(env, "GOOGLE_API_KEY", "GEMINI_API_KEY");
        String project = apiKey == null ? first(env, "GCP_PROJECT", "GOOGLE_CLOUD_PROJECT") : null;
        return new VeoSettings(apiKey, project, env.get("GOOGLE_CLOUD_LOCATION"), env.get("REETIK_VEO_MODEL"),
                env.get("REETIK_GEMINI_MODEL"), env.get("REETIK_VEO_RESOLUTION"), env.get("REETIK_GENAI_BASE_URL"),
                intOf(env, "REETIK_VEO_RATE_PER_MINUTE", DEFAULT_RATE_PER_MINUTE), Duration.ofMinutes(1),
                Duration.ofMinutes(10), env.get("BUCKET_NAME_V2"), 3,
                Duration.ofSeconds(intOf(env, "REETIK_AGENT_POLL_INTERVAL_S", 10)),
                Duration.ofSeconds(intOf(env, "REETIK_AGENT_CLIP_DEADLINE_S", 600)));
    }

    /** Settings for the Gemini API with {@code apiKey} at {@code baseUrl} (null = Google's), other values default. */
    public static VeoSettings forApiKey(String apiKey, String baseUrl) {
        return new VeoSettings(apiKey, null, null, null, null, null, baseUrl, DEFAULT_RATE_PER_MINUTE,
                Duration.ofMinutes(1), Duration.ofMinutes(10), null, 3, Duration.ofSeconds(10),
                Duration.ofSeconds(600));
    }

    /** True for Vertex AI, false for the Gemini Developer API. */
    public boolean vertexAi() {
        return apiKey == null;
    }

    public VeoSettings withVeoModel(String model) {
        return new VeoSettings(apiKey, project, location, model, geminiModel, resolution, baseUrl, rateLimit,
                ratePeriod, rateWait, bucket, sdkAttempts, pollInterval, clipDeadline);
    }

    public VeoSettings withRateLimit(int limit, Duration period, Duration wait) {
        return new VeoSettings(apiKey, project, location, veoModel, geminiModel, resolution, baseUrl, limit, period,
                wait, bucket, sdkAttempts, pollInterval, clipDeadline);
    }

    public VeoSettings withSdkAttempts(int attempts) {
        return new VeoSettings(apiKey, project, location, veoModel, geminiModel, resolution, baseUrl, rateLimit,
                ratePeriod, rateWait, bucket, attempts, pollInterval, clipDeadline);
    }

    public VeoSettings withPolling(Duration interval, Duration deadline) {
        return new VeoSettings(apiKey, project, location, veoModel, geminiModel, resolution, baseUrl, rateLimit,
                ratePeriod, rateWait, bucket, sdkAttempts, interval, deadline);
    }

    private static String first(Map<String, String> env, String... names) {
        for (String name : names) {
            String value = blankToNull(env.get(name));
            if (value != null) {
                return value.strip();
            }
        }
        return null;
    }

    private static int intOf(Map<String, String> env, String name, int fallback) {
        String value = blankToNull(env.get(name));
        if (value == null) {
            return fallback;
        }
        try {
            return Integer.parseInt(value.strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a whole number, not '" + value + "'", e);
        }
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }
}
