package dev.ladle.cli;

import dev.ladle.checker.CheckListener;
import dev.ladle.checker.ModelRef;
import dev.ladle.checker.ModelResult;
import dev.ladle.checker.Progress;
import java.io.PrintWriter;
import java.util.Locale;

/**
 * The live progress line of {@code ladle check}: redrawn in place on a terminal, and on other
 * outputs (CI logs, pipes) a plain line every {@link #PLAIN_EVERY_SECONDS} seconds so that logs
 * stay short.
 */
final class ProgressLine implements CheckListener {
    static final long PLAIN_EVERY_SECONDS = 10;

    private final PrintWriter out;
    private final boolean terminal;
    private final int total;
    private int index;
    private long lastPlain;
    private int drawn;

    ProgressLine(PrintWriter out, boolean terminal, int total) {
        this.out = out;
        this.terminal = terminal;
        this.total = total;
    }

    @Override
    public synchronized void started(ModelRef model) {
        index++;
        lastPlain = 0;
        if (terminal) {
            draw("[" + index + "/" + total + "] " + model.name() + " ("
                    + model.engine().id() + ")...");
        }
    }

    @Override
    public synchronized void progress(ModelRef model, Progress p) {
        String line = String.format(
                Locale.ROOT,
                "[%d/%d] %s: %,d distinct, %,d states/s, queue %,d, %ds",
                index,
                total,
                model.name(),
                p.distinct(),
                p.statesPerSecond(),
                p.queue(),
                p.elapsed().toSeconds());
        if (terminal) {
            draw(line);
        } else if (p.elapsed().toSeconds() >= lastPlain + PLAIN_EVERY_SECONDS) {
            lastPlain = p.elapsed().toSeconds();
            out.println(line);
            out.flush();
        }
    }

    @Override
    public synchronized void finished(ModelRef model, ModelResult result) {
        if (terminal) {
            draw("");
        }
    }

    @Override
    public synchronized void message(String line) {
        if (terminal) {
            draw("");
        }
        out.println(line);
        out.flush();
    }

    private void draw(String line) {
        // Pad over the previous line's leftovers instead of relying on ANSI erase codes.
        String shown = line.length() > 150 ? line.substring(0, 150) : line;
        out.print("\r" + shown + " ".repeat(Math.max(0, drawn - shown.length())) + (shown.isEmpty() ? "\r" : ""));
        out.flush();
        drawn = shown.length();
    }
}
