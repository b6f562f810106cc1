package dev.ladle.kernel;

import dev.ladle.kernel.hw.AddressSpace;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;

/**
 * A process: the spec's process {@link #id()} (its page map lives in the generated machine), an address space
 * (IA-32 page tables on the x86 target) that all its threads share, and what the spec abstracts about its pages:
 * which of them user code may not write.
 */
public final class Process {
    private final int id;
    private final String name;
    private final AddressSpace space;
    final List<KernelThread> threads = new ArrayList<>();

    /**
     * Spec pages mapped without the write right (an ELF segment without {@code PF_W}, a page item sent read-only, or
     * derived from a read-only page); the page tables map them with R/W clear.
     */
    private final BitSet readOnly = new BitSet();

    Process(int id, String name, AddressSpace space) {
        this.id = id;
        this.name = name;
        this.space = space;
    }

    /** The spec's process id (0-based, the order of the boot description). */
    public int id() {
        return id;
    }

    public String name() {
        return name;
    }

    public AddressSpace space() {
        return space;
    }

    public List<KernelThread> threads() {
        return List.copyOf(threads);
    }

    /** Whether spec page {@code v} is mapped without the write right. */
    public boolean readOnly(int v) {
        return readOnly.get(v);
    }

    void readOnly(int v, boolean value) {
        readOnly.set(v, value);
    }

    @Override
    public String toString() {
        return name;
    }
}
