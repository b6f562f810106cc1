package dev.ladle.kernel.hw;

/** The IA-32 registers a thread object saves and restores on every switch. */
public enum Reg {
    EAX,
    EBX,
    ECX,
    EDX,
    ESI,
    EDI,
    EBP,
    ESP,
    EIP,
    EFLAGS;

    private static final Reg[] VALUES = values();

    /** How many registers there are (a thread object keeps them in an array of this size, in this order). */
    public static final int COUNT = VALUES.length;

    /** The register of ordinal {@code i} (no array copy, unlike {@code values()}). */
    public static Reg ofOrdinal(int i) {
        return VALUES[i];
    }
}
