package dev.ladle.codegen.check;

import java.nio.IntBuffer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import tlc2.tool.TLCState;

/**
 * The differential check: a random walk from Init through a generated machine where every step is an action
 * instance of Next evaluated by both TLC and the machine on the same state. Most steps are drawn among the
 * instances TLC finds enabled, one per enabled action: half the time the action applied least so far, else one
 * leading to a state not seen yet (so every action is exercised, not only those enabled in
 * most states); one step in five is any instance, so refusals are compared too. The machine's successor or
 * refusal must equal TLC's, a refusal must leave the state untouched, an instance TLC stops on (overflow,
 * Head of the empty sequence, no CHOOSE witness) must make the machine raise too, and every invariant with a
 * generated checker and TypeOK must evaluate alike.
 */
public final class Differential {

    /**
     * What a run covered. tlcErrors counts instances where TLC stopped with an error (and the machine raised
     * too, else the run would have ended in a disagreement).
     */
    public record Report(
            int steps,
            int applied,
            int refused,
            int tlcErrors,
            Map<String, Integer> appliedPerAction,
            Map<String, Integer> refusalsPerGuard,
            Map<String, Integer> invariantChecks,
            List<String> unchecked,
            int distinctStates) {

        /** The per-action table, refusals per guard, invariant checks and what was left unchecked. */
        public String table() {
            StringBuilder sb = new StringBuilder();
            sb.append(String.format("%-24s %8s %7s%n", "action", "applied", "share"));
            appliedPerAction.forEach((a, n) ->
                    sb.append(String.format("%-24s %8d %6.1f%%%n", a, n, applied == 0 ? 0.0 : 100.0 * n / applied)));
            sb.append(String.format("%-24s %8d%n", "(refused)", refused));
            sb.append(String.format("%-24s %8d%n", "(TLC errors)", tlcErrors));
            if (!refusalsPerGuard.isEmpty()) {
                sb.append("refusals per guard:\n");
                refusalsPerGuard.forEach((g, n) -> sb.append(String.format("  %-40s %8d%n", g, n)));
            }
            sb.append("invariant checks:\n");
            invariantChecks.forEach((i, n) -> sb.append(String.format("  %-40s %8d%n", i, n)));
            for (String u : unchecked) {
                sb.append("  ").append(u).append(": unchecked (no generated checker; TLC checks it)\n");
            }
            sb.append("distinct states: ").append(distinctStates).append('\n');
            return sb.toString();
        }

        /**
         * What the run failed to cover: actions applied in fewer than minShare of the steps, TLC errors, invariant
         * checkers never evaluated. Empty when the run covered the spec.
         */
        public List<String> gaps(double minShare) {
            List<String> out = new ArrayList<>();
            appliedPerAction.forEach((a, n) -> {
                if (n < minShare * steps) {
                    out.add("action " + a + " applied " + n + " times in " + steps + " steps");
                }
            });
            if (tlcErrors > 0) {
                out.add(tlcErrors + " TLC errors");
            }
            invariantChecks.forEach((i, n) -> {
                if (n == 0) {
                    out.add("invariant " + i + " never evaluated");
                }
            });
            return out;
        }
    }

    /** A disagreement, with the state, the action and both results. */
    public static final class Disagreement extends AssertionError {
        public Disagreement(String message) {
            super(message);
        }
    }

    private Differential() {}

    /** States kept per action, among those where it was enabled. */
    private static final int ARCHIVED = 64;

    /**
     * A new run: from Init, or half the time from a state seen earlier where the least applied action was
     * enabled (restored through the machine's snapshot API), so actions that need a long prefix are reached.
     */
    private static void restart(
            MachineHandle m, Random rnd, Map<String, List<int[]>> archive, Map<String, Integer> appliedPer) {
        if (rnd.nextBoolean() && !archive.isEmpty()) {
            String rare = archive.keySet().stream()
                    .min(java.util.Comparator.comparingInt(a -> appliedPer.getOrDefault(a, 0)))
                    .get();
            List<int[]> kept = archive.get(rare);
            m.copyStateFrom(kept.get(rnd.nextInt(kept.size())));
        } else {
            m.init();
        }
    }

    public static Report run(TlcOracle oracle, MachineHandle m, int steps, long seed) {
        return run(oracle, m, steps, seed, true);
    }

    /**
     * As above; with enabledWalk false every step is any instance of Next (cheaper per step: for specs whose
     * actions are all enabled, such as the fuzz batches).
     */
    public static Report run(TlcOracle oracle, MachineHandle m, int steps, long seed, boolean enabledWalk) {
        return walk(oracle, m, steps, new Random(seed), enabledWalk, null, new int[1]);
    }

    /**
     * The walk as a list of choices, one a step: step k (from 1) draws its decisions (a restart, which enabled
     * action, the instance's arguments) from a generator seeded with {@code choices.get(k - 1)}, and the walk ends
     * with the list, so a property-testing library can generate the list and shrink a failing walk by dropping and
     * simplifying its choices. A disagreement's message begins with its step ({@code step K of N: }).
     */
    public static Report run(TlcOracle oracle, MachineHandle m, List<Integer> choices) {
        int[] at = new int[1];
        try {
            return walk(oracle, m, choices.size(), new Random(0), true, choices, at);
        } catch (Disagreement d) {
            throw new Disagreement("step " + (at[0] + 1) + " of " + choices.size() + ": " + d.getMessage());
        }
    }

    /**
     * The walk of {@code steps} steps drawing from {@code rnd}, reseeded at each step from {@code choices} when not
     * null; {@code at[0]} is the steps done so far.
     */
    private static Report walk(
            TlcOracle oracle,
            MachineHandle m,
            int steps,
            Random rnd,
            boolean enabledWalk,
            List<Integer> choices,
            int[] at) {
        List<TLCState> inits = oracle.initStates();
        if (inits.size() != 1) {
            throw new Disagreement("Init must give exactly one state; TLC gives " + inits.size());
        }
        String[] vars = m.variables();
        oracle.loadData(m);
        m.init();
        String d = oracle.diff(inits.get(0), oracle.toTlc(m), vars);
        if (!d.isEmpty()) {
            throw new Disagreement("init() differs from TLC's Init:\n" + d);
        }
        String[] invs = m.invariants();
        Map<String, Integer> appliedPer = new LinkedHashMap<>();
        for (String a : m.actions()) {
            appliedPer.put(a, 0);
        }
        Map<String, Integer> refusals = new LinkedHashMap<>();
        Map<String, Integer> invChecks = new LinkedHashMap<>();
        for (String i : invs) {
            invChecks.put(i, 0);
        }
        String typeOk = oracle.spec().typeOKName();
        invChecks.put(typeOk, 0);
        List<String> unchecked = new ArrayList<>(oracle.spec().uncheckedInvariants());
        for (var inv : oracle.spec().invariants()) {
            if (!List.of(invs).contains(inv.name())) {
                unchecked.add(inv.name());
            }
        }
        Set<IntBuffer> distinct = new HashSet<>();
        Set<Long> seen = new HashSet<>();
        Map<String, List<int[]>> archive = new LinkedHashMap<>();
        int applied = 0;
        int refused = 0;
        int tlcErrors = 0;
        int depth = 0;
        int done = 0;
        int seeded = -1;
        while (done < steps) {
            at[0] = done;
            if (choices != null && seeded != done) {
                rnd.setSeed(choices.get(done));
                seeded = done;
            }
            // short runs: a bounded model uses up its budgets (LSNs, crashes) early, and each run from Init renews them
            if (depth > 30 || rnd.nextInt(60) == 0) {
                restart(m, rnd, archive, appliedPer);
                depth = 0;
            }
            int[] before = m.memory();
            distinct.add(IntBuffer.wrap(before));
            TLCState s = oracle.toTlc(m);
            if (done % 4 == 0) {
                for (int i = 0; i < invs.length; i++) {
                    boolean tlc = oracle.holds(invs[i], s);
                    boolean java = m.invariant(i);
                    if (tlc != java) {
                        throw new Disagreement(
                                "invariant " + invs[i] + ": TLC " + tlc + ", Java " + java + " in state\n" + s);
                    }
                    invChecks.merge(invs[i], 1, Integer::sum);
                }
                boolean tlc = oracle.holds(typeOk, s);
                if (tlc != m.typeOK()) {
                    throw new Disagreement("TypeOK: TLC " + tlc + ", Java " + m.typeOK() + " in state\n" + s);
                }
                invChecks.merge(typeOk, 1, Integer::sum);
            }
            TlcOracle.Outcome o;
            seen.add(s.fingerPrint());
            if (!enabledWalk || rnd.nextInt(5) == 0) {
                o = oracle.anyInstance(rnd, s);
            } else {
                // one enabled instance per enabled action; prefer those leading to a state not seen yet, then
                // (half the time) the action applied least so far: deep, rarely enabled actions get reached
                List<TlcOracle.Outcome> enabled = oracle.enabledPerAction(rnd, s);
                for (TlcOracle.Outcome x : enabled) {
                    List<int[]> kept = archive.computeIfAbsent(x.step().name(), k -> new ArrayList<>());
                    if (kept.size() < ARCHIVED) {
                        kept.add(before);
                    } else {
                        kept.set(rnd.nextInt(ARCHIVED), before);
                    }
                }
                List<TlcOracle.Outcome> novel = enabled.stream()
                        .filter(x -> x.error() != null
                                || x.successors().stream().anyMatch(t -> !seen.contains(t.fingerPrint())))
                        .toList();
                if (enabled.isEmpty()) {
                    o = null;
                } else if (rnd.nextBoolean()) {
                    o = enabled.stream()
                            .min(java.util.Comparator.comparingInt(
                                    x -> appliedPer.getOrDefault(x.step().name(), 0)))
                            .get();
                } else {
                    List<TlcOracle.Outcome> pool = novel.isEmpty() ? enabled : novel;
                    o = pool.get(rnd.nextInt(pool.size()));
                }
            }
            if (o == null) {
                // nothing enabled here (a deadlock of the model): start again
                restart(m, rnd, archive, appliedPer);
                depth = 0;
                continue;
            }
            TlcOracle.Step step = o.step();
            String result;
            try {
                result = m.step(step.action(), step.javaArgs());
            } catch (RuntimeException e) {
                if (o.error() != null) {
                    // both stop: TLC with its error, the machine with an exception; the state is not changed
                    tlcErrors++;
                    done++;
                    restart(m, rnd, archive, appliedPer);
                    depth = 0;
                    continue;
                }
                throw new Disagreement("Java threw " + e + " on " + step.shown() + " where TLC gives "
                        + (o.successors().isEmpty()
                                ? "no successor"
                                : "\n" + o.successors().get(0))
                        + "\nfrom state\n" + s);
            }
            if (o.error() != null) {
                throw new Disagreement(step.shown() + ": TLC stops with " + o.error() + " but Java gives " + result
                        + " from state\n" + s + (result.equals("OK") ? "Java successor:\n" + oracle.toTlc(m) : ""));
            }
            List<TLCState> next = o.successors();
            if (next.size() > 1) {
                throw new Disagreement(
                        step.shown() + " is nondeterministic in TLC (" + next.size() + " successors) from\n" + s);
            }
            if (result.equals("OK")) {
                if (next.isEmpty()) {
                    throw new Disagreement(step.shown() + ": Java applied it, TLC finds it disabled, in state\n" + s
                            + "Java successor:\n" + oracle.toTlc(m));
                }
                String diff = oracle.diff(next.get(0), oracle.toTlc(m), vars);
                if (!diff.isEmpty()) {
                    throw new Disagreement(step.shown() + ": successors differ from state\n" + s + "TLC successor:\n"
                            + next.get(0) + "differences:\n" + diff);
                }
                applied++;
                appliedPer.merge(step.name(), 1, Integer::sum);
                depth++;
            } else {
                if (!next.isEmpty()) {
                    throw new Disagreement(step.shown() + ": Java refused (" + result + "), TLC gives\n" + next.get(0)
                            + "from state\n" + s);
                }
                if (!java.util.Arrays.equals(before, m.memory())) {
                    throw new Disagreement(step.shown() + ": refused (" + result + ") but changed the state");
                }
                refused++;
                refusals.merge(step.name() + ": " + result, 1, Integer::sum);
            }
            done++;
        }
        return new Report(
                done, applied, refused, tlcErrors, appliedPer, refusals, invChecks, unchecked, distinct.size());
    }
}
