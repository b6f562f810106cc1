package dev.ladle.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ladle.checker.ModelRef;
import dev.ladle.checker.Progress;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The progress line: redrawn in place on a terminal, sparse plain lines elsewhere. */
class ProgressLineTest {
    private static final ModelRef MODEL = new ModelRef(
            "MCIpc",
            dev.ladle.checker.Engine.TLC,
            java.nio.file.Path.of("MCIpc.tla"),
            java.nio.file.Path.of("MCIpc.cfg"),
            null,
            false);

    @Test
    void terminalRedrawsOneLineInPlace() {
        StringWriter s = new StringWriter();
        ProgressLine p = new ProgressLine(new PrintWriter(s), true, 3);
        p.started(MODEL);
        p.progress(MODEL, new Progress(1_000, 4_000, 50, Duration.ofSeconds(2)));
        p.progress(MODEL, new Progress(2_000, 9_000, 70, Duration.ofSeconds(3)));
        String out = s.toString();
        assertFalse(out.contains("\n"), "no new lines on a terminal: " + out);
        assertTrue(out.contains("\r[1/3] MCIpc: 2,000 distinct, 3,000 states/s, queue 70, 3s"), out);
    }

    @Test
    void plainOutputGetsALineEveryTenSeconds() {
        StringWriter s = new StringWriter();
        ProgressLine p = new ProgressLine(new PrintWriter(s), false, 1);
        p.started(MODEL);
        for (int second = 1; second <= 25; second++) {
            p.progress(MODEL, new Progress(second * 100L, second * 200L, 5, Duration.ofSeconds(second)));
        }
        p.finished(MODEL, null);
        String out = s.toString();
        assertFalse(out.contains("\r"), out);
        assertEquals(2, out.lines().count(), out);
        assertTrue(out.startsWith("[1/1] MCIpc: 1,000 distinct, 200 states/s, queue 5, 10s"), out);
    }
}
