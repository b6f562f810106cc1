package dev.ladle.x86;

import dev.ladle.kernel.hw.Reg;
import dev.ladle.kernel.hw.RegisterFile;

/** A plain register file: one int per {@link Reg}, EFLAGS starting at 0x202 (reserved bit 1 and IF set). */
public final class X86Registers implements RegisterFile {
    private final int[] values = new int[Reg.values().length];

    public X86Registers() {
        values[Reg.EFLAGS.ordinal()] = 0x202;
    }

    @Override
    public int get(Reg r) {
        return values[r.ordinal()];
    }

    @Override
    public void set(Reg r, int value) {
        values[r.ordinal()] = value;
    }

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder();
        for (Reg r : Reg.values()) {
            b.append(b.length() == 0 ? "" : " ").append(r).append('=').append(String.format("%08x", get(r)));
        }
        return b.toString();
    }
}
