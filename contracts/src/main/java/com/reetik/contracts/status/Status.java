package com.reetik.contracts.status;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * The statuses of a video, in order, with the user messages (French first, as in the seed).
 * {@code failed} and {@code cancelled} may follow any non-terminal status.
 */
public enum Status {
    QUEUED("En attente", "Queued"),
    GENERATING_SCRIPT("Génération du script", "Writing the script"),
    SCRIPT_GENERATED("Génération script terminée", "Script ready"),
    GENERATING_PARALLEL("Génération vidéos (%d/%d blocs)", "Generating videos (%d/%d blocks)"),
    READY_FOR_ASSEMBLY("Préparation assemblage", "Preparing assembly"),
    ASSEMBLING("Assemblage", "Assembling"),
    COMPLETED("Terminé", "Done"),
    FAILED("Erreur", "Error"),
    CANCELLED("Annulé", "Cancelled");

    private final String french;
    private final String english;

    Status(String french, String english) {
        this.french = french;
        this.english = english;
    }

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<Status> fromWire(String value) {
        return Arrays.stream(values()).filter(s -> s.wireName().equals(value)).findFirst();
    }

    /** No event moves a video out of a terminal status, but a user's retry out of {@code failed}. */
    public boolean terminal() {
        return this == COMPLETED || this == FAILED || this == CANCELLED;
    }

    /** The message shown for this status, e.g. "Génération vidéos (3/9 blocs)". */
    public String message(Language language, int completedBlocks, int totalBlocks) {
        String template = language == Language.EN ? english : french;
        return this == GENERATING_PARALLEL ? String.format(Locale.ROOT, template, completedBlocks, totalBlocks) : template;
    }
}
