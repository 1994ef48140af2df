package com.reetik.bridge.captions;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Subtitles of an assembled video, written as WebVTT (for the browser's {@code <track>}) and SubRip (for editors and
 * players that want {@code .srt}). Made from the script's narration of each block and the block's real duration in
 * the joined file: block {@code i} spans from the sum of the durations before it to that sum plus its own, so a
 * cue never runs over a cut. A narration longer than {@link #MAX_CUE_CHARS} characters is cut at sentence, then
 * clause, then word boundaries into several cues that share the block's span in proportion to their length; each
 * cue is at most two lines of {@link #MAX_LINE_CHARS} (the usual subtitle limits). Text is kept as written (accents,
 * {@code %}, quotes); only what the format itself would read as markup is escaped.
 */
public final class Captions {

    /** One caption: from {@code startS} to {@code endS} seconds of the video. */
    public record Cue(double startS, double endS, String text) {
    }

    static final int MAX_LINE_CHARS = 42;
    static final int MAX_CUE_CHARS = 2 * MAX_LINE_CHARS;
    private static final Pattern SENTENCE_END = Pattern.compile("(?<=[.!?…])\\s+");
    private static final Pattern CLAUSE_END = Pattern.compile("(?<=[,;:])\\s+");
    private static final Pattern SPACES = Pattern.compile("\\s+");

    private final List<Cue> cues;

    private Captions(List<Cue> cues) {
        this.cues = List.copyOf(cues);
    }

    /**
     * @param narrations each block's narration, in block order (null or blank: no caption over that block)
     * @param durationsS each block's duration in the assembled video, same order and count
     */
    public static Captions of(List<String> narrations, List<Double> durationsS) {
        if (narrations.size() != durationsS.size()) {
            throw new IllegalArgumentException(narrations.size() + " narrations for " + durationsS.size() + " blocks");
        }
        List<Cue> cues = new ArrayList<>();
        double start = 0;
        for (int i = 0; i < narrations.size(); i++) {
            double duration = Math.max(0, durationsS.get(i));
            String text = narrations.get(i) == null ? "" : SPACES.matcher(narrations.get(i).strip()).replaceAll(" ");
            if (!text.isEmpty() && duration > 0) {
                List<String> parts = split(text);
                int chars = parts.stream().mapToInt(String::length).sum();
                double at = start;
                for (int p = 0; p < parts.size(); p++) {
                    double end = p == parts.size() - 1 ? start + duration
                            : at + duration * parts.get(p).length() / chars;
                    cues.add(new Cue(at, end, parts.get(p)));
                    at = end;
                }
            }
            start += duration;
        }
        return new Captions(cues);
    }

    public List<Cue> cues() {
        return cues;
    }

    public String toVtt() {
        return "WEBVTT\n\n" + write('.', text -> String.join("\n", lines(text).stream().map(Captions::escapeVtt).toList()));
    }

    public String toSrt() {
        // SubRip has no escapes: an arrow in the text would read as a timing line, a '<' as a tag.
        return write(',', text -> String.join("\n", lines(text)).replace("-->", "->").replace("<", "‹"));
    }

    /**
     * SubRip for drawing into the picture: each caption on one line, which the renderer (libass) wraps to the
     * frame's width (a vertical frame holds fewer characters than the two lines of 42 the files use); braces, which
     * it would read as style tags, become parentheses.
     */
    public String toSrtForBurning() {
        return write(',', text -> text.replace("-->", "->").replace("<", "‹").replace('{', '(').replace('}', ')')
                .replace("\\", "/"));
    }

    /** Numbered cues, a blank line after each: the part WebVTT and SubRip share. */
    private String write(char decimal, java.util.function.UnaryOperator<String> text) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < cues.size(); i++) {
            Cue cue = cues.get(i);
            out.append(i + 1).append('\n')
                    .append(timestamp(cue.startS(), decimal)).append(" --> ").append(timestamp(cue.endS(), decimal))
                    .append('\n').append(text.apply(cue.text())).append("\n\n");
        }
        return out.toString();
    }

    /** Sentences first, then clauses, then words, until every part fits in one cue. */
    static List<String> split(String text) {
        List<String> parts = new ArrayList<>();
        for (String sentence : SENTENCE_END.split(text)) {
            if (sentence.length() <= MAX_CUE_CHARS) {
                parts.add(sentence);
                continue;
            }
            for (String clause : CLAUSE_END.split(sentence)) {
                parts.addAll(clause.length() <= MAX_CUE_CHARS ? List.of(clause) : byWords(clause, MAX_CUE_CHARS));
            }
        }
        return merge(parts);
    }

    /** Short neighbours share a cue when they fit together, so a block is not a flicker of tiny captions. */
    private static List<String> merge(List<String> parts) {
        List<String> merged = new ArrayList<>();
        for (String part : parts) {
            int last = merged.size() - 1;
            if (last >= 0 && merged.get(last).length() + 1 + part.length() <= MAX_CUE_CHARS) {
                merged.set(last, merged.get(last) + " " + part);
            } else {
                merged.add(part);
            }
        }
        return merged;
    }

    /** At most two lines of {@link #MAX_LINE_CHARS}, cut at a space near the middle when one line is too long. */
    static List<String> lines(String text) {
        if (text.length() <= MAX_LINE_CHARS) {
            return List.of(text);
        }
        int middle = text.length() / 2;
        int before = text.lastIndexOf(' ', middle);
        int after = text.indexOf(' ', middle);
        int cut = before < 0 ? after : after < 0 ? before : (middle - before <= after - middle ? before : after);
        return cut < 0 ? List.of(text) : List.of(text.substring(0, cut), text.substring(cut + 1));
    }

    private static List<String> byWords(String text, int max) {
        List<String> parts = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String word : text.split(" ")) {
            if (current.length() > 0 && current.length() + 1 + word.length() > max) {
                parts.add(current.toString());
                current.setLength(0);
            }
            if (current.length() > 0) {
                current.append(' ');
            }
            current.append(word);
        }
        if (current.length() > 0) {
            parts.add(current.toString());
        }
        return parts;
    }

    private static String escapeVtt(String line) {
        return line.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    private static String timestamp(double seconds, char decimal) {
        long ms = Math.round(seconds * 1000);
        return String.format(Locale.ROOT, "%02d:%02d:%02d%c%03d", ms / 3_600_000, ms / 60_000 % 60, ms / 1000 % 60,
                decimal, ms % 1000);
    }
}
