package com.reetik.gateway.auth;

import java.text.Normalizer;
import java.util.Locale;

/**
 * One spelling per e-mail address, so that look-alike accounts cannot be made: Unicode NFKC (full-width
 * {@code ｕｓｅｒ} is {@code user}, a ligature its letters), trimmed, lower-cased. Registration, login and the
 * login rate limit all use it, so they count one address once.
 */
public final class EmailAddresses {

    private EmailAddresses() {
    }

    /** The normalised form; null for null or blank. */
    public static String normalize(String email) {
        if (email == null) {
            return null;
        }
        String normalized = Normalizer.normalize(email, Normalizer.Form.NFKC).strip().toLowerCase(Locale.ROOT);
        return normalized.isEmpty() ? null : normalized;
    }

    /**
     * Whether a (normalised) address holds a character no one can see or type as such: controls, format
     * characters (zero-width space and joiners, soft hyphen, direction marks), spaces, private-use, unassigned
     * or lone surrogate code points.
     */
    static boolean hasInvisibleCharacters(String email) {
        return email.codePoints().anyMatch(c -> switch (Character.getType(c)) {
            case Character.CONTROL, Character.FORMAT, Character.PRIVATE_USE, Character.UNASSIGNED,
                 Character.SURROGATE, Character.SPACE_SEPARATOR, Character.LINE_SEPARATOR,
                 Character.PARAGRAPH_SEPARATOR -> true;
            default -> false;
        });
    }
}
