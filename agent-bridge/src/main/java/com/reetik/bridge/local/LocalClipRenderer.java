package com.reetik.bridge.local;

import com.reetik.bridge.agent.AgentException;
import com.reetik.bridge.agent.Clip;
import com.reetik.bridge.agent.ClipRequest;
import com.reetik.bridge.agent.ReferenceImageFiles;
import com.reetik.contracts.event.ScriptBlock;
import com.reetik.contracts.status.AspectRatio;
import com.reetik.contracts.status.ErrorCode;
import com.reetik.contracts.status.Language;
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
import java.util.random.RandomGenerator;

/**
 * Renders one script block as a real clip with ffmpeg, no AI: a moving gradient in the video's palette
 * ({@link LocalLook}: one per video, dark and light in turn from block to block),
 * a "Bloc i/n" header and the narration in a semi-transparent box, over a quiet sine tone. H.264 + AAC, 24 fps.
 * May fail on purpose ({@code REETIK_LOCAL_FAILURE_RATE}) to exercise the bridge's retries.
 */
public final class LocalClipRenderer {

    public static final String ENV_FAILURE_RATE = "REETIK_LOCAL_FAILURE_RATE";
    public static final int FPS = 24;

    /** Fonts tried in order; without any, blocks are told apart by a drawbox pattern instead of text. */
    public static final List<Path> DEFAULT_FONTS = List.of(
            Path.of("/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"),
            Path.of("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"),
            Path.of("/usr/share/fonts/truetype/liberation/LiberationSans-Bold.ttf"),
            Path.of("/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf"),
            Path.of("/usr/share/fonts/truetype/liberation2/LiberationSans-Bold.ttf"),
            Path.of("/usr/share/fonts/dejavu/DejaVuSans-Bold.ttf"),
            Path.of("/usr/share/fonts/TTF/DejaVuSans-Bold.ttf"),
            Path.of("/Library/Fonts/Arial.ttf"),
            Path.of("C:/Windows/Fonts/arial.ttf"));

    private final Ffmpeg ffmpeg;
    private final ObjectStore store;
    private final Path workDir;
    private final double failureRate;
    private final RandomGenerator random;
    private final Optional<Path> font;
    private final PreviewResolution resolution;

    public LocalClipRenderer(Ffmpeg ffmpeg, ObjectStore store, Path workDir, double failureRate, RandomGenerator random) {
        this(ffmpeg, store, workDir, failureRate, random, DEFAULT_FONTS, PreviewResolution.P720);
    }

    public LocalClipRenderer(Ffmpeg ffmpeg, ObjectStore store, Path workDir, double failureRate, RandomGenerator random,
                             PreviewResolution resolution) {
        this(ffmpeg, store, workDir, failureRate, random, DEFAULT_FONTS, resolution);
    }

    /** @param fontCandidates fonts tried in order; the first existing one is used */
    public LocalClipRenderer(Ffmpeg ffmpeg, ObjectStore store, Path workDir, double failureRate, RandomGenerator random,
                             List<Path> fontCandidates) {
        this(ffmpeg, store, workDir, failureRate, random, fontCandidates, PreviewResolution.P720);
    }

    /**
     * @param fontCandidates fonts tried in order; the first existing one is used
     * @param resolution     the frame size drawn: 720p (the aspect ratio's own size) or 360p (a quarter of the pixels)
     */
    public LocalClipRenderer(Ffmpeg ffmpeg, ObjectStore store, Path workDir, double failureRate, RandomGenerator random,
                             List<Path> fontCandidates, PreviewResolution resolution) {
        this.resolution = Objects.requireNonNull(resolution, "resolution");
        this.ffmpeg = Objects.requireNonNull(ffmpeg, "ffmpeg");
        this.store = Objects.requireNonNull(store, "store");
        this.workDir = Objects.requireNonNull(workDir, "workDir");
        this.failureRate = checkFailureRate(failureRate);
        this.random = Objects.requireNonNull(random, "random");
        this.font = fontCandidates.stream().filter(Files::isRegularFile).findFirst();
    }

    /** The failure rate in {@code value} (blank or null: 0); anything outside 0.0–1.0 is rejected. */
    public static double parseFailureRate(String value) {
        if (value == null || value.isBlank()) {
            return 0.0;
        }
        try {
            return checkFailureRate(Double.parseDouble(value.trim()));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(ENV_FAILURE_RATE + " must be a number from 0.0 to 1.0, not " + value, e);
        }
    }

    private static double checkFailureRate(double rate) {
        if (!(rate >= 0.0 && rate <= 1.0)) {
            throw new IllegalArgumentException(ENV_FAILURE_RATE + " must be from 0.0 to 1.0, not " + rate);
        }
        return rate;
    }

    public double failureRate() {
        return failureRate;
    }

    /** The font drawn with, or empty when the clips show a drawbox pattern instead of text. */
    public Optional<Path> font() {
        return font;
    }

    /** Renders the block, stores it at {@code {video_id}/clips/block_{i}.mp4} and returns its URI and duration. */
    public Clip render(ClipRequest request) throws AgentException {
        ScriptBlock block = request.block();
        if (failureRate > 0 && random.nextDouble() < failureRate) {
            throw new AgentException(ErrorCode.DEFAULT, true,
                    "local preview: simulated clip failure (" + ENV_FAILURE_RATE + "=" + failureRate + ")");
        }
        if (block.durationS() <= 0) {
            throw new AgentException(ErrorCode.DEFAULT, false,
                    "local preview: block " + block.index() + " has no duration (" + block.durationS() + " s)");
        }
        AspectRatio ratio = request.request() == null ? AspectRatio.VERTICAL
                : AspectRatio.fromWire(request.request().aspectRatio()).orElse(AspectRatio.VERTICAL);
        Frame aspect = new Frame(ratio.width() / resolution.divisor(), ratio.height() / resolution.divisor());
        Language language = request.request() == null ? Language.FR : Language.ofOrFrench(request.request().language());

        Path header = null;
        Path body = null;
        Path out = null;
        try {
            Files.createDirectories(workDir);
            out = Files.createTempFile(workDir, "clip-", ".mp4");
            String videoFilter;
            if (font.isPresent()) {
                String headerText = (language == Language.EN ? "Block " : "Bloc ") + block.index() + "/"
                        + Math.max(request.totalBlocks(), block.index());
                header = writeText(headerText);
                body = writeText(wrap(block.narration() == null ? "" : block.narration(), charsPerLine(aspect)));
                videoFilter = textFilter(aspect, header, body);
            } else {
                videoFilter = patternFilter(block.index());
            }
            LocalLook look = LocalLook.of(request.request() == null ? request.videoId() : request.request().theme());
            List<Path> references = ReferenceImageFiles.of(request, store, "local preview").stream()
                    .map(ReferenceImageFiles.Stored::file).toList();
            ffmpeg.run(command(block, look, aspect, videoFilter, references, out),
                    Duration.ofSeconds(60L + 15L * block.durationS()));
            Ffmpeg.MediaInfo info = ffmpeg.probe(out);
            String uri = store.put(request.clipKey(), out);
            return new Clip(uri, info.durationS(), null);
        } catch (IOException e) {
            throw new AgentException(ErrorCode.DEFAULT, true,
                    "local preview: rendering block " + block.index() + " failed: " + e.getMessage(), e);
        } finally {
            deleteQuietly(header);
            deleteQuietly(body);
            deleteQuietly(out);
        }
    }

    /** The size of the frames drawn. */
    record Frame(int width, int height) {
    }

    /** The side of the squares the reference images are drawn in, along the bottom of the frame. */
    static int referenceSize(int width, int height) {
        return Math.min(width, height) / 4;
    }

    private List<String> command(ScriptBlock block, LocalLook look, Frame aspect, String videoFilter,
                                 List<Path> references, Path out) {
        int index = block.index();
        List<String> palette = look.colors(index);
        String gradients = "gradients=s=" + aspect.width() + "x" + aspect.height() + ":r=" + FPS
                + ":c0=" + palette.get(0) + ":c1=" + palette.get(1) + ":speed=0.02:seed=" + Math.floorMod(index * 7919L, 4_000_000_000L)
                + ",format=yuv420p";
        int frequency = 220 + 55 * Math.floorMod(index - 1, 12);
        List<String> args = new ArrayList<>(List.of(
                "-y", "-loglevel", "error",
                "-f", "lavfi", "-i", gradients,
                "-f", "lavfi", "-i", "sine=f=" + frequency + ":sample_rate=48000"));
        for (Path reference : references) {
            args.addAll(List.of("-i", reference.toAbsolutePath().toString()));
        }
        args.addAll(List.of("-t", Integer.toString(block.durationS())));
        if (references.isEmpty()) {
            args.addAll(List.of("-vf", videoFilter));
        } else {
            // The user's reference images, side by side in squares along the bottom (each kept whole inside its
            // square): the local preview shows which images a Veo clip would be asked to follow.
            int size = referenceSize(aspect.width(), aspect.height());
            int margin = size / 8;
            StringBuilder graph = new StringBuilder("[0:v]").append(videoFilter).append("[base]");
            String previous = "base";
            for (int i = 0; i < references.size(); i++) {
                graph.append(";[").append(i + 2).append(":v]scale=").append(size).append(':').append(size)
                        .append(":force_original_aspect_ratio=decrease,format=rgba[ref").append(i).append("]");
                String next = i == references.size() - 1 ? "withrefs" : "o" + i;
                graph.append(";[").append(previous).append("][ref").append(i).append("]overlay=x=")
                        .append(margin + i * (size + margin)).append("+(").append(size).append("-overlay_w)/2:y=H-")
                        .append(size + margin).append("+(").append(size).append("-overlay_h)/2[").append(next).append("]");
                previous = next;
            }
            graph.append(";[withrefs]format=yuv420p[v]");
            args.addAll(List.of("-filter_complex", graph.toString(), "-map", "[v]", "-map", "1:a"));
        }
        args.addAll(List.of(
                "-af", "volume=0.12",
                "-c:v", "libx264", "-preset", "veryfast", "-pix_fmt", "yuv420p", "-r", Integer.toString(FPS),
                "-c:a", "aac", "-b:a", "128k", "-ar", "48000", "-ac", "2",
                "-shortest", "-movflags", "+faststart",
                out.toAbsolutePath().toString()));
        return args;
    }

    private static int headerSize(Frame aspect) {
        return Math.min(aspect.width(), aspect.height()) / 12;
    }

    private static int bodySize(Frame aspect) {
        return Math.min(aspect.width(), aspect.height()) / 17;
    }

    /** How many characters of the narration fit on a line: 84% of the width, glyphs ~0.56 em wide. */
    static int charsPerLine(AspectRatio aspect) {
        return charsPerLine(new Frame(aspect.width(), aspect.height()));
    }

    private static int charsPerLine(Frame aspect) {
        return Math.max(10, (int) (aspect.width() * 0.84 / (bodySize(aspect) * 0.56)));
    }

    private String textFilter(Frame aspect, Path header, Path body) {
        String fontFile = escape(font.orElseThrow().toAbsolutePath().toString());
        int border = bodySize(aspect) / 2;
        // expansion=none: the text files are drawn as they are. With drawtext's default expansion a theme like
        // "100% d'énergie" is a stray % (and \ an escape): ffmpeg then draws nothing at all, without failing.
        return "drawtext=fontfile=" + fontFile + ":textfile=" + escape(header.toAbsolutePath().toString())
                + ":expansion=none:fontsize=" + headerSize(aspect) + ":fontcolor=white:box=1:boxcolor=black@0.45:boxborderw=" + border
                + ":x=(w-tw)/2:y=h*0.12"
                + ",drawtext=fontfile=" + fontFile + ":textfile=" + escape(body.toAbsolutePath().toString())
                + ":expansion=none:fontsize=" + bodySize(aspect) + ":line_spacing=" + bodySize(aspect) / 3
                + ":fontcolor=white:box=1:boxcolor=black@0.5:boxborderw=" + border
                + ":x=(w-tw)/2:y=(h-th)/2";
    }

    /** Without a font: a band whose height depends on the block plus one square per bit of its index. */
    static String patternFilter(int index) {
        StringBuilder filter = new StringBuilder();
        int band = Math.floorMod(index - 1, 8);
        filter.append("drawbox=x=0:y=ih*").append(band).append("/8:w=iw:h=ih/8:color=white@0.6:t=fill");
        for (int bit = 0; bit < 6; bit++) {
            String color = (index >> bit & 1) == 1 ? "black@0.7" : "white@0.25";
            filter.append(",drawbox=x=iw*").append(bit).append("/6+8:y=ih*0.8:w=iw/6-16:h=iw/6-16:color=")
                    .append(color).append(":t=fill");
        }
        return filter.toString();
    }

    private Path writeText(String text) throws IOException {
        Path file = Files.createTempFile(workDir, "text-", ".txt");
        Files.writeString(file, text, StandardCharsets.UTF_8);
        return file;
    }

    /** Word-wraps {@code text} to lines of at most {@code width} characters (longer words are cut). */
    static String wrap(String text, int width) {
        List<String> lines = new ArrayList<>();
        StringBuilder line = new StringBuilder();
        for (String word : glueTypography(text.strip().split("\\s+"))) {
            while (word.length() > width) {
                if (!line.isEmpty()) {
                    lines.add(line.toString());
                    line.setLength(0);
                }
                lines.add(word.substring(0, width));
                word = word.substring(width);
            }
            if (word.isEmpty()) {
                continue;
            }
            if (!line.isEmpty() && line.length() + 1 + word.length() > width) {
                lines.add(line.toString());
                line.setLength(0);
            }
            if (!line.isEmpty()) {
                line.append(' ');
            }
            line.append(word);
        }
        if (!line.isEmpty()) {
            lines.add(line.toString());
        }
        return String.join("\n", lines);
    }

    /** Keeps French punctuation with its word: "parle de « X » !" never leaves "!" or "»" alone on a line. */
    private static List<String> glueTypography(String[] tokens) {
        List<String> words = new ArrayList<>();
        boolean glueNext = false;
        for (String token : tokens) {
            if (token.isEmpty()) {
                continue;
            }
            boolean closing = token.matches("[!?;:»…]+[.,]?");
            if ((closing || glueNext) && !words.isEmpty()) {
                words.set(words.size() - 1, words.get(words.size() - 1) + " " + token);
            } else {
                words.add(token);
            }
            glueNext = token.equals("«");
        }
        return words;
    }

    /** Escapes a filter option value for both levels of ffmpeg's filtergraph syntax. */
    static String escape(String value) {
        String option = value.replace("\\", "\\\\").replace("'", "\\'").replace(":", "\\:");
        return option.replace("\\", "\\\\").replace("'", "\\'").replace("[", "\\[").replace("]", "\\]")
                .replace(",", "\\,").replace(";", "\\;");
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

    @Override
    public String toString() {
        return "LocalClipRenderer[font=" + font.map(Path::toString).orElse("none") + ", failureRate="
                + String.format(Locale.ROOT, "%.2f", failureRate) + "]";
    }
}
