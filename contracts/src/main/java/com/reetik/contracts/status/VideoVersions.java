package com.reetik.contracts.status;

/** Versions of a video: 1 for its first assembly, one more for each completed edit of a block. */
public final class VideoVersions {

    private VideoVersions() {
    }

    /**
     * The version a record names, 1 when it names none: records written before edits existed carry no version, and
     * they are all of the first one.
     */
    public static int orFirst(Integer version) {
        return version == null || version < 1 ? 1 : version;
    }
}
