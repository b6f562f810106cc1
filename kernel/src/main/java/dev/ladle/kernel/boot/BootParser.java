package dev.ladle.kernel.boot;

import dev.ladle.kernel.boot.BootDescription.CapDecl;
import dev.ladle.kernel.boot.BootDescription.FaultPolicy;
import dev.ladle.kernel.boot.BootDescription.Limits;
import dev.ladle.kernel.boot.BootDescription.Pos;
import dev.ladle.kernel.boot.BootDescription.ProcessDecl;
import dev.ladle.kernel.boot.BootDescription.ThreadDecl;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Parses a boot description. One declaration per line, words separated by blanks, {@code #} to the end of the
 * line is a comment:
 *
 * <pre>
 * limits [threads N] [localids N] [pages N] [frames N] [vector N] [base N]
 * process NAME image FILE [stack N] [heap N]
 * thread NAME in PROCESS [entry SYMBOL|ADDRESS] [pager LOCALID] [faults pager|kill] [confined] [checkpointer]
 * cap THREAD LOCALID -&gt; THREAD RIGHT...        (RIGHT: send, grant)
 * </pre>
 *
 * Numbers are decimal or {@code 0x} hexadecimal. {@code limits} sets the spec's constants (defaults in
 * {@link Limits#DEFAULT}; {@code threads} defaults to the number of threads declared). Every error is a
 * {@link BootError} naming the file, line and column; the first one stops the parse.
 */
public final class BootParser {
    private final String file;
    private final String text;

    private BootParser(String file, String text) {
        this.file = file;
        this.text = text;
    }

    public static BootDescription parse(String file, String text) throws BootError {
        return new BootParser(file, text).parse();
    }

    private record Word(String text, int column) {}

    private final class Line {
        final int number;
        final List<Word> words;
        int next = 1;

        Line(int number, List<Word> words) {
            this.number = number;
            this.words = words;
        }

        Pos pos() {
            return new Pos(number, words.get(0).column());
        }

        boolean more() {
            return next < words.size();
        }

        Word peek() {
            return words.get(next);
        }

        /** Where the next word starts, or just past the last one when the line has no more. */
        Pos nextPos() {
            if (more()) {
                return new Pos(number, peek().column());
            }
            Word last = words.get(words.size() - 1);
            return new Pos(number, last.column() + last.text().length());
        }

        Word take(String what) throws BootError {
            if (!more()) {
                Word last = words.get(words.size() - 1);
                throw error(
                        number,
                        last.column() + last.text().length(),
                        "expected " + what + " after '" + last.text() + "'");
            }
            return words.get(next++);
        }

        String name(String what) throws BootError {
            Word w = take(what);
            if (!w.text().matches("[A-Za-z_][A-Za-z0-9_.-]*")) {
                throw error(number, w.column(), "'" + w.text() + "' is not a valid " + what);
            }
            return w.text();
        }

        int number(String what, int min, int max) throws BootError {
            Word w = take(what);
            long v;
            try {
                v = w.text().startsWith("0x") || w.text().startsWith("0X")
                        ? Long.parseLong(w.text().substring(2), 16)
                        : Long.parseLong(w.text());
            } catch (NumberFormatException e) {
                throw error(number, w.column(), what + ": '" + w.text() + "' is not a number");
            }
            if (v < min || v > max) {
                throw error(number, w.column(), what + " " + v + " is out of range " + min + ".." + max);
            }
            return (int) v;
        }

        /**
         * A local id: 1 or more (0 names no capability: the ABI's result and "no pager"), at most the table's size,
         * which the checks after parsing compare against (limits may come later in the file).
         */
        int localId(String what) throws BootError {
            int column = more() ? peek().column() : 0;
            int v = number(what, 0, 1 << 24);
            if (v == 0) {
                throw error(
                        number,
                        column,
                        what + " 0 names no capability: local ids start at 1 (and end at N with limits localids N)");
            }
            return v;
        }

        void keyword(String expected) throws BootError {
            Word w = take("'" + expected + "'");
            if (!w.text().equals(expected)) {
                throw error(number, w.column(), "expected '" + expected + "', found '" + w.text() + "'");
            }
        }
    }

    private BootError error(int line, int column, String reason) {
        return new BootError(file, line, column, reason);
    }

    private BootDescription parse() throws BootError {
        Limits limits = null;
        Pos limitsPos = null;
        List<ProcessDecl> processes = new ArrayList<>();
        List<ThreadDecl> threads = new ArrayList<>();
        List<CapDecl> caps = new ArrayList<>();
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            Line line = new Line(i + 1, words(lines[i]));
            if (line.words.isEmpty()) {
                continue;
            }
            Word head = line.words.get(0);
            switch (head.text()) {
                case "limits" -> {
                    if (limits != null) {
                        throw error(
                                line.number,
                                head.column(),
                                "a second 'limits' line (the first is at line " + limitsPos.line() + ")");
                    }
                    limits = limits(line);
                    limitsPos = line.pos();
                }
                case "process" -> processes.add(process(line));
                case "thread" -> threads.add(thread(line));
                case "cap" -> caps.add(cap(line));
                default ->
                    throw error(
                            line.number,
                            head.column(),
                            "unknown declaration '" + head.text() + "' (expected limits, process, thread or cap)");
            }
        }
        if (limits == null) {
            limits = Limits.DEFAULT;
        }
        return check(new BootDescription(file, limits, processes, threads, caps), limitsPos);
    }

    private static List<Word> words(String line) {
        int hash = line.indexOf('#');
        String s = hash >= 0 ? line.substring(0, hash) : line;
        List<Word> out = new ArrayList<>();
        int i = 0;
        while (i < s.length()) {
            if (Character.isWhitespace(s.charAt(i))) {
                i++;
                continue;
            }
            int start = i;
            while (i < s.length() && !Character.isWhitespace(s.charAt(i))) {
                i++;
            }
            out.add(new Word(s.substring(start, i), start + 1));
        }
        return out;
    }

    private Limits limits(Line line) throws BootError {
        Limits d = Limits.DEFAULT;
        int threads = d.threads();
        int localIds = d.localIds();
        int pages = d.pages();
        int frames = d.frames();
        int vector = d.vector();
        int base = d.base();
        Set<String> seen = new HashSet<>();
        while (line.more()) {
            Word key = line.take("a limit");
            if (!seen.add(key.text())) {
                throw error(line.number, key.column(), "limit '" + key.text() + "' given twice");
            }
            switch (key.text()) {
                case "threads" -> threads = line.number("threads", 1, 4096);
                case "localids" -> localIds = line.number("localids", 1, 4096);
                case "pages" -> pages = line.number("pages", 1, 65536);
                case "frames" -> frames = line.number("frames", 1, 1 << 20);
                case "vector" -> vector = line.number("vector", 1, 4096);
                case "base" -> base = line.number("base", 1, (1 << 20) - 1);
                default ->
                    throw error(
                            line.number,
                            key.column(),
                            "unknown limit '" + key.text()
                                    + "' (expected threads, localids, pages, frames, vector, base)");
            }
        }
        if ((long) base + pages > 1 << 20) {
            throw error(line.number, line.words.get(0).column(), "the page window base + pages runs past 4 GiB");
        }
        return new Limits(threads, localIds, pages, frames, vector, base);
    }

    private ProcessDecl process(Line line) throws BootError {
        Pos pos = line.pos();
        String name = line.name("process name");
        line.keyword("image");
        Word image = line.take("an image name");
        int stack = 1;
        int heap = 0;
        Pos stackPos = pos;
        Pos heapPos = pos;
        Set<String> seen = new HashSet<>();
        while (line.more()) {
            Word key = line.take("an option");
            if (!seen.add(key.text())) {
                throw error(line.number, key.column(), "option '" + key.text() + "' given twice");
            }
            switch (key.text()) {
                case "stack" -> {
                    stackPos = new Pos(line.number, line.more() ? line.peek().column() : key.column());
                    stack = line.number("stack pages", 0, 65536);
                }
                case "heap" -> {
                    heapPos = new Pos(line.number, line.more() ? line.peek().column() : key.column());
                    heap = line.number("heap pages", 0, 65536);
                }
                default ->
                    throw error(
                            line.number,
                            key.column(),
                            "unknown process option '" + key.text() + "' (expected stack, heap)");
            }
        }
        return new ProcessDecl(
                name, image.text(), stack, heap, pos, new Pos(line.number, image.column()), stackPos, heapPos);
    }

    private ThreadDecl thread(Line line) throws BootError {
        Pos pos = line.pos();
        String name = line.name("thread name");
        line.keyword("in");
        Pos processPos = line.nextPos();
        String process = line.name("process name");
        int pager = 0;
        Pos pagerPos = null;
        FaultPolicy faults = null;
        boolean confined = false;
        String entry = null;
        Pos entryPos = null;
        Pos checkpointerPos = null;
        Set<String> seen = new HashSet<>();
        while (line.more()) {
            Word key = line.take("an option");
            if (!seen.add(key.text())) {
                throw error(line.number, key.column(), "option '" + key.text() + "' given twice");
            }
            switch (key.text()) {
                case "pager" -> {
                    pagerPos = new Pos(line.number, line.more() ? line.peek().column() : key.column());
                    pager = line.localId("pager local id");
                }
                case "faults" -> {
                    Word policy = line.take("'pager' or 'kill'");
                    faults = switch (policy.text()) {
                        case "pager" -> FaultPolicy.PAGER;
                        case "kill" -> FaultPolicy.KILL;
                        default ->
                            throw error(
                                    line.number,
                                    policy.column(),
                                    "unknown fault policy '" + policy.text() + "' (expected pager or kill)");
                    };
                }
                case "confined" -> confined = true;
                case "checkpointer" -> checkpointerPos = new Pos(line.number, key.column());
                case "entry" -> {
                    Word at = line.take("a symbol or an address");
                    if (!at.text().matches("[A-Za-z_.][A-Za-z0-9_.$]*|0[xX][0-9a-fA-F]{1,8}|[0-9]{1,10}")
                            || (Character.isDigit(at.text().charAt(0)) && parseAddress(at.text()) > 0xFFFF_FFFFL)) {
                        throw error(
                                line.number,
                                at.column(),
                                "entry: '" + at.text() + "' is neither a symbol nor a 32-bit address");
                    }
                    entry = at.text();
                    entryPos = new Pos(line.number, at.column());
                }
                default ->
                    throw error(
                            line.number,
                            key.column(),
                            "unknown thread option '" + key.text()
                                    + "' (expected entry, pager, faults, confined, checkpointer)");
            }
        }
        if (faults == null) {
            faults = pager != 0 ? FaultPolicy.PAGER : FaultPolicy.KILL;
        }
        if (faults == FaultPolicy.PAGER && pager == 0) {
            throw error(pos.line(), pos.column(), "thread " + name + ": 'faults pager' needs a 'pager LOCALID'");
        }
        return new ThreadDecl(
                name, process, pager, faults, confined, pos, pagerPos, entry, entryPos, checkpointerPos, processPos);
    }

    /** A decimal or {@code 0x} hexadecimal address as the parser accepted it. */
    public static long parseAddress(String text) {
        return text.startsWith("0x") || text.startsWith("0X")
                ? Long.parseLong(text.substring(2), 16)
                : Long.parseLong(text);
    }

    private CapDecl cap(Line line) throws BootError {
        Pos pos = line.pos();
        Pos threadPos = line.nextPos();
        String thread = line.name("thread name");
        Pos localIdPos = line.nextPos();
        int localId = line.localId("local id");
        line.keyword("->");
        Pos targetPos = line.nextPos();
        String target = line.name("thread name");
        int rights = 0;
        if (!line.more()) {
            line.take("a right (send, grant)");
        }
        while (line.more()) {
            Word r = line.take("a right");
            int bit = switch (r.text()) {
                case "send" -> 1;
                case "grant" -> 2;
                default ->
                    throw error(line.number, r.column(), "unknown right '" + r.text() + "' (expected send, grant)");
            };
            if ((rights & bit) != 0) {
                throw error(line.number, r.column(), "right '" + r.text() + "' given twice");
            }
            rights |= bit;
        }
        return new CapDecl(thread, localId, target, rights, pos, threadPos, localIdPos, targetPos);
    }

    /** The checks that need the whole file: names resolve, slots fit the limits, every process has a thread. */
    private BootDescription check(BootDescription b, Pos limitsPos) throws BootError {
        Limits limits = b.limits();
        Map<String, ProcessDecl> processes = new HashMap<>();
        for (ProcessDecl p : b.processes()) {
            ProcessDecl before = processes.putIfAbsent(p.name(), p);
            if (before != null) {
                throw error(
                        p.pos().line(),
                        p.pos().column(),
                        "process " + p.name() + " is declared twice (first at line "
                                + before.pos().line() + ")");
            }
        }
        Map<String, ThreadDecl> threads = new HashMap<>();
        Map<String, ThreadDecl> threadOfProcess = new HashMap<>();
        ThreadDecl checkpointer = null;
        for (ThreadDecl t : b.threads()) {
            if (t.checkpointer()) {
                if (checkpointer != null) {
                    throw error(
                            t.checkpointerPos().line(),
                            t.checkpointerPos().column(),
                            "thread " + t.name() + ": a second checkpointer (thread " + checkpointer.name()
                                    + " at line " + checkpointer.pos().line() + " is one; a system has at most one)");
                }
                checkpointer = t;
            }
            ThreadDecl before = threads.putIfAbsent(t.name(), t);
            if (before != null) {
                throw error(
                        t.pos().line(),
                        t.pos().column(),
                        "thread " + t.name() + " is declared twice (first at line "
                                + before.pos().line() + ")");
            }
            if (!processes.containsKey(t.process())) {
                throw error(
                        t.processPos().line(),
                        t.processPos().column(),
                        "thread " + t.name() + ": no process named " + t.process());
            }
            threadOfProcess.putIfAbsent(t.process(), t);
        }
        for (ProcessDecl p : b.processes()) {
            if (!threadOfProcess.containsKey(p.name())) {
                throw error(p.pos().line(), p.pos().column(), "process " + p.name() + " has no thread");
            }
        }
        if (b.threads().isEmpty()) {
            throw error(1, 1, "no thread is declared: nothing would run");
        }
        int nThreads = limits.threads() == 0 ? b.threads().size() : limits.threads();
        if (nThreads < b.threads().size()) {
            throw error(
                    limitsPos.line(),
                    limitsPos.column(),
                    "limits threads " + nThreads + " but " + b.threads().size() + " threads are declared");
        }
        Map<String, CapDecl> slots = new HashMap<>();
        for (CapDecl c : b.caps()) {
            if (!threads.containsKey(c.thread())) {
                throw error(c.threadPos().line(), c.threadPos().column(), "cap: no thread named " + c.thread());
            }
            if (!threads.containsKey(c.target())) {
                throw error(c.targetPos().line(), c.targetPos().column(), "cap: no thread named " + c.target());
            }
            if (c.localId() > limits.localIds()) {
                throw error(
                        c.localIdPos().line(),
                        c.localIdPos().column(),
                        "cap: local id " + c.localId() + " is outside the table (limits localids " + limits.localIds()
                                + ")");
            }
            // the checkpointer's pages come and go while the system runs (snapshot frames, never logged): no capability
            // may map a page into it or let it map one on, or a replayed step could land elsewhere than it did
            if (checkpointer != null
                    && (c.thread().equals(checkpointer.name()) || c.target().equals(checkpointer.name()))) {
                Pos at = c.thread().equals(checkpointer.name()) ? c.threadPos() : c.targetPos();
                throw error(
                        at.line(),
                        at.column(),
                        "cap: thread " + checkpointer.name()
                                + " is the checkpointer: it holds no capability and none names it");
            }
            CapDecl before = slots.putIfAbsent(c.thread() + "/" + c.localId(), c);
            if (before != null) {
                throw error(
                        c.localIdPos().line(),
                        c.localIdPos().column(),
                        "cap: " + c.thread() + "'s local id " + c.localId() + " is already filled at line "
                                + before.pos().line());
            }
        }
        for (ThreadDecl t : b.threads()) {
            if (t.pager() == 0) {
                continue;
            }
            CapDecl c = slots.get(t.name() + "/" + t.pager());
            if (c == null) {
                throw error(
                        t.pagerPos().line(),
                        t.pagerPos().column(),
                        "thread " + t.name() + ": pager local id " + t.pager() + " names no capability in its table");
            }
            if ((c.rights() & 1) == 0) {
                throw error(
                        t.pagerPos().line(),
                        t.pagerPos().column(),
                        "thread " + t.name() + ": pager local id " + t.pager()
                                + " lacks the send right (fault messages could not be sent)");
            }
        }
        Limits resolved = new Limits(
                nThreads, limits.localIds(), limits.pages(), limits.frames(), limits.vector(), limits.base());
        return new BootDescription(b.file(), resolved, b.processes(), b.threads(), b.caps());
    }
}
