package com.reetik.bridge.agent;

import com.reetik.contracts.status.ErrorCode;
import com.reetik.contracts.status.ReferenceImage;
import com.reetik.contracts.storage.ObjectKeys;
import com.reetik.contracts.storage.ObjectStore;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The reference images of a clip's video, as the gateway stored them beside it, for the agents that use them. */
public final class ReferenceImageFiles {

    /** One image: a local copy of it and its type. */
    public record Stored(Path file, String mimeType) {
    }

    private ReferenceImageFiles() {
    }

    /**
     * The images in the request's order (none without them). An image missing from storage fails the clip for good
     * ({@code stage: reference image {key} is not in storage}); a storage error is thrown as it is.
     */
    public static List<Stored> of(ClipRequest request, ObjectStore store, String stage)
            throws AgentException, IOException {
        List<ReferenceImage> images = request.request() == null ? List.of() : request.request().referenceImages();
        List<Stored> files = new ArrayList<>(images.size());
        for (int i = 0; i < images.size(); i++) {
            String mimeType = images.get(i).mimeType();
            String key = ObjectKeys.referenceImage(request.videoId(), i + 1, mimeType);
            Path file = store.localFile(key).orElseThrow(() -> new AgentException(ErrorCode.DEFAULT, false,
                    stage + ": reference image " + key + " is not in storage"));
            files.add(new Stored(file, mimeType));
        }
        return files;
    }
}
