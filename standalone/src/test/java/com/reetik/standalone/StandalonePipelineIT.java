package com.reetik.standalone;

import static org.assertj.core.api.Assertions.assertThat;

import com.reetik.contracts.deadletter.DeadLetter;
import com.reetik.contracts.json.Json;
import com.reetik.contracts.topic.Topics;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * The whole product in this JVM, as `serve` runs it: embedded broker, projector, bridge with the local
 * agents (real ffmpeg), gateway on a random port. Tests speak HTTP to it like any user would.
 * Start here to see what Reetik does.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(600)
class StandalonePipelineIT {

    @TempDir
    static Path dataDir;

    private RunningServer server;
    private ApiClient api;

    @BeforeAll
    void startEverything() throws Exception {
        server = RunningServer.start(dataDir, Map.of("REETIK_BLOCK_WORKERS", "2"), agents -> agents);
        api = server.api;
    }

    @AfterAll
    void stopEverything() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void shouldDeleteACompletedAndARunningVideoAndLeaveNothingOfThemAnywhere() throws Exception {
        // Given a completed video made with a reference image (a red PNG), with its clips, file, poster, subtitles
        // and that image in storage
        String token = api.newUser();
        java.awt.image.BufferedImage red = new java.awt.image.BufferedImage(64, 64, java.awt.image.BufferedImage.TYPE_INT_RGB);
        java.awt.Graphics2D g = red.createGraphics();
        g.setColor(java.awt.Color.RED);
        g.fillRect(0, 0, 64, 64);
        g.dispose();
        java.io.ByteArrayOutputStream png = new java.io.ByteArrayOutputStream();
        javax.imageio.ImageIO.write(red, "png", png);
        java.net.http.HttpResponse<String> created = api.post("/api/videos", token, Map.of("theme", "Vidéo à supprimer",
                "target_duration", 8, "reference_images", List.of(Map.of("mime_type", "image/png",
                        "data", java.util.Base64.getEncoder().encodeToString(png.toByteArray())))), Map.of());
        assertThat(created.statusCode()).as(created.body()).isEqualTo(202);
        String completed = Json.read(created.body(), Map.class).get("video_id").toString();
        assertThat(api.awaitTerminal(completed, token, Duration.ofMinutes(2)).get("status").asText()).isEqualTo("completed");
        Path videos = dataDir.resolve("videos");
        assertThat(videos.resolve(completed).resolve("final.mp4")).isRegularFile();
        assertThat(videos.resolve(completed).resolve("captions.vtt")).isRegularFile();
        assertThat(videos.resolve(completed).resolve("references/1.png")).hasBinaryContent(png.toByteArray());
        // whose local preview drew the image into its blocks: a red square at the bottom left (360p frame scaled to
        // 90x160: the square's centre at 14, 146)
        com.reetik.bridge.local.Ffmpeg ffmpeg = new com.reetik.bridge.local.Ffmpeg(java.util.Optional.empty(),
                dataDir.resolve("ffmpeg-check"));
        byte[] frame = ffmpeg.runForOutput(List.of("-loglevel", "error", "-ss", "5", "-i",
                videos.resolve(completed).resolve("final.mp4").toString(), "-frames:v", "1", "-f", "rawvideo",
                "-pix_fmt", "rgb24", "-s", "90x160", "-"), Duration.ofSeconds(30));
        int at = (146 * 90 + 14) * 3;
        assertThat(new int[] {frame[at] & 0xff, frame[at + 1] & 0xff, frame[at + 2] & 0xff})
                .satisfies(rgb -> assertThat(rgb[0]).isGreaterThan(200))
                .satisfies(rgb -> assertThat(rgb[1] + rgb[2]).isLessThan(120));
        // and a video whose blocks are being generated
        String running = api.createVideo(token, "Vidéo supprimée en cours", 24);
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        while (!api.get("/api/videos/" + running, token).body().contains("\"generating_parallel\"")) {
            assertThat(System.nanoTime()).as("%s generating its blocks", running).isLessThan(deadline);
            Thread.sleep(100);
        }

        // and a page following the running one's live stream
        java.util.concurrent.CompletableFuture<List<ApiClient.Sse>> followed = java.util.concurrent.CompletableFuture
                .supplyAsync(() -> {
                    try {
                        return api.events(running, token, Duration.ofSeconds(30));
                    } catch (Exception e) {
                        throw new java.util.concurrent.CompletionException(e);
                    }
                });

        // When the user deletes both
        assertThat(api.delete("/api/videos/" + completed, token)).isEqualTo(204);
        assertThat(api.delete("/api/videos/" + running, token)).isEqualTo(204);

        // Then the page following the running one sees it cancelled, and its stream ends (not an hour later, at the
        // end of its lifetime): a running video is cancelled before it is deleted
        List<ApiClient.Sse> seen = followed.get(30, java.util.concurrent.TimeUnit.SECONDS);
        assertThat(seen).isNotEmpty();
        assertThat(seen.get(seen.size() - 1).data().get("status").asText()).isEqualTo("cancelled");

        // Then nothing of them can be fetched through any route, and the library no longer lists them
        for (String id : List.of(completed, running)) {
            for (String path : List.of("", "/file", "/poster", "/captions.vtt", "/captions.srt", "/events",
                    "/references/1")) {
                assertThat(api.get("/api/videos/" + id + path, token).statusCode()).as("GET %s%s", id, path)
                        .isEqualTo(404);
            }
        }
        String library = api.get("/api/videos?size=100", token).body();
        assertThat(library).doesNotContain(completed).doesNotContain(running);
        // and storage holds nothing of either, the running one's blocks in flight included once they end
        assertThat(videos.resolve(completed)).doesNotExist();
        deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (Files.exists(videos.resolve(running))) {
            assertThat(System.nanoTime()).as("%s purged from storage", running).isLessThan(deadline);
            Thread.sleep(100);
        }
        Thread.sleep(2_000); // longer than a block takes at this resolution: one still rendering has ended by now
        assertThat(videos.resolve(running)).as("objects of the deleted video made after its deletion").doesNotExist();
        assertThat(videos.resolve(completed)).doesNotExist();
    }

    @Test
    void shouldStreamEveryStepToCompletionAndServeTheVideoWithRanges() throws Exception {
        // Given a registered user who asks for the default 36 s video
        String token = api.newUser();
        String videoId = api.createVideo(token, "Les volcans d'Islande", 36);

        // When they follow its event stream until the server ends it
        List<ApiClient.Sse> events = api.events(videoId, token, Duration.ofMinutes(4));

        // Then they saw every status in order, ending with completed
        List<String> statuses = events.stream().map(e -> e.data().get("status").asText()).toList();
        assertThat(statuses).containsSubsequence("generating_parallel", "completed");
        assertThat(statuses.get(statuses.size() - 1)).isEqualTo("completed");
        assertThat(statuses).doesNotContain("failed", "cancelled");
        // and "Génération vidéos (X/9 blocs)" rising to 9/9, never going back
        Pattern blocks = Pattern.compile("Génération vidéos \\((\\d+)/9 blocs\\)");
        List<Integer> counts = new ArrayList<>();
        for (ApiClient.Sse e : events) {
            Matcher m = blocks.matcher(e.data().get("current_step").asText());
            if (m.matches()) {
                counts.add(Integer.parseInt(m.group(1)));
            }
        }
        assertThat(counts).isNotEmpty().isSorted();
        assertThat(events.get(events.size() - 1).data().get("completed_blocks").asInt()).isEqualTo(9);
        assertThat(events.get(events.size() - 1).data().get("current_step").asText()).isEqualTo("Terminé");
        // and event ids (status versions) strictly increasing
        List<Long> ids = events.stream().map(e -> Long.parseLong(e.id())).toList();
        for (int i = 1; i < ids.size(); i++) {
            assertThat(ids.get(i)).isGreaterThan(ids.get(i - 1));
        }

        // When they download the file, whole and by range
        HttpResponse<byte[]> whole = api.getBytes("/api/videos/" + videoId + "/file", token, Map.of());
        HttpResponse<byte[]> part = api.getBytes("/api/videos/" + videoId + "/file", token, Map.of("Range", "bytes=0-99"));

        // Then the whole file is an MP4 and the range answer is 206 with exactly those bytes
        assertThat(whole.statusCode()).isEqualTo(200);
        assertThat(whole.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).contains("video/mp4"));
        assertThat(new String(whole.body(), 4, 4, StandardCharsets.ISO_8859_1)).isEqualTo("ftyp");
        assertThat(part.statusCode()).isEqualTo(206);
        assertThat(part.body()).hasSize(100).isEqualTo(java.util.Arrays.copyOf(whole.body(), 100));

        // When they fetch its subtitles
        HttpResponse<byte[]> vtt = api.getBytes("/api/videos/" + videoId + "/captions.vtt", token, Map.of());
        HttpResponse<byte[]> srt = api.getBytes("/api/videos/" + videoId + "/captions.srt", token, Map.of());

        // Then both formats are there, and they say the script's narration, word for word, in block order
        assertThat(vtt.statusCode()).isEqualTo(200);
        assertThat(vtt.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("text/vtt"));
        assertThat(srt.statusCode()).isEqualTo(200);
        String captions = new String(vtt.body(), StandardCharsets.UTF_8);
        List<double[]> cues = new ArrayList<>();
        StringBuilder said = new StringBuilder();
        Matcher cue = Pattern.compile("(\\d\\d):(\\d\\d):(\\d\\d\\.\\d{3}) --> (\\d\\d):(\\d\\d):(\\d\\d\\.\\d{3})\\n((?:.+\\n?)+)")
                .matcher(captions);
        while (cue.find()) {
            cues.add(new double[] {seconds(cue.group(1), cue.group(2), cue.group(3)),
                    seconds(cue.group(4), cue.group(5), cue.group(6))});
            said.append(said.isEmpty() ? "" : " ").append(cue.group(7).strip().replace("\n", " ")
                    .replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&"));
        }
        List<String> narrations = new ArrayList<>();
        ApiClient.json(api.get("/api/videos/" + videoId, token)).get("blocks")
                .forEach(b -> narrations.add(b.get("narration").asText().strip().replaceAll("\\s+", " ")));
        assertThat(said.toString()).isEqualTo(String.join(" ", narrations));
        // and a caption starts at each cut of the assembled file (where the picture changes), within 0.1 s
        Path file = dataDir.resolve(videoId + "-downloaded.mp4");
        java.nio.file.Files.write(file, whole.body());
        com.reetik.bridge.local.Ffmpeg ffmpeg = new com.reetik.bridge.local.Ffmpeg(java.util.Optional.empty(),
                dataDir.resolve("test-bin"));
        List<Double> cuts = new ArrayList<>();
        Matcher cut = Pattern.compile("pts_time:([0-9.]+)").matcher(ffmpeg.run(List.of("-i", file.toString(),
                "-vf", "scale=90:160,select='gt(scene,0.3)',showinfo", "-an", "-f", "null", "-"), Duration.ofSeconds(60)));
        while (cut.find()) {
            cuts.add(Double.parseDouble(cut.group(1)));
        }
        assertThat(cuts).hasSize(8);
        for (double at : cuts) {
            assertThat(cues).as("a caption starting at the cut at %.3f s", at)
                    .anySatisfy(c -> assertThat(c[0]).isCloseTo(at, org.assertj.core.api.Assertions.within(0.1)));
        }
        assertThat(cues.get(0)[0]).isZero();
        assertThat(cues.get(cues.size() - 1)[1]).isCloseTo(ffmpeg.probe(file).durationS(),
                org.assertj.core.api.Assertions.within(0.1));
    }

    private static double seconds(String hours, String minutes, String seconds) {
        return Integer.parseInt(hours) * 3600 + Integer.parseInt(minutes) * 60 + Double.parseDouble(seconds);
    }

    @Test
    void shouldAnswerBadInputWithClearErrors() throws Exception {
        String token = api.newUser();
        // Missing theme, duration out of range, unknown style or language: 400 naming the field
        assertBadRequest(token, Map.of("target_duration", 36), "theme");
        assertBadRequest(token, Map.of("theme", "Les volcans", "target_duration", 5), "target_duration");
        assertBadRequest(token, Map.of("theme", "Les volcans", "target_duration", 181), "target_duration");
        assertBadRequest(token, Map.of("theme", "Les volcans", "style", "epic"), "style");
        assertBadRequest(token, Map.of("theme", "Les volcans", "language", "de"), "language");
        // No token or a forged one: 401
        assertThat(api.get("/api/videos", null).statusCode()).isEqualTo(401);
        assertThat(api.get("/api/videos", "not.a.jwt").statusCode()).isEqualTo(401);
        // Another user's video: 404, same as one that does not exist
        String mine = api.createVideo(token, "Mon secret", 8);
        String other = api.newUser();
        assertThat(api.get("/api/videos/" + mine, other).statusCode()).isEqualTo(404);
        assertThat(api.get("/api/videos/" + mine + "/events", other).statusCode()).isEqualTo(404);
        assertThat(api.get("/api/videos/nope_20260101_000000_abcdef", token).statusCode()).isEqualTo(404);
        api.awaitTerminal(mine, token, Duration.ofMinutes(3));
    }

    private void assertBadRequest(String token, Map<String, Object> body, String field) throws Exception {
        HttpResponse<String> response = api.post("/api/videos", token, body, Map.of());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
        JsonNode error = ApiClient.json(response).get("error");
        assertThat(error.get("field").asText()).isEqualTo(field);
        assertThat(error.get("message").asText()).isNotBlank();
    }

    @Test
    void shouldSendAMalformedEventToDeadLettersAndStillCompleteLaterVideos() throws Exception {
        // Given a malformed record on the public event topic
        server.sendRaw(Topics.VIDEO_EVENTS.name(), "garbage_key", "{\"type\": 42");

        // When a user then makes a video
        String token = api.newUser();
        String videoId = api.createVideo(token, "Après la lettre morte", 8);

        // Then the record is in the dead letters, with its reason, and the video completes
        DeadLetter letter = server.awaitDeadLetter("garbage_key", Duration.ofSeconds(60));
        assertThat(letter.sourceTopic()).isEqualTo(Topics.VIDEO_EVENTS.name());
        assertThat(letter.value()).isEqualTo("{\"type\": 42");
        assertThat(letter.reason()).isNotBlank();
        assertThat(api.awaitTerminal(videoId, token, Duration.ofMinutes(3)).get("status").asText()).isEqualTo("completed");
    }

    @Test
    void shouldCompleteTenVideosCreatedAtOnceAndListThemNewestFirst() throws Exception {
        // Given one user who creates 10 videos at the same time
        String token = api.newUser();
        ExecutorService pool = Executors.newFixedThreadPool(10);
        List<Future<String>> created = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            int n = i;
            created.add(pool.submit((Callable<String>) () -> api.createVideo(token, "Vidéo numéro " + n, 8)));
        }
        List<String> ids = new ArrayList<>();
        for (Future<String> f : created) {
            ids.add(f.get());
        }
        pool.shutdown();

        // Then every one completes
        for (String id : ids) {
            assertThat(api.awaitTerminal(id, token, Duration.ofMinutes(5)).get("status").asText())
                    .as(id).isEqualTo("completed");
        }
        // and the library lists all 10, newest first, all completed
        JsonNode library = awaitLibrary(token, 10);
        List<String> createdAt = new ArrayList<>();
        library.get("videos").forEach(v -> createdAt.add(v.get("created_at").asText()));
        assertThat(createdAt).hasSize(10);
        assertThat(createdAt).isSortedAccordingTo((a, b) -> java.time.Instant.parse(b).compareTo(java.time.Instant.parse(a)));
        List<String> listed = new ArrayList<>();
        library.get("videos").forEach(v -> listed.add(v.get("video_id").asText()));
        assertThat(listed).containsExactlyInAnyOrderElementsOf(ids);
    }

    private JsonNode awaitLibrary(String token, int count) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        JsonNode last = null;
        while (System.nanoTime() < deadline) {
            HttpResponse<String> response = api.get("/api/videos?page=0&size=50", token);
            if (response.statusCode() == 200) {
                last = ApiClient.json(response);
                long done = 0;
                for (JsonNode v : last.get("videos")) {
                    if (v.get("status").asText().equals("completed")) {
                        done++;
                    }
                }
                if (done == count) {
                    return last;
                }
            }
            Thread.sleep(200);
        }
        throw new AssertionError("library did not list " + count + " completed videos: " + last);
    }
}
