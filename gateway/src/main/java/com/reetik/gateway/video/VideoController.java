package com.reetik.gateway.video;

import com.reetik.contracts.status.ReferenceImage;
import com.reetik.contracts.status.Status;
import com.reetik.contracts.status.VideoStatus;
import com.reetik.contracts.storage.ObjectKeys;
import com.reetik.contracts.storage.ObjectStore;
import com.reetik.gateway.auth.AuthenticatedUser;
import com.reetik.gateway.web.ApiException;
import com.reetik.gateway.web.JsonBodies;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.springframework.core.io.FileSystemResource;
import org.springframework.core.io.Resource;
import org.springframework.http.CacheControl;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestAttribute;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** The video API: create, estimate, read, list, follow (SSE), download, poster, subtitles, cancel, retry, edit a block. Every route is the caller's own. */
@RestController
@RequestMapping("/api/videos")
class VideoController {

    static final String IDEMPOTENCY_KEY = "Idempotency-Key";
    static final int MAX_PAGE_SIZE = 100;
    static final MediaType VIDEO_MP4 = MediaType.parseMediaType("video/mp4");
    static final MediaType TEXT_VTT = MediaType.parseMediaType("text/vtt;charset=UTF-8");
    static final MediaType SUBRIP = MediaType.parseMediaType("application/x-subrip;charset=UTF-8");

    private final VideoService videos;
    private final VideoEventStream events;
    private final ObjectStore store;
    private final VideoEstimates estimates;
    private final ReferenceImageProperties referenceImages;

    VideoController(VideoService videos, VideoEventStream events, ObjectStore store, VideoEstimates estimates,
                    ReferenceImageProperties referenceImages) {
        this.videos = videos;
        this.events = events;
        this.store = store;
        this.estimates = estimates;
        this.referenceImages = referenceImages;
    }

    /**
     * The largest body of {@code POST /api/videos} (and its estimate): the request's fields and up to
     * {@value ReferenceImage#MAX_COUNT} reference images of {@value ReferenceImage#MAX_BYTES} bytes in base64.
     * Every other body keeps the 64 KB of {@code spring.codec.max-in-memory-size}.
     */
    static final int MAX_CREATE_BODY = ReferenceImage.MAX_COUNT * (ReferenceImage.MAX_BYTES / 3 * 4 + 8) + 64 * 1024;

    @PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE)
    @io.swagger.v3.oas.annotations.parameters.RequestBody(description = "The video request: theme, target_duration,"
            + " style, language, aspect_ratio, subtitles, transition, reference_images (see README)",
            content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE, schema = @Schema(type = "object")))
    Mono<ResponseEntity<AcceptedVideo>> create(@RequestAttribute(AuthenticatedUser.ATTRIBUTE) AuthenticatedUser user,
                                               ServerHttpRequest request,
                                               @RequestHeader(name = IDEMPOTENCY_KEY, required = false) String key) {
        return createBody(request).flatMap(body -> {
            VideoRequests.Parsed parsed = checked(VideoRequests.parseWithImages(body.orElse(null)));
            return videos.create(user, parsed.request(), key, parsed.images());
        }).map(VideoController::accepted);
    }

    /** What a create with the same body would cost and take, before anything is sent (nothing is published). */
    @PostMapping(path = "/estimate", consumes = MediaType.APPLICATION_JSON_VALUE)
    @io.swagger.v3.oas.annotations.parameters.RequestBody(description = "The same body as POST /api/videos",
            content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE, schema = @Schema(type = "object")))
    Mono<VideoEstimates.Estimate> estimate(@RequestAttribute(AuthenticatedUser.ATTRIBUTE) AuthenticatedUser user,
                                           ServerHttpRequest request) {
        return createBody(request).map(body ->
                estimates.estimate(checked(VideoRequests.parseWithImages(body.orElse(null))).request()));
    }

    private static Mono<java.util.Optional<Map<String, Object>>> createBody(ServerHttpRequest request) {
        return JsonBodies.readObject(request, MAX_CREATE_BODY, "at most " + ReferenceImage.MAX_COUNT
                + " reference images of " + ReferenceImage.MAX_BYTES / (1024 * 1024) + " MB each, in base64.");
    }

    /** Reference images the configured agents cannot use: 400 before anything is paid. */
    private VideoRequests.Parsed checked(VideoRequests.Parsed parsed) {
        if (parsed.request().hasReferenceImages()) {
            referenceImages.refusal().ifPresent(why -> {
                throw ApiException.invalid("reference_images", why);
            });
        }
        return parsed;
    }

    @GetMapping
    VideoPage list(@RequestAttribute(AuthenticatedUser.ATTRIBUTE) AuthenticatedUser user,
                   @RequestParam(name = "page", required = false) String page,
                   @RequestParam(name = "size", required = false) String size) {
        VideoPage listed = videos.list(user, intParam("page", page, 0, 0, Integer.MAX_VALUE / MAX_PAGE_SIZE),
                intParam("size", size, 20, 1, MAX_PAGE_SIZE));
        return new VideoPage(listed.videos().stream().map(PublicViews::of).toList(), listed.page(), listed.size(),
                listed.total());
    }

    @GetMapping("/{id}")
    VideoStatus get(@RequestAttribute(AuthenticatedUser.ATTRIBUTE) AuthenticatedUser user, @PathVariable String id) {
        return PublicViews.of(videos.view(user, id));
    }

    @GetMapping(path = "/{id}/events", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
    Flux<ServerSentEvent<VideoStatus>> events(@RequestAttribute(AuthenticatedUser.ATTRIBUTE) AuthenticatedUser user,
                                              @PathVariable String id,
                                              @RequestHeader(name = "Last-Event-ID", required = false) String header,
                                              @RequestParam(name = "last_event_id", required = false) String param) {
        videos.view(user, id); // 404 before the stream starts
        String resumeFrom = header != null && !header.isBlank() ? header : param;
        long lastEventId = resumeFrom == null || resumeFrom.isBlank() ? -1
                : longParam("last_event_id", resumeFrom.trim());
        return events.events(user, id, lastEventId);
    }

    @GetMapping("/{id}/file")
    ResponseEntity<Resource> file(@RequestAttribute(AuthenticatedUser.ATTRIBUTE) AuthenticatedUser user,
                                  @PathVariable String id,
                                  @RequestParam(name = "download", required = false) String download) {
        VideoStatus view = videos.view(user, id);
        // the playable version: also while an edit makes the next one, and after an edit failed
        if (view.finalUrl() == null) {
            throw ApiException.conflict("not_completed",
                    "The video is not ready to download yet (status: " + view.status() + ").");
        }
        Optional<String> key = store.keyOf(view.finalUrl());
        if (key.isEmpty()) {
            if (view.finalUrl().startsWith("https://") || view.finalUrl().startsWith("http://")) {
                return ResponseEntity.status(HttpStatus.FOUND).location(URI.create(view.finalUrl())).build();
            }
            throw new ApiException(HttpStatus.NOT_FOUND, "file_not_found", "The video file is not available here.", null);
        }
        Optional<URI> signed = store.downloadUrl(key.get());
        if (signed.isPresent()) {
            return ResponseEntity.status(HttpStatus.FOUND).location(signed.get()).build();
        }
        Path file = localFile(key.get()).orElseThrow(() -> new ApiException(HttpStatus.NOT_FOUND, "file_not_found",
                "The video file is missing from storage.", null));
        // A Resource body: Spring answers Range requests itself (206 with Content-Range, Accept-Ranges: bytes).
        boolean attachment = download != null && !download.isBlank() && !"0".equals(download)
                && !"false".equalsIgnoreCase(download);
        return ResponseEntity.ok()
                .contentType(VIDEO_MP4)
                .header(HttpHeaders.CONTENT_DISPOSITION,
                        (attachment ? "attachment" : "inline") + "; filename=\"" + id + ".mp4\"")
                .body(new FileSystemResource(file));
    }

    /** A JPEG frame of a completed video, made by the assembler beside {@code final.mp4}. */
    @GetMapping("/{id}/poster")
    ResponseEntity<Resource> poster(@RequestAttribute(AuthenticatedUser.ATTRIBUTE) AuthenticatedUser user,
                                    @PathVariable String id) {
        VideoStatus view = videos.view(user, id);
        if (view.finalUrl() == null) {
            throw new ApiException(HttpStatus.NOT_FOUND, "poster_not_found",
                    "A video has a poster once it is completed (status: " + view.status() + ").", null);
        }
        String key = ObjectKeys.poster(id, view.finalVersion());
        Optional<URI> signed = store.downloadUrl(key);
        if (signed.isPresent() && store.exists(key)) {
            return ResponseEntity.status(HttpStatus.FOUND).location(signed.get()).build();
        }
        Path file = localFile(key).orElseThrow(() -> new ApiException(HttpStatus.NOT_FOUND, "poster_not_found",
                "This video has no poster.", null));
        // An edit makes a new version with its own poster at the same URL: the browser asks again each time (the
        // ETag names the version, so an unchanged poster costs a 304).
        return ResponseEntity.ok()
                .contentType(MediaType.IMAGE_JPEG)
                .cacheControl(CacheControl.noCache().cachePrivate())
                .eTag("\"" + id + "-v" + view.finalVersion() + "\"")
                .body(new FileSystemResource(file));
    }

    /**
     * The subtitles of a completed video ({@code vtt} for the player's {@code <track>}, {@code srt} to download),
     * written by the assembler beside {@code final.mp4}. Always sent by the gateway, never by a redirect to the
     * bucket: a {@code <track>} from another origin would need CORS on the bucket.
     */
    @GetMapping("/{id}/captions.{format}")
    ResponseEntity<Resource> captions(@RequestAttribute(AuthenticatedUser.ATTRIBUTE) AuthenticatedUser user,
                                      @PathVariable String id, @PathVariable String format) {
        MediaType type = switch (format) {
            case "vtt" -> TEXT_VTT;
            case "srt" -> SUBRIP;
            default -> throw new ApiException(HttpStatus.NOT_FOUND, "captions_not_found",
                    "Subtitles are captions.vtt or captions.srt.", null);
        };
        VideoStatus view = videos.view(user, id);
        if (view.finalUrl() == null) {
            throw new ApiException(HttpStatus.NOT_FOUND, "captions_not_found",
                    "A video has subtitles once it is completed (status: " + view.status() + ").", null);
        }
        // the playable version's (set whenever there is a final): also while an edit makes the next one
        Path file = localFile(ObjectKeys.captions(id, format, view.finalVersion())).orElseThrow(() -> new ApiException(HttpStatus.NOT_FOUND,
                "captions_not_found", "This video has no subtitles.", null));
        return ResponseEntity.ok()
                .contentType(type)
                .header(HttpHeaders.CONTENT_DISPOSITION, "inline; filename=\"" + id + "." + format + "\"")
                .cacheControl(CacheControl.noCache().cachePrivate())
                .body(new FileSystemResource(file));
    }

    /** The {@code n}-th (from 1) reference image the user uploaded with the video, as stored beside it. */
    @GetMapping("/{id}/references/{n}")
    ResponseEntity<Resource> referenceImage(@RequestAttribute(AuthenticatedUser.ATTRIBUTE) AuthenticatedUser user,
                                            @PathVariable String id, @PathVariable String n) {
        VideoStatus view = videos.view(user, id);
        java.util.List<ReferenceImage> images = view.request() == null ? java.util.List.of()
                : view.request().referenceImages();
        int index;
        try {
            index = Integer.parseInt(n);
        } catch (NumberFormatException e) {
            index = 0;
        }
        if (index < 1 || index > images.size()) {
            throw new ApiException(HttpStatus.NOT_FOUND, "reference_not_found", "This video has "
                    + images.size() + " reference image(s), numbered from 1.", null);
        }
        ReferenceImage image = images.get(index - 1);
        Path file = localFile(ObjectKeys.referenceImage(id, index, image.mimeType())).orElseThrow(() -> new ApiException(
                HttpStatus.NOT_FOUND, "reference_not_found", "This reference image is not stored.", null));
        return ResponseEntity.ok()
                .contentType(MediaType.parseMediaType(image.mimeType()))
                .cacheControl(CacheControl.maxAge(Duration.ofDays(1)).cachePrivate())
                .eTag("\"" + image.sha256() + "\"")
                .body(new FileSystemResource(file));
    }

    private Optional<Path> localFile(String key) {
        try {
            return store.localFile(key);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @PostMapping("/{id}/cancel")
    Mono<ResponseEntity<AcceptedVideo>> cancel(@RequestAttribute(AuthenticatedUser.ATTRIBUTE) AuthenticatedUser user,
                                               @PathVariable String id) {
        return videos.cancel(user, id).map(VideoController::accepted);
    }

    /**
     * Deletes the video (cancelled first if it is running): 204 once this gateway no longer has it, 202 when the
     * deletion takes longer than {@link VideoService#DELETE_WAIT} (it goes on); 404 for a video that is not the
     * caller's or is already deleted. Its files, subtitles and poster are removed from storage.
     */
    @org.springframework.web.bind.annotation.DeleteMapping("/{id}")
    Mono<ResponseEntity<Void>> delete(@RequestAttribute(AuthenticatedUser.ATTRIBUTE) AuthenticatedUser user,
                                      @PathVariable String id) {
        return videos.delete(user, id).map(gone -> gone ? ResponseEntity.noContent().<Void>build()
                : ResponseEntity.accepted().<Void>build());
    }

    /**
     * Generates one block of a completed or failed video again with a new prompt and/or narration, then assembles a
     * new version; the playable one stays until the new one completes. 202, or 409 {@code video_busy} while the video
     * is being generated, 400 for a block the video does not have or a body that changes nothing.
     */
    @org.springframework.web.bind.annotation.PutMapping(path = "/{id}/blocks/{block}",
            consumes = MediaType.APPLICATION_JSON_VALUE)
    Mono<ResponseEntity<AcceptedVideo>> editBlock(
            @RequestAttribute(AuthenticatedUser.ATTRIBUTE) AuthenticatedUser user, @PathVariable String id,
            @PathVariable String block, @RequestBody(required = false) Map<String, Object> body) {
        return videos.edit(user, id, BlockEdits.parse(intParam("block", block, 0, 1, 1000), body))
                .map(VideoController::accepted);
    }

    /** What {@code PUT /{id}/blocks/{block}} with the same body would cost and take (nothing is published). */
    @PostMapping(path = "/{id}/blocks/{block}/estimate", consumes = MediaType.APPLICATION_JSON_VALUE)
    VideoEstimates.Estimate estimateEdit(@RequestAttribute(AuthenticatedUser.ATTRIBUTE) AuthenticatedUser user,
                                         @PathVariable String id, @PathVariable String block,
                                         @RequestBody(required = false) Map<String, Object> body) {
        VideoStatus view = videos.view(user, id);
        BlockEdits.Edit edit = BlockEdits.parse(intParam("block", block, 0, 1, 1000), body);
        return estimates.estimateEdit(view, BlockEdits.checked(view, edit, false));
    }

    @PostMapping("/{id}/retry")
    Mono<ResponseEntity<AcceptedVideo>> retry(@RequestAttribute(AuthenticatedUser.ATTRIBUTE) AuthenticatedUser user,
                                              @PathVariable String id) {
        return videos.retry(user, id).map(VideoController::accepted);
    }

    private static ResponseEntity<AcceptedVideo> accepted(AcceptedVideo body) {
        return ResponseEntity.status(HttpStatus.ACCEPTED).location(URI.create(body.statusUrl())).body(body);
    }

    private static int intParam(String name, String value, int defaultValue, int min, int max) {
        if (value == null || value.isBlank()) {
            return defaultValue;
        }
        long parsed = longParam(name, value.trim());
        if (parsed < min || parsed > max) {
            throw ApiException.invalid(name, name + " must be between " + min + " and " + max + ".");
        }
        return (int) parsed;
    }

    private static long longParam(String name, String value) {
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw ApiException.invalid(name, name + " must be an integer.");
        }
    }
}
