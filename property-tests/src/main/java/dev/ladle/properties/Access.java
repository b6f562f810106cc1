package dev.ladle.properties;

import dev.ladle.kernel.hw.Reg;
import dev.ladle.kernel.hw.RegisterFile;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;

/**
 * A memory access an adversarial thread makes with a real instruction: {@code mov eax, [ebx]}, {@code mov [ebx], ecx}
 * or their byte forms, EBX the address and ECX the value. A word access never crosses a page (the processor's CR2 for
 * an access split over two pages is not what this property is about).
 */
record Access(Kind kind, int address, int value) implements Move {
    enum Kind {
        READ8(1, false),
        READ32(4, false),
        WRITE8(1, true),
        WRITE32(4, true);

        final int size;
        final boolean write;

        Kind(int size, boolean write) {
            this.size = size;
            this.write = write;
        }
    }

    Access {
        if (kind.size == 4 && (address & 0xfff) > 0xffc) {
            address &= ~3;
        }
    }

    @Override
    public void load(RegisterFile regs) {
        regs.set(Reg.EBX, address);
        regs.set(Reg.ECX, value);
    }

    @Override
    public String toString() {
        return String.format("%s(0x%08x%s)", kind, address, kind.write ? String.format(", 0x%x", value) : "");
    }

    /**
     * Addresses an attacker tries: the pages of the window (its own, read-only ones, and those only other processes
     * hold, for every process uses the same window), the pages just outside it, the null page, the kernel's gigabyte
     * and the top pages of the address space, the physical addresses of frames (other processes' frames taken as
     * virtual addresses), and anything at all.
     */
    static Arbitrary<Integer> addresses() {
        Arbitrary<Integer> offset = Arbitraries.integers().between(0, 0xfff);
        // the pages mapped at boot: the image's code (read-only), the heap after it, the stack at the window's top
        Arbitrary<Integer> held = Arbitraries.of(Islands.BASE + 1, Islands.BASE + 2, Islands.BASE + Islands.PAGES - 1);
        return Arbitraries.frequencyOf(
                Tuple.of(12, Combinators.combine(held, offset).as((p, o) -> p << 12 | o)),
                Tuple.of(
                        12,
                        Combinators.combine(
                                        Arbitraries.integers().between(Islands.BASE - 1, Islands.BASE + Islands.PAGES),
                                        offset)
                                .as((p, o) -> p << 12 | o)),
                Tuple.of(1, offset),
                Tuple.of(
                        2,
                        Arbitraries.oneOf(
                                Arbitraries.integers().between(0xc0000000, 0xc0010000),
                                Arbitraries.integers().between(0xfffe0000, 0xffffffff))),
                Tuple.of(
                        2,
                        Combinators.combine(Arbitraries.integers().between(0, Islands.FRAMES + 8), offset)
                                .as((f, o) -> f << 12 | o)),
                Tuple.of(1, Arbitraries.integers()));
    }

    static Arbitrary<Access> accesses() {
        return Combinators.combine(Arbitraries.of(Kind.class), addresses(), Arbitraries.integers())
                .as(Access::new);
    }
}
