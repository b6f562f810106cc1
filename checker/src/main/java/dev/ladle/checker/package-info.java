/**
 * Model checking of Ladle's TLA+ and Alloy models: what {@code ladle check} runs.
 *
 * <p>Start at {@link dev.ladle.checker.Checker#check}: {@link dev.ladle.checker.Discovery} finds the
 * models under a folder (every {@code X.cfg} beside an {@code X.tla}; every {@code check} and
 * {@code run} command of every {@code .als}), the shared SANY front end ({@code dev.ladle.tla.Sany})
 * parses the TLA+ ones and {@code CfgCheck} their configurations first, so that an input error
 * stops everything with its location, then each TLA+ model runs in a child JVM
 * ({@link dev.ladle.checker.TlcChild}, driven by {@code TlcRunner}) and each Alloy command in this
 * JVM ({@code AlloyRunner}). Each {@link dev.ladle.checker.ModelResult} is compared with the
 * {@link dev.ladle.checker.Manifest}, and {@link dev.ladle.checker.Report} renders the lot as a
 * table, counterexamples or JSON. {@link dev.ladle.checker.Distributed} runs TLC's own
 * distributed server and workers. Exit codes are the constants of {@link dev.ladle.checker.ExitCode}.
 */
package dev.ladle.checker;
