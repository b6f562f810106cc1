package dev.ladle.checker;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads TLC's console as TLC's {@code -tool} mode writes it: every message of TLC's is a block
 * between {@code @!@!@STARTMSG code:class @!@!@} and {@code @!@!@ENDMSG code @!@!@} (class 1 is
 * an error), and what is printed outside the blocks once the check has started is the spec's own
 * {@code Print} and {@code PrintT} output.
 */
final class TlcConsole implements Consumer<String> {
    /** Printed lines kept for the report; a spec that prints more is cut with a note. */
    static final int PRINTED_KEPT = 200;

    private static final int TAIL_KEPT = 60;
    private static final Pattern START = Pattern.compile("^@!@!@STARTMSG (\\d+):(\\d+) @!@!@$");
    private static final Pattern END = Pattern.compile("^@!@!@ENDMSG (\\d+) @!@!@$");
    /** TLC's code for "Starting... (date)": the spec has been parsed, the check begins. */
    private static final int STARTING = 2185;
    /** TLC's code for "The behavior up to this point is:", which introduces the trace, not an error. */
    private static final int BEHAVIOR_UP_TO = 2121;
    /** TLC's code for the state a liveness counterexample loops back to ("2: Back to state: ..."). */
    private static final int BACK_TO_STATE = 2122;

    private static final Pattern BACK = Pattern.compile("^(\\d+): Back to state: (.*)$");

    /** TLC's code for the positions of the nested expressions it was evaluating when it failed. */
    private static final int NESTED_EXPRESSIONS = 2103;

    private static final Pattern POSITION =
            Pattern.compile("\\d+\\. Line (\\d+), column (\\d+) to line \\d+, column \\d+ in (\\w+)");

    /** One of TLC's error messages. */
    record Message(int code, String text) {}

    private final List<String> printed = new ArrayList<>();
    private final List<Message> errors = new ArrayList<>();
    private final Deque<String> tail = new ArrayDeque<>();
    private int printedDropped;
    private Integer code;
    private int kind;
    private StringBuilder block;
    private boolean started;
    private String[] backTo;

    @Override
    public synchronized void accept(String line) {
        tail.addLast(line);
        if (tail.size() > TAIL_KEPT) {
            tail.removeFirst();
        }
        Matcher start = START.matcher(line);
        if (start.matches()) {
            code = Integer.parseInt(start.group(1));
            kind = Integer.parseInt(start.group(2));
            block = new StringBuilder();
            return;
        }
        if (code != null && END.matcher(line).matches()) {
            if (code == STARTING) {
                started = true;
            }
            // In -tool mode TLC's recorder never hears of the loop; its message block is the only place it is.
            Matcher back = BACK.matcher(block.toString().strip());
            if (code == BACK_TO_STATE && back.matches()) {
                backTo = new String[] {back.group(1), back.group(2)};
            }
            if (kind == 1 && code != BEHAVIOR_UP_TO) {
                errors.add(new Message(code, block.toString().strip()));
            }
            code = null;
            return;
        }
        if (code != null) {
            block.append(line).append('\n');
        } else if (started && errors.isEmpty() && !isJvmNoise(line)) {
            // After an error TLC re-evaluates the trace, and the spec prints again: keep the first run's.
            if (printed.size() < PRINTED_KEPT) {
                printed.add(line);
            } else {
                printedDropped++;
            }
        }
    }

    private static boolean isJvmNoise(String line) {
        return line.startsWith("\tat ")
                || line.matches("^(java|javax|jdk|sun|tlc2|util|tla2sany)\\.\\S+(Exception|Error)\\b.*");
    }

    /** The spec's Print/PrintT lines, with a last line saying how many more were cut. */
    synchronized List<String> printed() {
        List<String> out = new ArrayList<>(printed);
        if (printedDropped > 0) {
            out.add("... (" + printedDropped + " more printed lines not kept)");
        }
        return out;
    }

    /** TLC's error messages, each as TLC wrote it (lines kept). */
    synchronized List<Message> errors() {
        return List.copyOf(errors);
    }

    /** The state number a liveness counterexample loops back to and the action that closes the loop, or null. */
    synchronized String[] backTo() {
        return backTo;
    }

    /** The last lines of the console, for a crash with no message of TLC's. */
    synchronized List<String> tail() {
        return List.copyOf(tail);
    }

    /**
     * TLC's error text: its messages in order, lines kept, except that the list of nested expressions TLC was
     * evaluating comes after the others (what went wrong comes first), and the innermost of them leads as
     * {@code Module.tla:line:column}.
     */
    synchronized String errorText() {
        StringBuilder b = new StringBuilder();
        StringBuilder nested = new StringBuilder();
        String innermost = null;
        for (Message m : errors) {
            if (m.code() == NESTED_EXPRESSIONS) {
                Matcher p = POSITION.matcher(m.text());
                while (p.find()) {
                    innermost = p.group(3) + ".tla:" + p.group(1) + ":" + p.group(2);
                }
                nested.append(nested.length() == 0 ? "" : "\n").append(m.text());
            } else {
                b.append(b.length() == 0 ? "" : "\n").append(m.text());
            }
        }
        // what went wrong first (its first line is what a one-line summary shows), then where TLC was evaluating
        if (nested.length() > 0) {
            b.append(b.length() == 0 ? "" : "\n").append(nested);
        }
        return innermost == null ? b.toString() : innermost + ": " + b;
    }
}
