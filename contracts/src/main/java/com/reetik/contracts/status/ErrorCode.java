package com.reetik.contracts.status;

import java.util.Arrays;
import java.util.Locale;

/** Why a video failed, with the seed's user messages (ERROR_MESSAGES) and their English. */
public enum ErrorCode {
    USAGE_GUIDELINES(
            "Le contenu demandé ne respecte pas les règles de sécurité de Google. Essayez un thème différent.",
            "The requested content does not follow Google's safety rules. Try a different theme."),
    THIRD_PARTY_CONTENT(
            "Impossible de générer du contenu protégé par copyright. Évitez les personnages/marques connus.",
            "Copyrighted content cannot be generated. Avoid well-known characters and brands."),
    QUOTA_EXCEEDED(
            "Quota API dépassé. Réessayez dans quelques minutes.",
            "API quota exceeded. Try again in a few minutes."),
    OPERATION_TIMEOUT(
            "La génération a pris trop de temps. Réessayez avec une durée plus courte.",
            "Generation took too long. Try again with a shorter duration."),
    ASSEMBLY_FAILED(
            "Erreur lors de l'assemblage de la vidéo. Contactez le support.",
            "The video could not be assembled. Contact support."),
    DEFAULT(
            "Une erreur est survenue. Veuillez réessayer.",
            "Something went wrong. Please try again.");

    private final String french;
    private final String english;

    ErrorCode(String french, String english) {
        this.french = french;
        this.english = english;
    }

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public String message(Language language) {
        return language == Language.EN ? english : french;
    }

    /** The code of a wire name; {@link #DEFAULT} for anything unknown. */
    public static ErrorCode fromWire(String value) {
        return Arrays.stream(values()).filter(c -> c.wireName().equals(value)).findFirst().orElse(DEFAULT);
    }
}
