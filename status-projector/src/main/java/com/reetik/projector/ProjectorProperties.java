package com.reetik.projector;

import java.time.Duration;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Settings of the status projector, under {@code reetik.projector}.
 *
 * @param applicationId   Kafka Streams application id: the consumer group and the prefix of internal
 *                        topics, shared by every projector instance
 * @param streamThreads   {@code REETIK_STREAM_THREADS}: stream threads in this instance
 * @param firestoreMirror {@code REETIK_FIRESTORE_MIRROR} (with {@code GCP_PROJECT}): mirror the committed
 *                        views to Firestore {@code v2_video_status} / {@code v2_veo_operations}
 * @param gcpProject      {@code GCP_PROJECT}
 * @param stallTimeout    {@code REETIK_STALL_TIMEOUT} (default 30m): a video with no new event for this long fails
 *                        with {@code operation_timeout} at the stage it was at; {@code 0} turns the check off
 * @param streamsProperties Kafka Streams settings over the projector's own (e.g. {@code consumer.session.timeout.ms}:
 *                        how long a killed instance keeps its partitions, 45 s by default)
 */
@ConfigurationProperties("reetik.projector")
public record ProjectorProperties(String applicationId, Integer streamThreads, boolean firestoreMirror,
                                  String gcpProject, Duration stallTimeout, Map<String, String> streamsProperties) {

    public ProjectorProperties {
        streamsProperties = streamsProperties == null ? Map.of() : Map.copyOf(streamsProperties);
        stallTimeout = stallTimeout == null ? StatusProjectorTopology.DEFAULT_STALL_TIMEOUT : stallTimeout;
        if (stallTimeout.isNegative()) {
            throw new IllegalArgumentException("REETIK_STALL_TIMEOUT must not be negative, not " + stallTimeout);
        }
        applicationId = applicationId == null || applicationId.isBlank()
                ? ProjectorSettings.DEFAULT_APPLICATION_ID : applicationId;
        streamThreads = streamThreads == null ? 1 : streamThreads;
        if (streamThreads < 1) {
            throw new IllegalArgumentException("REETIK_STREAM_THREADS must be at least 1, not " + streamThreads);
        }
        gcpProject = gcpProject == null || gcpProject.isBlank() ? null : gcpProject.trim();
        if (firestoreMirror && gcpProject == null) {
            throw new IllegalArgumentException("REETIK_FIRESTORE_MIRROR=true needs GCP_PROJECT");
        }
    }
}
