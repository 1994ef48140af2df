package com.reetik.bridge.local;

import com.reetik.bridge.agent.AgentException;
import com.reetik.bridge.agent.Assembled;
import com.reetik.bridge.agent.AssemblyOptions;
import com.reetik.bridge.captions.Captions;
import com.reetik.contracts.status.ErrorCode;
import com.reetik.contracts.storage.ObjectKeys;
import com.reetik.contracts.storage.ObjectStore;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Joins clips, in order, into {@code {video_id}/final.mp4} with ffmpeg. Clips that share size, codecs, frame rate
 * and audio layout are concatenated with the picture copied as it is (concat demuxer, {@code -c:v copy}) and the
 * sound encoded again with a short fade out and in at each cut (no click); otherwise all are scaled and padded to
 * the first clip's size and re-encoded (H.264 + AAC) with the concat filter, with the same fades. Asked for a
 * crossfade, each block fades into the next over {@link #CROSSFADE_S} (the {@code xfade} and {@code acrossfade}
 * filters, re-encoded): the blocks overlap, so the video is that much shorter per cut. Always faststart. A poster
 * frame is stored beside it ({@code {video_id}/poster.jpg}).
 */
public final class FfmpegAssembler {

    private static final Logger log = LoggerFactory.getLogger(FfmpegAssembler.class);

    private final Ffmpeg ffmpeg;
    private final ObjectStore store;
    private final Path workDir;

    public FfmpegAssembler(Ffmpeg ffmpeg, ObjectStore store, Path workDir) {
        this.ffmpeg = Objects.requireNonNull(ffmpeg, "ffmpeg");
        this.store = Objects.requireNonNull(store, "store");
        this.workDir = Objects.requireNonNull(workDir, "workDir");
    }

    /** The clips, as local files with what ffmpeg says about them. */
    private record Input(Path file, Ffmpeg.MediaInfo info) {
    }

    public Assembled assemble(String videoId, List<String> clipUris) throws AgentException {
        return assemble(videoId, clipUris, AssemblyOptions.NONE);
    }

    /**
     * Joins the clips; with {@code options.burnSubtitles()}, the subtitles made from the narrations and the clips'
     * lengths ({@link Captions}) are drawn into the picture, which is then encoded again in the same pass; with
     * {@code options.crossfade()}, the blocks fade into each other. The clip lengths it returns are where each block
     * shows in the joined file: with crossfades, a block ends (and its subtitle changes) in the middle of the fade.
     */
    public Assembled assemble(String videoId, List<String> clipUris, AssemblyOptions options) throws AgentException {
        if (clipUris == null || clipUris.isEmpty()) {
            throw new AgentException(ErrorCode.ASSEMBLY_FAILED, false, "no clips to assemble for video " + videoId);
        }
        List<Input> inputs = new ArrayList<>(clipUris.size());
        Path out = null;
        Path list = null;
        Path poster = null;
        Path burned = null;
        try {
            List<Path> files = new ArrayList<>(clipUris.size());
            for (String uri : clipUris) {
                files.add(localFile(uri));
            }
            for (int i = 0; i < files.size(); i++) {
                Path file = files.get(i);
                String uri = clipUris.get(i);
                Ffmpeg.MediaInfo info = ffmpeg.probe(file);
                if (info.videoCodec() == null) {
                    throw new AgentException(ErrorCode.ASSEMBLY_FAILED, false, "clip " + uri + " has no video stream");
                }
                inputs.add(new Input(file, info));
            }
            Files.createDirectories(workDir);
            out = Files.createTempFile(workDir, "final-", ".mp4");
            double totalS = inputs.stream().mapToDouble(i -> i.info().durationS()).sum();
            Duration timeout = Duration.ofSeconds(120L + (long) (totalS * 10));
            double crossfadeS = options.crossfade() ? crossfadeS(inputs) : 0;
            List<Double> shown = shownDurations(inputs, crossfadeS);
            String subtitles = null;
            if (options.burnSubtitles() && options.narrations().size() == inputs.size()) {
                burned = Files.createTempFile(workDir, "burned-", ".srt");
                Files.writeString(burned, Captions.of(options.narrations(), shown).toSrtForBurning(),
                        StandardCharsets.UTF_8);
                subtitles = subtitlesFilter(burned, inputs.get(0).info());
            }
            if (subtitles != null || crossfadeS > 0) {
                ffmpeg.run(reencode(inputs, out, subtitles, crossfadeS), timeout);
            } else if (uniform(inputs)) {
                list = Files.createTempFile(workDir, "concat-", ".txt");
                Files.writeString(list, concatList(inputs), StandardCharsets.UTF_8);
                List<String> args = new ArrayList<>(List.of("-y", "-loglevel", "error", "-f", "concat", "-safe", "0",
                        "-i", list.toAbsolutePath().toString()));
                if (inputs.get(0).info().audioCodec() != null) {
                    // The picture is copied as it is; the sound is encoded again, in step with it, faded at the cuts.
                    for (Input input : inputs) {
                        args.addAll(List.of("-i", input.file().toAbsolutePath().toString()));
                    }
                    args.addAll(List.of("-filter_complex", audioOfCopiedJoin(inputs), "-map", "0:v", "-map", "[a]",
                            "-c:v", "copy", "-c:a", "aac", "-b:a", "128k"));
                } else {
                    args.addAll(List.of("-map", "0", "-c", "copy"));
                }
                args.addAll(List.of("-movflags", "+faststart", out.toAbsolutePath().toString()));
                ffmpeg.run(args, timeout);
            } else {
                ffmpeg.run(reencode(inputs, out, null, 0), timeout);
            }
            Ffmpeg.MediaInfo result = ffmpeg.probe(out);
            poster = storePoster(videoId, options.version(), out, result.durationS());
            String uri = store.put(ObjectKeys.finalVideo(videoId, options.version()), out);
            // Every way of joining starts each block where the previous one ends: the cuts are the running sums.
            return new Assembled(uri, result.durationS(), shown);
        } catch (IOException e) {
            throw new AgentException(ErrorCode.ASSEMBLY_FAILED, false,
                    "assembling " + clipUris.size() + " clips of video " + videoId + " failed: " + e.getMessage(), e);
        } finally {
            deleteQuietly(list);
            deleteQuietly(out);
            deleteQuietly(poster);
            deleteQuietly(burned);
        }
    }

    /**
     * libass draws the subtitles (the {@code subtitles} filter), in bold white with a black outline, near the bottom
     * but above where phone apps put their buttons, in a size read from the frame's height: font sizes are in
     * units of a 288-line frame, so 9 is 40 px on a 1280-line vertical video and 14 is 35 px on a 720-line one;
     * libass wraps a line that does not fit the width. The font is one of the local preview's (DejaVu Sans or
     * Liberation Sans), given as a directory so that libass needs no system font configuration.
     */
    private static String subtitlesFilter(Path srt, Ffmpeg.MediaInfo first) {
        boolean vertical = first.height() > first.width();
        String style = "Bold=1,PrimaryColour=&H00FFFFFF,OutlineColour=&H00000000,BorderStyle=1,Outline=2,Shadow=0,"
                + "Alignment=2,MarginL=12,MarginR=12," + (vertical ? "FontSize=9,MarginV=60" : "FontSize=14,MarginV=18");
        StringBuilder filter = new StringBuilder("subtitles=filename=").append(filterValue(srt.toAbsolutePath().toString()));
        Optional<Path> font = LocalClipRenderer.DEFAULT_FONTS.stream().filter(Files::isRegularFile).findFirst();
        if (font.isPresent()) {
            String name = font.get().getFileName().toString().startsWith("Liberation") ? "Liberation Sans" : "DejaVu Sans";
            filter.append(":fontsdir=").append(filterValue(font.get().getParent().toString()));
            style = "FontName=" + name + "," + style;
        }
        return filter.append(":force_style=").append(filterValue(style)).toString();
    }

    /** A value inside a filter's options: quoted, with the quote itself closed, escaped and reopened. */
    private static String filterValue(String value) {
        return "'" + value.replace("\\", "\\\\").replace("'", "'\\''") + "'";
    }

    /**
     * A JPEG frame of the final video, stored as {@code {video_id}/poster.jpg} before {@code final.mp4}, so a
     * completed video has its poster. The frame is taken a second in (the middle of shorter videos): a first frame
     * is often black. A poster that cannot be made is logged, not fatal: the video itself is what the user paid for.
     */
    private Path storePoster(String videoId, int version, Path video, double durationS) {
        Path poster = null;
        try {
            poster = Files.createTempFile(workDir, "poster-", ".jpg");
            double at = Math.min(1.0, Math.max(0, durationS / 2));
            ffmpeg.run(List.of("-y", "-loglevel", "error", "-ss", String.format(Locale.ROOT, "%.3f", at),
                    "-i", video.toAbsolutePath().toString(), "-frames:v", "1", "-q:v", "4",
                    poster.toAbsolutePath().toString()), Duration.ofSeconds(60));
            store.put(ObjectKeys.poster(videoId, version), poster);
        } catch (IOException | RuntimeException e) {
            log.warn("No poster for video {}: {}", videoId, e.getMessage());
        }
        return poster;
    }

    private Path localFile(String uri) throws AgentException, IOException {
        Optional<String> key = uri == null ? Optional.empty() : store.keyOf(uri);
        if (key.isEmpty()) {
            throw new AgentException(ErrorCode.ASSEMBLY_FAILED, false, "clip " + uri + " is not in the object store");
        }
        return store.localFile(key.get())
                .orElseThrow(() -> new AgentException(ErrorCode.ASSEMBLY_FAILED, false, "clip " + uri + " is missing"));
    }

    /** Whether the concat demuxer may copy the streams: same size, codecs, frame rate and audio layout. */
    private static boolean uniform(List<Input> inputs) {
        Ffmpeg.MediaInfo first = inputs.get(0).info();
        return inputs.stream().map(Input::info).allMatch(i -> i.width() == first.width()
                && i.height() == first.height()
                && Objects.equals(i.videoCodec(), first.videoCodec())
                && Objects.equals(i.audioCodec(), first.audioCodec())
                && Math.abs(i.fps() - first.fps()) < 0.01
                && i.sampleRate() == first.sampleRate()
                && i.channels() == first.channels());
    }

    private static String concatList(List<Input> inputs) {
        StringBuilder list = new StringBuilder("ffconcat version 1.0\n");
        for (Input input : inputs) {
            list.append("file '").append(input.file().toAbsolutePath().toString().replace("'", "'\\''")).append("'\n");
        }
        return list.toString();
    }

    /**
     * The sound of a join whose picture is copied: each clip's own sound, cut or padded with silence to the clip's
     * length (the concat demuxer starts each picture where the previous clip's length ends, but a copied AAC track is
     * a few encoder frames longer than its picture, and joined as it is, the sound ran 32 ms later at every cut: a
     * third of a second behind the picture after nine 4 s blocks), then faded out and in over {@link #AUDIO_FADE_S}
     * at each cut: each clip has its own sound (a Veo clip its own music and voice), and a wave that jumps at a cut
     * is heard as a click. Inputs 1…n are the clips, input 0 the concat list of the pictures.
     */
    private static String audioOfCopiedJoin(List<Input> inputs) {
        StringBuilder graph = new StringBuilder();
        StringBuilder parts = new StringBuilder();
        for (int i = 0; i < inputs.size(); i++) {
            graph.append('[').append(i + 1).append(":a:0]").append(fittedAudio(inputs.get(i).info().durationS(),
                    inputs.size() > 1)).append("[a").append(i).append("];");
            parts.append("[a").append(i).append(']');
        }
        return graph.append(parts).append("concat=n=").append(inputs.size()).append(":v=0:a=1[a]").toString();
    }

    /** A clip's sound made exactly {@code durationS} long, faded in and out at its ends when it is one of several. */
    private static String fittedAudio(double durationS, boolean fades) {
        String fitted = String.format(Locale.ROOT, "apad,atrim=end=%.4f,asetpts=N/SR/TB", durationS);
        return !fades ? fitted : fitted + String.format(Locale.ROOT, ",afade=t=in:d=%.3f,afade=t=out:st=%.4f:d=%.3f",
                AUDIO_FADE_S, Math.max(0, durationS - AUDIO_FADE_S), AUDIO_FADE_S);
    }

    /** How long the sound takes to fall before a cut, and to rise after it. */
    static final double AUDIO_FADE_S = 0.03;

    /** How long one block takes to fade into the next, when crossfades are asked for. */
    static final double CROSSFADE_S = 0.5;

    /** The crossfade's length: {@link #CROSSFADE_S}, or a quarter of the shortest clip (none for a single clip). */
    private static double crossfadeS(List<Input> inputs) {
        if (inputs.size() < 2) {
            return 0;
        }
        double shortest = inputs.stream().mapToDouble(i -> i.info().durationS()).min().orElse(0);
        return Math.min(CROSSFADE_S, shortest / 4);
    }

    /**
     * How long each block shows in the joined file. With crossfades of {@code crossfadeS}, neighbouring blocks
     * overlap by that much, and each cut is counted in the middle of its fade: the first and last blocks lose half a
     * fade, the others a whole one, and the sum is the joined file's length.
     */
    private static List<Double> shownDurations(List<Input> inputs, double crossfadeS) {
        List<Double> shown = new ArrayList<>(inputs.size());
        for (int i = 0; i < inputs.size(); i++) {
            double lost = crossfadeS <= 0 ? 0 : (i == 0 || i == inputs.size() - 1 ? crossfadeS / 2 : crossfadeS);
            shown.add(inputs.get(i).info().durationS() - lost);
        }
        return shown;
    }

    /**
     * Every clip scaled/padded to the first one's size and rate, silence for clips without audio, then joined: by the
     * concat filter (cuts, with the sound's short fades), or with {@code crossfadeS > 0} by {@code xfade} and
     * {@code acrossfade}, each block starting {@code crossfadeS} before the previous one ends.
     */
    private static List<String> reencode(List<Input> inputs, Path out, String subtitles, double crossfadeS) {
        Ffmpeg.MediaInfo first = inputs.get(0).info();
        int width = even(first.width());
        int height = even(first.height());
        double fps = first.fps() > 0 ? first.fps() : 24;
        boolean anyAudio = inputs.stream().anyMatch(i -> i.info().audioCodec() != null);
        int sampleRate = first.sampleRate() > 0 ? first.sampleRate() : 48000;
        String layout = first.channels() == 1 ? "mono" : "stereo";
        String rate = String.format(Locale.ROOT, "%.3f", fps);

        List<String> args = new ArrayList<>(List.of("-y", "-loglevel", "error"));
        for (Input input : inputs) {
            args.add("-i");
            args.add(input.file().toAbsolutePath().toString());
        }
        StringBuilder graph = new StringBuilder();
        StringBuilder concatInputs = new StringBuilder();
        for (int i = 0; i < inputs.size(); i++) {
            graph.append('[').append(i).append(":v:0]scale=").append(width).append(':').append(height)
                    .append(":force_original_aspect_ratio=decrease,pad=").append(width).append(':').append(height)
                    .append(":(ow-iw)/2:(oh-ih)/2,setsar=1,fps=").append(rate).append(",format=yuv420p");
            if (crossfadeS > 0) {
                // xfade places the next block at an offset computed from the clips' lengths: each picture is made
                // exactly that long (its last frame held if it is short), as the sound is
                graph.append(String.format(Locale.ROOT, ",tpad=stop_mode=clone:stop_duration=1,trim=duration=%.4f,"
                        + "setpts=PTS-STARTPTS", inputs.get(i).info().durationS()));
            }
            graph.append("[v").append(i).append("];");
            concatInputs.append("[v").append(i).append(']');
            if (anyAudio) {
                Ffmpeg.MediaInfo info = inputs.get(i).info();
                if (info.audioCodec() != null) {
                    graph.append('[').append(i).append(":a:0]");
                } else {
                    graph.append("anullsrc=r=").append(sampleRate).append(":cl=").append(layout)
                            .append(",atrim=duration=").append(String.format(Locale.ROOT, "%.3f", info.durationS()))
                            .append(',');
                }
                graph.append("aresample=").append(sampleRate).append(",aformat=sample_fmts=fltp:channel_layouts=")
                        .append(layout).append(',')
                        .append(fittedAudio(info.durationS(), inputs.size() > 1 && crossfadeS <= 0))
                        .append("[a").append(i).append("];");
                concatInputs.append("[a").append(i).append(']');
            }
        }
        String joinedVideo = subtitles == null ? "[v]" : "[joined]";
        if (crossfadeS > 0) {
            crossfades(graph, inputs, crossfadeS, joinedVideo, anyAudio);
        } else {
            graph.append(concatInputs).append("concat=n=").append(inputs.size()).append(":v=1:a=")
                    .append(anyAudio ? 1 : 0).append(joinedVideo).append(anyAudio ? "[a]" : "");
        }
        if (subtitles != null) {
            graph.append(";[joined]").append(subtitles).append("[v]");
        }
        args.addAll(List.of("-filter_complex", graph.toString(), "-map", "[v]"));
        if (anyAudio) {
            args.addAll(List.of("-map", "[a]", "-c:a", "aac", "-b:a", "128k", "-ar", Integer.toString(sampleRate),
                    "-ac", first.channels() == 1 ? "1" : "2"));
        }
        args.addAll(List.of("-c:v", "libx264", "-preset", "veryfast", "-pix_fmt", "yuv420p", "-r", rate,
                "-movflags", "+faststart", out.toAbsolutePath().toString()));
        return args;
    }

    /**
     * The prepared pictures {@code [v0]…} and sounds {@code [a0]…} joined pairwise: block {@code i} starts fading in
     * at the joined file's time {@code sum(d0…d(i-1)) - i × crossfadeS}, and the sounds cross over the same span
     * (triangular curves: the sum stays near the level of either side, with no gap and no jump).
     */
    private static void crossfades(StringBuilder graph, List<Input> inputs, double crossfadeS, String videoOut,
                                   boolean audio) {
        String video = "[v0]";
        String sound = "[a0]";
        double offset = 0;
        for (int i = 1; i < inputs.size(); i++) {
            boolean last = i == inputs.size() - 1;
            offset += inputs.get(i - 1).info().durationS() - crossfadeS;
            String nextVideo = last ? videoOut : "[xv" + i + "]";
            graph.append(video).append("[v").append(i).append(']')
                    .append(String.format(Locale.ROOT, "xfade=transition=fade:duration=%.4f:offset=%.4f", crossfadeS, offset))
                    .append(nextVideo).append(';');
            video = nextVideo;
            if (audio) {
                String nextSound = last ? "[a]" : "[xa" + i + "]";
                graph.append(sound).append("[a").append(i).append(']')
                        .append(String.format(Locale.ROOT, "acrossfade=d=%.4f:c1=tri:c2=tri", crossfadeS))
                        .append(nextSound).append(';');
                sound = nextSound;
            }
        }
        graph.setLength(graph.length() - 1);
    }

    private static int even(int value) {
        return value <= 0 ? 2 : value + (value & 1);
    }

    private static void deleteQuietly(Path file) {
        if (file != null) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException ignored) {
                // a leftover temp file in the work dir is harmless
            }
        }
    }
}
