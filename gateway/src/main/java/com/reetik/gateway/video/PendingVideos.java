package com.reetik.gateway.video;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The videos this gateway accepted whose first view or summary the replica may not have yet, by video id and by
 * user, so that a user's are found without going through everyone's. Thread-safe; keeps at most
 * {@code capacity}, forgetting the least recently used first. Entries are taken out once the replica has them
 * ({@link #remove}), so a user's are usually few.
 */
final class PendingVideos {

    private final Map<String, PendingVideo> byId;
    private final Map<String, Map<String, PendingVideo>> byUser = new HashMap<>();

    PendingVideos(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be positive: " + capacity);
        }
        this.byId = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, PendingVideo> eldest) {
                if (size() <= capacity) {
                    return false;
                }
                forgetUsers(eldest.getValue());
                return true;
            }
        };
    }

    synchronized void add(PendingVideo video) {
        PendingVideo replaced = byId.put(video.videoId(), video);
        if (replaced != null) {
            forgetUsers(replaced);
        }
        byUser.computeIfAbsent(video.userId(), u -> new LinkedHashMap<>()).put(video.videoId(), video);
    }

    synchronized Optional<PendingVideo> get(String videoId) {
        return Optional.ofNullable(byId.get(videoId));
    }

    /** Takes {@code video} out, if it is still the one kept under its id. */
    synchronized void remove(PendingVideo video) {
        if (byId.remove(video.videoId(), video)) {
            forgetUsers(video);
        }
    }

    synchronized List<PendingVideo> ofUser(String userId) {
        Map<String, PendingVideo> videos = byUser.get(userId);
        return videos == null ? List.of() : List.copyOf(videos.values());
    }

    synchronized int size() {
        return byId.size();
    }

    private void forgetUsers(PendingVideo video) {
        Map<String, PendingVideo> videos = byUser.get(video.userId());
        if (videos != null && videos.remove(video.videoId(), video) && videos.isEmpty()) {
            byUser.remove(video.userId());
        }
    }
}
