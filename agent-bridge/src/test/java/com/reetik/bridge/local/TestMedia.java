package com.reetik.bridge.local;

import com.reetik.bridge.agent.ClipRequest;
import com.reetik.contracts.event.ScriptBlock;
import com.reetik.contracts.status.VideoRequest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** Shared test helpers: one bundled ffmpeg for all tests, frame grabs and byte searches. */
final class TestMedia {

    /** Extracted once per build under target/, reused by every test class. */
    static final Ffmpeg FFMPEG = new Ffmpeg(Optional.empty(), Path.of("target", "ffmpeg-cache").toAbsolutePath());

    static final int FRAME_W = 90;
    static final int FRAME_H = 160;

    private TestMedia() {
    }

    static VideoRequest request(int seconds, String language, String aspect) {
        return new VideoRequest("Les volcans d'Islande", seconds, "informative", language, aspect);
    }

    static ClipRequest clipRequest(String videoId, int index, int total, String narration, VideoRequest request) {
        return new ClipRequest(videoId, null, total, new ScriptBlock(index, "prompt " + index, narration, 4), 1, request);
    }

    /** One grey frame at {@code atS} seconds, scaled to 90x160, one byte per pixel. */
    /** The sound of a media file as 16-bit mono samples at 48 kHz. */
    static short[] monoPcm(Path media) throws IOException {
        byte[] raw = FFMPEG.runForOutput(List.of("-loglevel", "error", "-i", media.toString(), "-vn", "-ac", "1",
                "-ar", "48000", "-f", "s16le", "-"), Duration.ofSeconds(60));
        short[] samples = new short[raw.length / 2];
        java.nio.ByteBuffer.wrap(raw).order(java.nio.ByteOrder.LITTLE_ENDIAN).asShortBuffer().get(samples);
        return samples;
    }

    /** The root mean square of the samples from {@code fromS} to {@code toS} seconds. */
    static double rms(short[] samples, double fromS, double toS) {
        int from = Math.max(0, (int) Math.round(fromS * 48_000));
        int to = Math.min(samples.length, (int) Math.round(toS * 48_000));
        double sum = 0;
        for (int i = from; i < to; i++) {
            sum += (double) samples[i] * samples[i];
        }
        return Math.sqrt(sum / Math.max(1, to - from));
    }

    static byte[] grayFrame(Path clip, double atS) throws IOException {
        byte[] frame = FFMPEG.runForOutput(List.of("-loglevel", "error", "-ss", Double.toString(atS),
                "-i", clip.toString(), "-frames:v", "1", "-f", "rawvideo", "-pix_fmt", "gray",
                "-s", FRAME_W + "x" + FRAME_H, "-"), Duration.ofSeconds(30));
        if (frame.length != FRAME_W * FRAME_H) {
            throw new IOException("expected " + FRAME_W * FRAME_H + " bytes, got " + frame.length);
        }
        return frame;
    }

    /** One frame at {@code atS} seconds, scaled to FRAME_W x FRAME_H, as rgb24 bytes (row by row). */
    static byte[] rgbFrame(Path clip, double atS) throws IOException {
        byte[] frame = FFMPEG.runForOutput(List.of("-loglevel", "error", "-ss", Double.toString(atS),
                "-i", clip.toString(), "-frames:v", "1", "-f", "rawvideo", "-pix_fmt", "rgb24",
                "-s", FRAME_W + "x" + FRAME_H, "-"), Duration.ofSeconds(30));
        if (frame.length != FRAME_W * FRAME_H * 3) {
            throw new IOException("expected " + FRAME_W * FRAME_H * 3 + " bytes, got " + frame.length);
        }
        return frame;
    }

    /** The red, green and blue (0-255) of the pixel at x, y of an {@link #rgbFrame}. */
    static int[] pixel(byte[] rgbFrame, int x, int y) {
        int at = (y * FRAME_W + x) * 3;
        return new int[] {rgbFrame[at] & 0xff, rgbFrame[at + 1] & 0xff, rgbFrame[at + 2] & 0xff};
    }

    /** The share of red, green and blue in one frame at {@code atS} seconds (each 0 to 1, summing to 1): its hue. */
    static double[] colorShares(Path clip, double atS) throws IOException {
        byte[] frame = FFMPEG.runForOutput(List.of("-loglevel", "error", "-ss", Double.toString(atS),
                "-i", clip.toString(), "-frames:v", "1", "-f", "rawvideo", "-pix_fmt", "rgb24",
                "-s", FRAME_W + "x" + FRAME_H, "-"), Duration.ofSeconds(30));
        double[] sums = new double[3];
        for (int i = 0; i + 2 < frame.length; i += 3) {
            for (int c = 0; c < 3; c++) {
                sums[c] += frame[i + c] & 0xff;
            }
        }
        double total = sums[0] + sums[1] + sums[2];
        return new double[] {sums[0] / total, sums[1] / total, sums[2] / total};
    }

    /** The largest difference between two frames' color shares. */
    static double hueDistance(double[] a, double[] b) {
        return Math.max(Math.abs(a[0] - b[0]), Math.max(Math.abs(a[1] - b[1]), Math.abs(a[2] - b[2])));
    }

    /** Mean absolute difference of two grey frames, 0 (same) to 255. */
    static double meanAbsoluteDifference(byte[] a, byte[] b) {
        long sum = 0;
        for (int i = 0; i < a.length; i++) {
            sum += Math.abs((a[i] & 0xff) - (b[i] & 0xff));
        }
        return (double) sum / a.length;
    }

    /** Mean brightness of rows [from, to) of a 90-wide grey frame. */
    static double meanOfRows(byte[] frame, int from, int to) {
        long sum = 0;
        for (int i = from * FRAME_W; i < to * FRAME_W; i++) {
            sum += frame[i] & 0xff;
        }
        return (double) sum / ((to - from) * FRAME_W);
    }

    /** The offset of the first top-level MP4 box of type {@code type}, or -1. */
    static long topLevelBoxOffset(Path mp4, String type) throws IOException {
        byte[] bytes = Files.readAllBytes(mp4);
        long offset = 0;
        while (offset + 8 <= bytes.length) {
            int o = (int) offset;
            long size = ((long) (bytes[o] & 0xff) << 24) | ((bytes[o + 1] & 0xff) << 16)
                    | ((bytes[o + 2] & 0xff) << 8) | (bytes[o + 3] & 0xff);
            String boxType = new String(bytes, o + 4, 4, java.nio.charset.StandardCharsets.ISO_8859_1);
            if (boxType.equals(type)) {
                return offset;
            }
            if (size == 1 && o + 16 <= bytes.length) {
                size = 0;
                for (int k = 8; k < 16; k++) {
                    size = (size << 8) | (bytes[o + k] & 0xff);
                }
            } else if (size == 0) {
                size = bytes.length - offset;
            }
            if (size < 8) {
                return -1;
            }
            offset += size;
        }
        return -1;
    }
}
