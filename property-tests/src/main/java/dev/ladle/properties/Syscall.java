package dev.ladle.properties;

import dev.ladle.kernel.Abi;
import dev.ladle.kernel.hw.Reg;
import dev.ladle.kernel.hw.RegisterFile;
import java.util.Arrays;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

/**
 * One system call as an adversary makes it: the operation byte and the operand of EAX and the six words of EBX
 * to EBP, any values at all. The generators favour the values the kernel must check (local ids at and just past
 * the table, page numbers at and just past the window, item descriptors with every kind, right and reserved
 * bit) and mix in random ones (unknown operations, guessed ids).
 */
record Syscall(int op, int operand, int[] words) implements Move {
    static final Reg[] WORDS = {Reg.EBX, Reg.ECX, Reg.EDX, Reg.ESI, Reg.EDI, Reg.EBP};

    @Override
    public void load(RegisterFile regs) {
        regs.set(Reg.EAX, op | operand << 8);
        for (int i = 0; i < 6; i++) {
            regs.set(WORDS[i], words[i]);
        }
    }

    @Override
    public String toString() {
        String name = op >= 1 && op <= Abi.OP_EXIT ? Abi.opName(op) : "op" + op;
        return name + "(" + operand + ", " + Arrays.toString(words) + ")";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Syscall s && s.op == op && s.operand == operand && Arrays.equals(s.words, words);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * op + operand) + Arrays.hashCode(words);
    }

    static Arbitrary<Integer> ops() {
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(20, Arbitraries.of(Abi.OP_SEND, Abi.OP_RECEIVE)),
                net.jqwik.api.Tuple.of(1, Arbitraries.just(Abi.OP_WAIT)),
                net.jqwik.api.Tuple.of(
                        30,
                        Arbitraries.of(
                                Abi.OP_MAP_PAGE,
                                Abi.OP_GRANT_PAGE,
                                Abi.OP_COPY_PAGE,
                                Abi.OP_MAP_CAP,
                                Abi.OP_GRANT_CAP,
                                Abi.OP_COPY_CAP)),
                net.jqwik.api.Tuple.of(10, Arbitraries.of(Abi.OP_UNMAP, Abi.OP_REVOKE, Abi.OP_QUERY, Abi.OP_YIELD)),
                net.jqwik.api.Tuple.of(
                        2,
                        Arbitraries.of(
                                Abi.OP_THREAD_CREATE,
                                Abi.OP_THREAD_DELETE,
                                Abi.OP_PROCESS_CREATE,
                                Abi.OP_PROCESS_DELETE)),
                net.jqwik.api.Tuple.of(1, Arbitraries.just(Abi.OP_EXIT)),
                net.jqwik.api.Tuple.of(2, Arbitraries.integers().between(0, 255)));
    }

    /** A local id, a page number of the window, or a guess; 24 bits. */
    static Arbitrary<Integer> numbers() {
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(8, Arbitraries.integers().between(0, Islands.LOCAL_IDS + 1)),
                net.jqwik.api.Tuple.of(
                        8, Arbitraries.integers().between(Islands.BASE, Islands.BASE + Islands.PAGES + 1)),
                net.jqwik.api.Tuple.of(1, Arbitraries.integers().between(0, 0xffffff)));
    }

    static Arbitrary<Integer> descriptors() {
        Arbitrary<Integer> kind = Arbitraries.integers().between(0, 15);
        Arbitrary<Integer> rights = Arbitraries.integers().between(0, 3);
        Arbitrary<Integer> reserved = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(9, Arbitraries.just(0)),
                net.jqwik.api.Tuple.of(1, Arbitraries.integers().between(1, 3)));
        return Combinators.combine(kind, rights, reserved, numbers())
                .as((k, r, x, n) -> k | r << 4 | x << 6 | n << Abi.ITEM_NUMBER_SHIFT);
    }

    static Arbitrary<Syscall> syscalls() {
        Arbitrary<Integer> word = Arbitraries.integers().between(-3, 3);
        return Combinators.combine(ops(), numbers(), word.list().ofSize(5), descriptors())
                .as((op, operand, w, d) ->
                        new Syscall(op, operand, new int[] {w.get(0), w.get(1), w.get(2), w.get(3), w.get(4), d}));
    }
}
