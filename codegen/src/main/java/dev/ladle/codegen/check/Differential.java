package dev.ladle.codegen.check;

import java.util.List;
import java.util.Random;
import tlc2.tool.TLCState;

/**
 * The differential check: random walks from Init through a generated machine, and at every step the same
 * action instance evaluated by TLC on the same state. The machine's successor (or refusal) must equal TLC's;
 * a refused action must leave the state untouched; invariants and TypeOK must evaluate alike.
 */
public final class Differential {

    /** What a run did: checks compared, how many were successors vs refusals, and how many TLC could not evaluate. */
    public record Report(int checks, int applied, int refused, int invariantChecks, int tlcErrors) {}

    /** A disagreement, with the state, the action and both results. */
    public static final class Disagreement extends AssertionError {
        public Disagreement(String message) {
            super(message);
        }
    }

    private Differential() {}

    public static Report run(TlcOracle oracle, MachineHandle m, int checks, long seed) {
        Random rnd = new Random(seed);
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
        int applied = 0;
        int refused = 0;
        int invChecks = 0;
        int tlcErrors = 0;
        int depth = 0;
        int done = 0;
        while (done < checks) {
            if (depth > 60 || rnd.nextInt(100) == 0) {
                m.init();
                depth = 0;
            }
            TLCState s = oracle.toTlc(m);
            if (done % 4 == 0) {
                for (int i = 0; i < invs.length; i++) {
                    boolean tlc = oracle.holds(invs[i], s);
                    boolean java = m.invariant(i);
                    if (tlc != java) {
                        throw new Disagreement(
                                "invariant " + invs[i] + ": TLC " + tlc + ", Java " + java + " in state\n" + s);
                    }
                    invChecks++;
                }
                boolean tlc = oracle.holds(oracle.spec().typeOKName(), s);
                if (tlc != m.typeOK()) {
                    throw new Disagreement("TypeOK: TLC " + tlc + ", Java " + m.typeOK() + " in state\n" + s);
                }
                invChecks++;
            }
            TlcOracle.Step step = oracle.randomStep(rnd, s);
            List<TLCState> next;
            try {
                next = oracle.successors(step, s);
            } catch (RuntimeException e) {
                // TLC cannot evaluate this instance (e.g. an out-of-domain application the spec does not guard)
                tlcErrors++;
                if (tlcErrors > checks) {
                    throw new Disagreement("TLC fails on most steps; last: " + step.shown() + ": " + e);
                }
                continue;
            }
            if (next.size() > 1) {
                throw new Disagreement(
                        step.shown() + " is nondeterministic in TLC (" + next.size() + " successors) from\n" + s);
            }
            int[] before = m.memory().clone();
            String result;
            try {
                result = m.step(step.action(), step.javaArgs());
            } catch (RuntimeException e) {
                throw new Disagreement("Java threw " + e + " on " + step.shown() + " where TLC gives "
                        + (next.isEmpty() ? "no successor" : "\n" + next.get(0)) + "\nfrom state\n" + s);
            }
            if (result.equals("OK")) {
                if (next.isEmpty()) {
                    throw new Disagreement(step.shown() + ": Java applied it, TLC finds it disabled, in state\n" + s
                            + "Java successor:\n" + oracle.toTlc(m));
                }
                String diff = oracle.diff(next.get(0), oracle.toTlc(m), vars);
                if (!diff.isEmpty()) {
                    throw new Disagreement(
                            step.shown() + ": successors differ from state\n" + s + "differences:\n" + diff);
                }
                applied++;
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
            }
            done++;
        }
        return new Report(done, applied, refused, invChecks, tlcErrors);
    }
}
