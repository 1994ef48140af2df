package com.reetik.bridge.cloudrun;

import com.reetik.bridge.agent.AgentException;
import com.reetik.contracts.status.ErrorCode;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Classifies an agent's error text as DESIGN.md says: RAI support codes 35561574/35561575 or "third-party content"
 * → {@code third_party_content}; other RAI filtering ({@code raiMediaFilteredCount} > 0, "usage guidelines",
 * "Responsible AI") → {@code usage_guidelines}; HTTP 429, {@code RESOURCE_EXHAUSTED} or "quota" →
 * {@code quota_exceeded}; anything else → {@code default}.
 */
public final class AgentErrors {

    /** HTTP status of a failure that is not an HTTP answer (a failed operation). */
    public static final int NO_HTTP_STATUS = 0;

    private static final int MAX_DETAIL = 500;
    private static final Pattern RAI_FILTERED = Pattern.compile("raiMediaFilteredCount\\\\?\"?\\s*[:=]\\s*\"?(\\d+)");

    private AgentErrors() {
    }

    /** The code that an error text means. */
    public static ErrorCode classify(int httpStatus, String text) {
        String t = text == null ? "" : text;
        String lower = t.toLowerCase(Locale.ROOT);
        if (t.contains("35561574") || t.contains("35561575") || lower.contains("third-party content")
                || lower.contains("third party content")) {
            return ErrorCode.THIRD_PARTY_CONTENT;
        }
        if (lower.contains("usage guidelines") || lower.contains("responsible ai") || raiFiltered(t)) {
            return ErrorCode.USAGE_GUIDELINES;
        }
        if (httpStatus == 429 || t.contains("RESOURCE_EXHAUSTED") || lower.contains("quota")) {
            return ErrorCode.QUOTA_EXCEEDED;
        }
        return ErrorCode.DEFAULT;
    }

    /**
     * The classified exception of a failed generation.
     *
     * @param httpStatus        the HTTP status, or {@link #NO_HTTP_STATUS} for a failed operation
     * @param usageRetryable    whether a {@code usage_guidelines} failure may be tried again (once: the filter is
     *                          not deterministic, so only a first attempt is retryable)
     */
    public static AgentException exception(String agent, int httpStatus, String text, boolean usageRetryable) {
        ErrorCode code = classify(httpStatus, text);
        boolean retryable = switch (code) {
            case THIRD_PARTY_CONTENT -> false;
            case USAGE_GUIDELINES -> usageRetryable;
            case QUOTA_EXCEEDED -> true;
            default -> httpStatus == NO_HTTP_STATUS || httpStatus >= 500;
        };
        return new AgentException(code, retryable, describe(agent, httpStatus, text));
    }

    static String describe(String agent, int httpStatus, String text) {
        String where = httpStatus == NO_HTTP_STATUS ? agent + " agent" : agent + " agent: HTTP " + httpStatus;
        return where + ": " + shorten(text);
    }

    static String shorten(String text) {
        if (text == null || text.isBlank()) {
            return "(no error text)";
        }
        String t = text.strip();
        return t.length() <= MAX_DETAIL ? t : t.substring(0, MAX_DETAIL) + "…";
    }

    private static boolean raiFiltered(String text) {
        Matcher m = RAI_FILTERED.matcher(text);
        while (m.find()) {
            try {
                if (Long.parseLong(m.group(1)) > 0) {
                    return true;
                }
            } catch (NumberFormatException e) {
                return true;
            }
        }
        return false;
    }
}
