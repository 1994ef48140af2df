package com.reetik.standalone;

import java.io.PrintStream;
import java.util.Locale;

/**
 * A one-line progress bar on a terminal ({@code [██████░░░░]  60 %  Génération vidéos (5/9 blocs)}), or
 * one line per step when the output is not a terminal (CI logs, pipes).
 */
final class ProgressBar {

    private static final int WIDTH = 30;

    private final PrintStream out;
    private final boolean terminal;
    private String lastStep;
    private boolean drawn;

    ProgressBar(PrintStream out, boolean terminal) {
        this.out = out;
        this.terminal = terminal;
    }

    void note(String text) {
        finish();
        out.println(text);
    }

    void show(int percent, String step) {
        int clamped = Math.max(0, Math.min(100, percent));
        String line = render(clamped, step);
        if (terminal) {
            out.print("\r" + line + "\033[K");
            out.flush();
            drawn = true;
        } else if (!step.equals(lastStep)) {
            out.println(line);
        }
        lastStep = step;
    }

    static String render(int percent, String step) {
        int filled = percent * WIDTH / 100;
        return "[" + "█".repeat(filled) + "░".repeat(WIDTH - filled) + "] "
                + String.format(Locale.ROOT, "%3d %%", percent) + "  " + step;
    }

    void finish() {
        if (drawn) {
            out.println();
            drawn = false;
        }
    }
}
