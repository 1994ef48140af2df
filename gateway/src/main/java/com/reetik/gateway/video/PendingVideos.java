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

    /**
     * The user's pending videos that {@code listed} says the library does not list yet. One it lists whose view
     * {@code viewed} says the replica has is taken out on the way: from then on the replica answers for it. So a
     * user who creates without ever reading the library keeps only the videos still on their way, and a create,
     * which reads each of them for the quota, stays cheap however many that user made (each create once read every
     * video the user had made since the last listing: a user creating 50 a second waited seconds for each).
     * The tests run outside this object's lock (they read the replica).
     */
    List<PendingVideo> unlisted(String userId, java.util.function.Predicate<String> listed,
                                java.util.function.Predicate<String> viewed) {
        List<PendingVideo> unlisted = new java.util.ArrayList<>();
        for (PendingVideo video : ofUser(userId)) {
            if (!listed.test(video.videoId())) {
                unlisted.add(video);
            } else if (viewed.test(video.videoId())) {
                remove(video);
            }
        }
        return unlisted;
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
