package com.reetik.contracts.json;

/** A record that cannot be read as the type its topic carries; it belongs in the dead letters. */
public class MalformedRecordException extends RuntimeException {
    public MalformedRecordException(String message) {
        super(message);
    }
}
