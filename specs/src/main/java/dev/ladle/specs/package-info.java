/**
 * Model checking of Ladle's TLA+ and Alloy models: what {@code ladle check} runs.
 *
 * <p>Start at {@link dev.ladle.specs.Checker#check}: {@link dev.ladle.specs.Discovery} finds the
 * models under a folder (every {@code X.cfg} beside an {@code X.tla}; every {@code check} and
 * {@code run} command of every {@code .als}), {@code Sany} parses the TLA+ ones first so that a
 * syntax error stops everything with its location, then each TLA+ model runs in a child JVM
 * ({@link dev.ladle.specs.TlcChild}, driven by {@code TlcRunner}) and each Alloy command in this
 * JVM ({@code AlloyRunner}). Each {@link dev.ladle.specs.ModelResult} is compared with the
 * {@link dev.ladle.specs.Manifest}, and {@link dev.ladle.specs.Report} renders the lot as a
 * table, counterexamples or JSON. {@link dev.ladle.specs.Distributed} runs TLC's own
 * distributed server and workers.
 */
package dev.ladle.specs;
