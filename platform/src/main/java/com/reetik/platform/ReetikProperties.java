package com.reetik.platform;

import java.nio.file.Path;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * What every Reetik service shares, under {@code reetik} (bound from {@code reetik.yml}, where each is the
 * seed's or Reetik's environment name).
 *
 * @param dataDir    {@code REETIK_DATA_DIR}: this process's own local state (state stores, the extracted
 *                   ffmpeg, work files). Two processes never share it.
 * @param instanceId {@code REETIK_INSTANCE_ID}: stable name of this instance. Transactional ids, static
 *                   group membership and the gateway's replica derive from it, so a restarted instance
 *                   takes its predecessor's place (and fences it) at once.
 * @param storageDir {@code REETIK_STORAGE_DIR}: where videos go when no bucket is set; shared by every
 *                   bridge and gateway (default {@code {dataDir}/videos}, as in standalone)
 * @param topics     {@code REETIK_PARTITIONS}, {@code REETIK_REPLICATION_FACTOR}: how topics are created
 */
@ConfigurationProperties("reetik")
public record ReetikProperties(Path dataDir, String instanceId, Path storageDir, TopicSettings topics) {

    public ReetikProperties {
        dataDir = (dataDir == null ? Path.of("reetik-data") : dataDir).toAbsolutePath().normalize();
        instanceId = instanceId == null || instanceId.isBlank() ? "reetik-1" : instanceId.trim();
        if (!instanceId.matches("[A-Za-z0-9._-]{1,64}")) {
            throw new IllegalArgumentException(
                    "REETIK_INSTANCE_ID must be 1-64 letters, digits, '.', '_' or '-', not '" + instanceId + "'");
        }
        storageDir = (storageDir == null || storageDir.toString().isBlank() ? dataDir.resolve("videos") : storageDir)
                .toAbsolutePath().normalize();
        topics = topics == null ? new TopicSettings(6, (short) 1) : topics;
    }

    /**
     * @param partitions        partitions of each topic when it is created: the ceiling on how many blocks
     *                          are generated at once across all bridges
     * @param replicationFactor 1 on one broker, 3 on a cluster (then min.insync.replicas is 2)
     */
    public record TopicSettings(int partitions, short replicationFactor) {

        public TopicSettings {
            if (partitions < 1) {
                throw new IllegalArgumentException("REETIK_PARTITIONS must be at least 1, not " + partitions);
            }
            if (replicationFactor < 1) {
                throw new IllegalArgumentException(
                        "REETIK_REPLICATION_FACTOR must be at least 1, not " + replicationFactor);
            }
        }

        /** Acknowledged writes survive one broker lost: 2 of 3; on fewer brokers, every replica. */
        public int minInSyncReplicas() {
            return replicationFactor >= 3 ? 2 : 1;
        }
    }
}
