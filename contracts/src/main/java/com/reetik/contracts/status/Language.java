package com.reetik.contracts.status;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/** The languages of scripts and messages. French first, as in the seed. */
public enum Language {
    FR("fr"), EN("en");

    private final String code;

    Language(String code) {
        this.code = code;
    }

    public String code() {
        return code;
    }

    public static Optional<Language> fromCode(String value) {
        return Arrays.stream(values()).filter(l -> l.code.equals(value)).findFirst();
    }

    /** The language of a code, French for anything unknown. */
    public static Language ofOrFrench(String value) {
        return fromCode(value).orElse(FR);
    }

    public static List<String> codes() {
        return Arrays.stream(values()).map(Language::code).toList();
    }
}
