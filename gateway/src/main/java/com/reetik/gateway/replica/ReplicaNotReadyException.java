package com.reetik.gateway.replica;

/** The replica is still loading its stores; the caller should answer 503 and let the client retry. */
public class ReplicaNotReadyException extends RuntimeException {
    public ReplicaNotReadyException(String message) {
        super(message);
    }
}
