package dev.ladle.bench;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/**
 * The one table a benchmark command ends with: a row per measure, its value, the baseline it is compared with (measured
 * in the same run) and the ratio with its target. Printed as a Markdown table whose columns fit their widest cell, so
 * it can be pasted into a note or a doc as it is.
 */
final class BenchTable {
    private static final String[] HEAD = {"measure", "value", "baseline", "ratio (target)"};
    private final String title;
    private final List<String[]> rows = new ArrayList<>();

    BenchTable(String title) {
        this.title = title;
    }

    void row(String measure, String value, String baseline, String ratio) {
        rows.add(new String[] {measure, value, baseline, ratio});
    }

    void print(PrintStream out) {
        int[] w = new int[HEAD.length];
        for (int c = 0; c < HEAD.length; c++) {
            w[c] = HEAD[c].length();
            for (String[] r : rows) {
                w[c] = Math.max(w[c], r[c].length());
            }
        }
        out.println();
        out.println(title);
        line(out, w, HEAD);
        StringBuilder rule = new StringBuilder("|");
        for (int c = 0; c < w.length; c++) {
            rule.append("-".repeat(w[c] + 2)).append('|');
        }
        out.println(rule);
        for (String[] r : rows) {
            line(out, w, r);
        }
    }

    private static void line(PrintStream out, int[] w, String[] cells) {
        StringBuilder b = new StringBuilder("|");
        for (int c = 0; c < w.length; c++) {
            b.append(' ')
                    .append(cells[c])
                    .append(" ".repeat(w[c] - cells[c].length()))
                    .append(" |");
        }
        out.println(b);
    }
}
