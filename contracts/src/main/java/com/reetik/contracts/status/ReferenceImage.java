package com.reetik.contracts.status;

import java.util.List;
import java.util.Optional;

/**
 * An image the user uploaded with the request to keep one look across blocks (a character, a product, a place). The
 * gateway checks it and stores it beside the video ({@code ObjectKeys.referenceImage}) before the command is published; the bytes never
 * travel through Kafka. Veo 3.1 takes up to {@value #MAX_COUNT} as "asset" reference images; the local preview draws
 * them into every block; the Cloud Run agents take none (refused with a 400 before anything is paid).
 *
 * @param mimeType {@code image/png}, {@code image/jpeg} or {@code image/webp}, as checked against the bytes
 * @param sha256   hex digest of the bytes: two requests with the same images are the same request
 * @param size     bytes
 */
public record ReferenceImage(String mimeType, String sha256, long size) {

    /** At most this many per video (Veo 3.1's limit for asset images). */
    public static final int MAX_COUNT = 3;
    /** At most this many bytes each: a reference of 1280 px in any of the formats fits well. */
    public static final int MAX_BYTES = 3 * 1024 * 1024;
    public static final List<String> MIME_TYPES = List.of("image/png", "image/jpeg", "image/webp");

    /** The file extension of a reference image's type: {@code png}, {@code jpg} or {@code webp}. */
    public static String extension(String mimeType) {
        return switch (mimeType) {
            case "image/png" -> "png";
            case "image/jpeg" -> "jpg";
            case "image/webp" -> "webp";
            default -> throw new IllegalArgumentException("not a reference image type: " + mimeType);
        };
    }

    /** The type the bytes really are, from their signature, or empty when they are none of {@link #MIME_TYPES}. */
    public static Optional<String> sniff(byte[] bytes) {
        if (startsWith(bytes, 0, 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A)) {
            return Optional.of("image/png");
        }
        if (startsWith(bytes, 0, 0xFF, 0xD8, 0xFF)) {
            return Optional.of("image/jpeg");
        }
        if (startsWith(bytes, 0, 'R', 'I', 'F', 'F') && startsWith(bytes, 8, 'W', 'E', 'B', 'P')) {
            return Optional.of("image/webp");
        }
        return Optional.empty();
    }

    private static boolean startsWith(byte[] bytes, int offset, int... signature) {
        if (bytes.length < offset + signature.length) {
            return false;
        }
        for (int i = 0; i < signature.length; i++) {
            if ((bytes[offset + i] & 0xFF) != signature[i]) {
                return false;
            }
        }
        return true;
    }

    /**
     * Whether the configured agents can use reference images: empty when they can, else why not, as the 400 says it.
     * The gateway refuses such a request before anything is paid; the bridge checks again (a gateway configured
     * apart from its bridges) and fails the video before its first clip.
     *
     * @param agents   {@code REETIK_AGENTS}: {@code local}, {@code cloud-run} or {@code veo}
     * @param veoModel {@code REETIK_VEO_MODEL} (used with {@code veo})
     */
    public static Optional<String> refusal(String agents, String veoModel) {
        String kind = agents == null || agents.isBlank() ? "local" : agents.trim();
        return switch (kind) {
            case "veo" -> veoModel != null && veoModel.startsWith("veo-3.1-") && !veoModel.contains("lite")
                    ? Optional.empty()
                    : Optional.of("The Veo model " + veoModel + " takes no reference images (Veo 3.1 and Veo 3.1 Fast"
                            + " do): send the request without reference_images.");
            case "cloud-run" -> Optional.of("The Cloud Run agents take no reference images: send the request without"
                    + " reference_images.");
            default -> Optional.empty();
        };
    }
}
