package dev.ladle.checker;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Timer;
import java.util.TimerTask;
import tla2sany.semantic.OpDeclNode;
import tlc2.TLC;
import tlc2.TLCGlobals;
import tlc2.output.EC;
import tlc2.output.MP;
import tlc2.output.MPRecorder;
import tlc2.tool.AbstractChecker;
import tlc2.tool.ModelChecker;
import tlc2.tool.TLCState;
import tlc2.tool.TLCStateInfo;
import tlc2.value.IValue;
import util.ToolIO;

/**
 * Main class of the child JVM that runs one TLC model check (see {@link TlcRunner}).
 *
 * <p>TLC keeps static globals and calls {@code System.exit} in many places, so it gets a JVM of
 * its own. This class hooks TLC's message recorder ({@link MP#setRecorder}) and streams what the
 * parent needs as one JSON object per line on the real standard output; TLC's own console text
 * is moved to standard error, where the parent keeps its tail for error reports.
 *
 * <p>Events ({@code "e"} field): {@code progress} (distinct, total, queue, every second),
 * {@code stats} (generated, distinct, left), {@code depth}, {@code violated} (kind, name),
 * {@code state} (number, action, location, vars, stuttering), {@code back} (loop target of a
 * liveness counterexample), {@code error} (code, text), {@code exit} (TLC's return code and
 * exit status).
 */
public final class TlcChild {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** First argument that makes the child run TLC's distributed server instead of TLC. */
    static final String SERVER = "--server";
    /** First argument that makes the child run a distributed TLC worker. */
    static final String WORKER = "--worker";

    private static PrintStream events;
    private static volatile boolean statsSeen;

    private TlcChild() {}

    /** Arguments are TLC's own command line ({@code -workers}, {@code -metadir}, ..., the spec). */
    public static void main(String[] args) {
        events = new PrintStream(new FileOutputStream(FileDescriptor.out), true, StandardCharsets.UTF_8);
        System.setOut(System.err);
        ToolIO.out = System.err;
        ToolIO.err = System.err;
        MP.setRecorder(new Recorder());
        if (args.length > 0 && (args[0].equals(SERVER) || args[0].equals(WORKER))) {
            runDistributed(args);
            return;
        }

        Timer progress = new Timer("ladle-progress", true);
        progress.scheduleAtFixedRate(
                new TimerTask() {
                    @Override
                    public void run() {
                        emitProgress();
                    }
                },
                1000,
                1000);

        int ec;
        try {
            TLC tlc = new TLC();
            if (!tlc.handleParameters(args)) {
                emit(event("error").put("code", EC.GENERAL).put("text", "TLC rejected its arguments"));
                ec = EC.GENERAL;
            } else {
                ec = tlc.process();
            }
        } catch (OutOfMemoryError e) {
            emit(event("error").put("code", EC.SYSTEM_OUT_OF_MEMORY).put("text", "TLC ran out of memory"));
            ec = EC.SYSTEM_OUT_OF_MEMORY;
        } catch (Throwable e) {
            emit(event("error").put("code", EC.GENERAL).put("text", "TLC failed: " + e));
            ec = EC.GENERAL;
        }
        progress.cancel();
        emit(event("exit").put("ec", ec).put("status", EC.ExitStatus.errorConstantToExitStatus(ec)));
        events.flush();
        // TLC leaves a non-daemon RMI thread behind; without an explicit exit the JVM stays up.
        System.exit(0);
    }

    /**
     * TLC's server and worker end with {@code System.exit}; the server's last word is a {@code
     * halt} event from a shutdown hook, saying whether TLC got as far as its final statistics.
     */
    private static void runDistributed(String[] args) {
        String[] rest = java.util.Arrays.copyOfRange(args, 1, args.length);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            emit(event("halt").put("stats", statsSeen));
            events.flush();
        }));
        try {
            if (args[0].equals(SERVER)) {
                tlc2.tool.distributed.TLCServer.main(rest);
            } else {
                tlc2.tool.distributed.TLCWorker.main(rest);
            }
        } catch (Throwable e) {
            emit(event("error").put("code", EC.GENERAL).put("text", "TLC failed: " + e));
            System.exit(1);
        }
    }

    private static void emitProgress() {
        AbstractChecker checker = TLCGlobals.mainChecker;
        if (checker == null) {
            return;
        }
        ObjectNode n = event("progress")
                .put("distinct", checker.getDistinctStatesGenerated())
                .put("queue", checker.getStateQueueSize());
        if (checker instanceof ModelChecker mc) {
            n.put("total", mc.getStatesGenerated());
        }
        emit(n);
    }

    static ObjectNode event(String kind) {
        return JSON.createObjectNode().put("e", kind);
    }

    private static void emitStats(ObjectNode node) {
        statsSeen = true;
        emit(node);
    }

    static synchronized void emit(ObjectNode node) {
        events.println(node.toString());
    }

    /** Turns TLC's messages into events; TLC calls it from its worker threads. */
    private static final class Recorder extends MPRecorder {
        @Override
        public void record(int code, Object... objects) {
            try {
                recordEvent(code, objects);
            } catch (RuntimeException e) {
                emit(event("error")
                        .put("code", EC.GENERAL)
                        .put("text", "cannot record TLC message " + code + ": " + e));
            }
        }

        private static void recordEvent(int code, Object... objects) {
            switch (code) {
                case EC.TLC_STATS ->
                    emitStats(event("stats")
                            .put("generated", Long.parseLong(str(objects, 0)))
                            .put("distinct", Long.parseLong(str(objects, 1)))
                            .put("left", Long.parseLong(str(objects, 2))));
                case EC.TLC_SEARCH_DEPTH -> emit(event("depth").put("depth", Integer.parseInt(str(objects, 0))));
                case EC.TLC_INVARIANT_VIOLATED_BEHAVIOR ->
                    emit(event("violated").put("kind", "invariant").put("name", str(objects, 0)));
                // No trace follows a violation in an initial state: TLC puts the state in the message.
                case EC.TLC_INVARIANT_VIOLATED_INITIAL ->
                    emit(event("violated")
                            .put("kind", "invariant")
                            .put("name", str(objects, 0))
                            .put("initialState", str(objects, 1)));
                case EC.TLC_INVARIANT_VIOLATED_LEVEL ->
                    emit(event("violated").put("kind", "invariant").put("name", str(objects, 0)));
                case EC.TLC_PROPERTY_VIOLATED_INITIAL ->
                    emit(event("violated").put("kind", "property").put("name", str(objects, 0)));
                // An action property ([][A]_v) is checked on every step, and TLC names it.
                case EC.TLC_ACTION_PROPERTY_VIOLATED_BEHAVIOR ->
                    emit(event("violated").put("kind", "property").put("name", str(objects, 0)));
                case EC.TLC_TEMPORAL_PROPERTY_VIOLATED ->
                    emit(event("violated").put("kind", "property").put("name", ""));
                case EC.TLC_DEADLOCK_REACHED ->
                    emit(event("violated").put("kind", "deadlock").put("name", ""));
                // Coverage (with -coverage): location, distinct states found, states generated.
                case EC.TLC_COVERAGE_NEXT, EC.TLC_COVERAGE_INIT ->
                    emit(event("coverage")
                            .put("action", str(objects, 0))
                            .put("init", code == EC.TLC_COVERAGE_INIT)
                            .put("distinct", Long.parseLong(str(objects, 1)))
                            .put("generated", Long.parseLong(str(objects, 2))));
                case EC.TLC_STATE_PRINT1, EC.TLC_STATE_PRINT2 ->
                    emitState((TLCStateInfo) objects[0], (Integer) objects[1], false);
                case EC.TLC_STATE_PRINT3 -> emitState((TLCStateInfo) objects[0], (Integer) objects[1], true);
                case EC.TLC_BACK_TO_STATE -> emitBack(objects);
                case EC.SYSTEM_OUT_OF_MEMORY, EC.SYSTEM_OUT_OF_MEMORY_TOO_MANY_INIT, EC.SYSTEM_OUT_OF_MEMORY_LIVENESS ->
                    emit(event("error").put("code", code).put("text", "TLC ran out of memory"));
                case EC.TLC_VALUE_ASSERT_FAILED ->
                    emit(event("violated").put("kind", "assert").put("name", str(objects, 0)));
                default -> {
                    // The other messages are progress chatter or errors whose text TLC also prints to
                    // standard error, where the parent reads it.
                }
            }
        }

        /**
         * The loop of a liveness counterexample. Plain TLC passes the state number and the action
         * as text; in -tool mode it passes the state's info and its number: take both shapes.
         */
        private static void emitBack(Object[] objects) {
            String to = "";
            String info = "";
            // In -tool mode the number and the action come as one String[] among the objects.
            List<Object> flat = new ArrayList<>();
            for (Object o : objects) {
                if (o instanceof Object[] inner) {
                    flat.addAll(Arrays.asList(inner));
                } else {
                    flat.add(o);
                }
            }
            for (Object o : flat) {
                if (o instanceof TLCStateInfo si) {
                    info = si.info == null ? "" : si.info.toString();
                } else if (o != null && o.toString().strip().matches("\\d+")) {
                    to = o.toString().strip();
                } else if (o != null && info.isEmpty()) {
                    info = o.toString();
                }
            }
            emit(event("back").put("to", to).put("info", info));
        }

        private static String str(Object[] objects, int i) {
            return objects.length > i && objects[i] != null ? objects[i].toString() : "";
        }

        private static void emitState(TLCStateInfo info, int number, boolean stuttering) {
            ObjectNode n = event("state").put("number", number).put("stuttering", stuttering);
            n.put("info", info.info == null ? "" : info.info.toString());
            ObjectNode vars = n.putObject("vars");
            TLCState state = info.state;
            if (state != null) {
                // Declaration order, which is how the spec's author reads them.
                OpDeclNode[] declared = state.getVars().clone();
                // TLC's own order is not the spec's; sort by where each variable is declared.
                java.util.Arrays.sort(
                        declared,
                        java.util.Comparator.comparingInt(
                                        (OpDeclNode v) -> v.getLocation().beginLine())
                                .thenComparingInt(v -> v.getLocation().beginColumn()));
                for (OpDeclNode var : declared) {
                    IValue value = state.lookup(var.getName());
                    vars.put(var.getName().toString(), value == null ? "(unassigned)" : value.toString());
                }
            }
            emit(n);
        }
    }
}
