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
    EFLAGS
}
