package com.reetik.gateway.video;

import com.reetik.contracts.status.AspectRatio;
import com.reetik.contracts.status.Language;
import com.reetik.contracts.status.ReferenceImage;
import com.reetik.contracts.status.Style;
import com.reetik.contracts.status.VideoRequest;
import com.reetik.gateway.web.ApiException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
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

    /** A checked request with the bytes of its reference images, in order (empty without them). */
    record Parsed(VideoRequest request, List<byte[]> images) {
    }

    static VideoRequest parse(Map<String, Object> body) {
        return parseWithImages(body).request();
    }

    static Parsed parseWithImages(Map<String, Object> body) {
        if (body == null) {
            throw ApiException.badRequest("A JSON object body is required, e.g. {\"theme\": \"Les volcans d'Islande\"}.");
        }
        VideoRequest checked = request(body, List.of()); // the request's own fields first, then the images
        List<byte[]> images = referenceImages(body.get("reference_images"));
        List<ReferenceImage> described = images.stream()
                .map(bytes -> new ReferenceImage(ReferenceImage.sniff(bytes).orElseThrow(), sha256(bytes), bytes.length))
                .toList();
        return new Parsed(new VideoRequest(checked.theme(), checked.targetDuration(), checked.style(),
                checked.language(), checked.aspectRatio(), checked.subtitles(), checked.transition(), described), images);
    }

    private static VideoRequest request(Map<String, Object> body, List<ReferenceImage> images) {
        return new VideoRequest(theme(body.get("theme")), duration(body.get("target_duration")),
                oneOf("style", body.get("style"), DEFAULT_STYLE, Style.wireNames()),
                oneOf("language", body.get("language"), DEFAULT_LANGUAGE, Language.codes()),
                oneOf("aspect_ratio", body.get("aspect_ratio"), DEFAULT_ASPECT_RATIO, AspectRatio.wireNames()),
                oneOf("subtitles", body.get("subtitles"), VideoRequest.SUBTITLES_NONE, VideoRequest.SUBTITLES),
                oneOf("transition", body.get("transition"), VideoRequest.TRANSITION_CUT, VideoRequest.TRANSITIONS),
                images);
    }

    /**
     * {@code reference_images}: up to {@value ReferenceImage#MAX_COUNT} objects {@code {"mime_type", "data"}}, data
     * in base64 (a {@code data:} URL as a browser's FileReader makes it is taken too), each at most
     * {@value ReferenceImage#MAX_BYTES} bytes and really of the type it says (its first bytes are checked).
     */
    private static List<byte[]> referenceImages(Object value) {
        if (value == null) {
            return List.of();
        }
        String field = "reference_images";
        if (!(value instanceof List<?> list)) {
            throw ApiException.invalid(field, field + " must be a list of {\"mime_type\", \"data\"} objects, data in"
                    + " base64.");
        }
        if (list.size() > ReferenceImage.MAX_COUNT) {
            throw ApiException.invalid(field, field + " takes at most " + ReferenceImage.MAX_COUNT + " images, not "
                    + list.size() + ".");
        }
        List<byte[]> images = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            String at = field + "[" + i + "]";
            if (!(list.get(i) instanceof Map<?, ?> image)) {
                throw ApiException.invalid(field, at + " must be an object {\"mime_type\", \"data\"}.");
            }
            Object type = image.get("mime_type");
            if (!(type instanceof String mimeType) || !ReferenceImage.MIME_TYPES.contains(mimeType)) {
                throw ApiException.invalid(field, at + ".mime_type must be one of "
                        + String.join(", ", ReferenceImage.MIME_TYPES) + ".");
            }
            byte[] bytes = base64(image.get("data"), at);
            if (bytes.length > ReferenceImage.MAX_BYTES) {
                throw ApiException.invalid(field, at + " is " + bytes.length + " bytes; each image may be at most "
                        + ReferenceImage.MAX_BYTES / (1024 * 1024) + " MB (" + ReferenceImage.MAX_BYTES + " bytes).");
            }
            String actual = ReferenceImage.sniff(bytes).orElseThrow(() -> ApiException.invalid(field,
                    at + " is not an image in PNG, JPEG or WebP (its first bytes are none of them)."));
            if (!actual.equals(mimeType)) {
                throw ApiException.invalid(field, at + " says " + mimeType + " but its bytes are " + actual + ".");
            }
            images.add(bytes);
        }
        return images;
    }

    private static byte[] base64(Object value, String at) {
        if (!(value instanceof String text) || text.isBlank()) {
            throw ApiException.invalid("reference_images", at + ".data must be the image's bytes in base64.");
        }
        String data = text.strip();
        if (data.startsWith("data:")) {
            int comma = data.indexOf(',');
            if (comma < 0 || !data.substring(0, comma).endsWith(";base64")) {
                throw ApiException.invalid("reference_images", at + ".data is a data: URL without base64 bytes.");
            }
            data = data.substring(comma + 1);
        }
        try {
            byte[] bytes = Base64.getDecoder().decode(data.replaceAll("\\s", ""));
            if (bytes.length == 0) {
                throw new IllegalArgumentException("empty");
            }
            return bytes;
        } catch (IllegalArgumentException e) {
            throw ApiException.invalid("reference_images", at + ".data must be the image's bytes in base64.");
        }
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JVM", e);
        }
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
