package com.reetik.bridge.veo;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Settings of the {@code veo} agents (Gemini for the script, Veo 3.1 for the clips), under
 * {@code reetik.agents.veo} (bound from {@code agent-bridge.yml}, where each is the seed's environment name; bound
 * only with {@code REETIK_AGENTS=veo}). How often an operation is checked, and for how long, is the bridge's
 * ({@code reetik.bridge.poll-interval}, {@code operation-deadline}), not a setting of this adapter.
 *
 * <p>Backend: the Gemini Developer API with an API key ({@code GOOGLE_API_KEY} or {@code GEMINI_API_KEY}), else
 * Vertex AI with the application default credentials ({@code GCP_PROJECT}, {@code GOOGLE_CLOUD_LOCATION}).
 *
 * @param apiKey      {@code GOOGLE_API_KEY} (alias {@code GEMINI_API_KEY}): Gemini API key; wins over a project
 * @param project     {@code GCP_PROJECT} (alias {@code GOOGLE_CLOUD_PROJECT}): Vertex AI project, used without a
 *                    key (null with a key)
 * @param location    {@code GOOGLE_CLOUD_LOCATION}: Vertex AI location; us-central1
 * @param veoModel    {@code REETIK_VEO_MODEL}: e.g. {@code veo-3.1-generate-001} (default) or
 *                    {@code veo-3.1-fast-generate-001}
 * @param geminiModel {@code REETIK_GEMINI_MODEL}: the script model; {@code gemini-2.5-flash}
 * @param resolution  {@code REETIK_VEO_RESOLUTION}: {@code 720p} (default), {@code 1080p} or {@code 4k} (on the
 *                    Gemini API, 1080p and 4k clips are 8 s only: {@link VeoRules})
 * @param baseUrl     {@code REETIK_GENAI_BASE_URL}: the API's base URL (a stub in tests), or null for Google's
 * @param rateLimit   {@code REETIK_VEO_RATE_PER_MINUTE}: video generations started per {@code ratePeriod} (client
 *                    side, so a burst queues); 50
 * @param ratePeriod  the rate limiter's period; 1 minute
 * @param rateWait    how long a start may queue for the rate limiter before {@code quota_exceeded}; 10 minutes
 * @param bucket      {@code BUCKET_NAME_V2}: GCS bucket for Veo's output (Vertex AI only), or null to download and
 *                    store the bytes
 * @param sdkAttempts HTTP attempts per SDK call (the SDK's own retries of 408/429/5xx); 3; 1 = no retry
 */
@ConfigurationProperties("reetik.agents.veo")
public record VeoProperties(String apiKey, String project, String location, String veoModel, String geminiModel,
                            String resolution, String baseUrl, Integer rateLimit, Duration ratePeriod,
                            Duration rateWait, String bucket, Integer sdkAttempts) {

    public static final String DEFAULT_VEO_MODEL = "veo-3.1-generate-001";
    public static final String FAST_VEO_MODEL = "veo-3.1-fast-generate-001";
    public static final String DEFAULT_GEMINI_MODEL = "gemini-2.5-flash";
    public static final String DEFAULT_LOCATION = "us-central1";
    public static final String DEFAULT_RESOLUTION = "720p";
    public static final int DEFAULT_RATE_PER_MINUTE = 50;
    public static final Duration DEFAULT_RATE_PERIOD = Duration.ofMinutes(1);
    public static final Duration DEFAULT_RATE_WAIT = Duration.ofMinutes(10);
    public static final int DEFAULT_SDK_ATTEMPTS = 3;
    public static final List<String> RESOLUTIONS = List.of("720p", "1080p", "4k");

    /**
     * @throws IllegalArgumentException naming the environment variable to set or fix
     */
    public VeoProperties {
        apiKey = stripped(apiKey);
        project = apiKey == null ? stripped(project) : null;
        if (apiKey == null && project == null) {
            throw new IllegalArgumentException("veo agents: set GOOGLE_API_KEY or GEMINI_API_KEY (Gemini API), "
                    + "or GCP_PROJECT or GOOGLE_CLOUD_PROJECT (Vertex AI)");
        }
        location = orDefault(location, DEFAULT_LOCATION);
        veoModel = orDefault(veoModel, DEFAULT_VEO_MODEL);
        geminiModel = orDefault(geminiModel, DEFAULT_GEMINI_MODEL);
        resolution = orDefault(resolution, DEFAULT_RESOLUTION).toLowerCase(Locale.ROOT);
        if (!RESOLUTIONS.contains(resolution)) {
            throw new IllegalArgumentException("veo agents: REETIK_VEO_RESOLUTION must be 720p, 1080p or 4k, not '"
                    + resolution + "'");
        }
        baseUrl = stripped(baseUrl);
        if (baseUrl != null && !httpUrl(baseUrl)) {
            throw new IllegalArgumentException("veo agents: REETIK_GENAI_BASE_URL must be an absolute http(s) URL, "
                    + "not '" + baseUrl + "'");
        }
        rateLimit = rateLimit == null ? DEFAULT_RATE_PER_MINUTE : rateLimit;
        if (rateLimit < 1) {
            throw new IllegalArgumentException("veo agents: REETIK_VEO_RATE_PER_MINUTE must be at least 1, not "
                    + rateLimit);
        }
        ratePeriod = ratePeriod == null ? DEFAULT_RATE_PERIOD : ratePeriod;
        rateWait = rateWait == null ? DEFAULT_RATE_WAIT : rateWait;
        if (ratePeriod.isZero() || ratePeriod.isNegative() || rateWait.isNegative()) {
            throw new IllegalArgumentException("veo agents: the rate period must be positive and the rate wait 0 or "
                    + "more, not " + ratePeriod + " and " + rateWait);
        }
        bucket = stripped(bucket);
        if (bucket != null) {
            bucket = bucket.replaceFirst("^gs://", "").replaceAll("/+$", "");
        }
        sdkAttempts = sdkAttempts == null ? DEFAULT_SDK_ATTEMPTS : sdkAttempts;
        if (sdkAttempts < 1) {
            throw new IllegalArgumentException("veo agents: sdk-attempts must be at least 1, not " + sdkAttempts);
        }
    }

    /** Settings for the Gemini API with {@code apiKey} at {@code baseUrl} (null = Google's), other values default. */
    public static VeoProperties forApiKey(String apiKey, String baseUrl) {
        return new VeoProperties(apiKey, null, null, null, null, null, baseUrl, null, null, null, null, null);
    }

    /** True for Vertex AI, false for the Gemini Developer API. */
    public boolean vertexAi() {
        return apiKey == null;
    }

    public VeoProperties withVeoModel(String model) {
        return new VeoProperties(apiKey, project, location, model, geminiModel, resolution, baseUrl, rateLimit,
                ratePeriod, rateWait, bucket, sdkAttempts);
    }

    public VeoProperties withRateLimit(int limit, Duration period, Duration wait) {
        return new VeoProperties(apiKey, project, location, veoModel, geminiModel, resolution, baseUrl, limit, period,
                wait, bucket, sdkAttempts);
    }

    public VeoProperties withResolution(String newResolution) {
        return new VeoProperties(apiKey, project, location, veoModel, geminiModel, newResolution, baseUrl, rateLimit,
                ratePeriod, rateWait, bucket, sdkAttempts);
    }

    public VeoProperties withSdkAttempts(int attempts) {
        return new VeoProperties(apiKey, project, location, veoModel, geminiModel, resolution, baseUrl, rateLimit,
                ratePeriod, rateWait, bucket, attempts);
    }

    private static boolean httpUrl(String value) {
        try {
            URI uri = URI.create(value);
            return uri.isAbsolute() && ("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()));
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static String orDefault(String value, String fallback) {
        String v = stripped(value);
        return v == null ? fallback : v;
    }

    private static String stripped(String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }
}
