package com.reetik.gateway.replica;

import java.nio.file.Path;

/**
 * @param applicationId unique per gateway instance: each instance keeps a whole replica of its own
 * @param stateDir      where the replica's RocksDB stores live (on disk, so memory does not grow with videos)
 */
public record ReplicaSettings(String bootstrapServers, String applicationId, Path stateDir) {
}
