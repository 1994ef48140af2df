package com.reetik.gateway.video;

import com.reetik.contracts.status.AspectRatio;
import com.reetik.contracts.status.Language;
import com.reetik.contracts.status.Style;
import com.reetik.contracts.status.VideoRequest;
import com.reetik.gateway.web.ApiException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.List;
import java.util.Map;

/** Reads and validates the body of {@code POST /api/videos}; every problem is a 400 naming its field. */
final class VideoRequests {

    static final int MIN_THEME = 3;
    static final int MAX_THEME = 500;
    static final int MIN_DURATION = 8;
    static final int MAX_DURATION = 180;
    static final int DEFAULT_DURATION = 36;
    static final String DEFAULT_STYLE = Style.INFORMATIVE.wireName();
    static final String DEFAULT_LANGUAGE = Language.FR.code();
    static final String DEFAULT_ASPECT_RATIO = AspectRatio.VERTICAL.wireName();

    private VideoRequests() {
    }

    static VideoRequest parse(Map<String, Object> body) {
        if (body == null) {
            throw ApiException.badRequest("A JSON object body is required, e.g. {\"theme\": \"Les volcans d'Islande\"}.");
        }
        return new VideoRequest(theme(body.get("theme")), duration(body.get("target_duration")),
                oneOf("style", body.get("style"), DEFAULT_STYLE, Style.wireNames()),
                oneOf("language", body.get("language"), DEFAULT_LANGUAGE, Language.codes()),
                oneOf("aspect_ratio", body.get("aspect_ratio"), DEFAULT_ASPECT_RATIO, AspectRatio.wireNames()),
                oneOf("subtitles", body.get("subtitles"), VideoRequest.SUBTITLES_NONE, VideoRequest.SUBTITLES),
                oneOf("transition", body.get("transition"), VideoRequest.TRANSITION_CUT, VideoRequest.TRANSITIONS));
    }

    private static String theme(Object value) {
        if (value == null) {
            throw ApiException.invalid("theme", "theme is required.");
        }
        if (!(value instanceof String text)) {
            throw ApiException.invalid("theme", "theme must be a string.");
        }
        String theme = text.strip();
        int length = theme.codePointCount(0, theme.length());
        if (length < MIN_THEME || length > MAX_THEME) {
            throw ApiException.invalid("theme", "theme must be " + MIN_THEME + " to " + MAX_THEME + " characters long.");
        }
        return theme;
    }

    private static int duration(Object value) {
        if (value == null) {
            return DEFAULT_DURATION;
        }
        long seconds;
        if (value instanceof Integer || value instanceof Long || value instanceof Short) {
            seconds = ((Number) value).longValue();
        } else if (value instanceof BigInteger big) {
            seconds = big.bitLength() < 63 ? big.longValue() : Long.MAX_VALUE;
        } else if (value instanceof Number number && isWhole(number)) {
            seconds = number.longValue();
        } else {
            throw ApiException.invalid("target_duration", "target_duration must be an integer number of seconds.");
        }
        if (seconds < MIN_DURATION || seconds > MAX_DURATION) {
            throw ApiException.invalid("target_duration",
                    "target_duration must be between " + MIN_DURATION + " and " + MAX_DURATION + " seconds.");
        }
        return (int) seconds;
    }

    private static boolean isWhole(Number number) {
        try {
            BigDecimal decimal = new BigDecimal(number.toString());
            return decimal.stripTrailingZeros().scale() <= 0;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private static String oneOf(String field, Object value, String defaultValue, List<String> allowed) {
        if (value == null) {
            return defaultValue;
        }
        if (!(value instanceof String text) || !allowed.contains(text)) {
            throw ApiException.invalid(field, field + " must be one of " + String.join(", ", allowed) + ".");
        }
        return text;
    }
}
