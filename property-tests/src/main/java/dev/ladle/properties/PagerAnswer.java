package dev.ladle.properties;

import dev.ladle.kernel.Abi;
import dev.ladle.kernel.hw.RegisterFile;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

/**
 * A pager's answer to a fault (docs/abi.md, "Faults"): when the thread that makes this move pages a thread stopped at
 * a fault, it sends that thread one of its own pages ({@code op}: {@code MAP_PAGE}, {@code GRANT_PAGE} or {@code
 * COPY_PAGE}, read-only when {@code readOnly}; the {@code pick}-th of its writable pages, never its code) along its
 * capability to it; the page lands at the head of the free list of the thread's address space's pages. The system call is made when the move is issued
 * ({@link Attack}), from the kernel's state then; a thread that pages no faulted thread it can send to, or holds no writable page, yields.
 */
record PagerAnswer(int op, boolean readOnly, int pick) implements Move {
    @Override
    public void load(RegisterFile regs) {
        throw new IllegalStateException("a pager's answer is made into a system call when it is issued: " + this);
    }

    static Arbitrary<PagerAnswer> answers() {
        return Combinators.combine(
                        Arbitraries.of(Abi.OP_MAP_PAGE, Abi.OP_GRANT_PAGE, Abi.OP_COPY_PAGE),
                        Arbitraries.frequencyOf(
                                net.jqwik.api.Tuple.of(4, Arbitraries.just(false)),
                                net.jqwik.api.Tuple.of(1, Arbitraries.just(true))),
                        Arbitraries.integers().between(0, 7))
                .as(PagerAnswer::new);
    }
}
