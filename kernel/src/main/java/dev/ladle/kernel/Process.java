package dev.ladle.kernel;

import dev.ladle.kernel.hw.AddressSpace;
import java.util.ArrayList;
import java.util.List;

/** A process: an address space (IA-32 page tables on the x86 target) and the threads running in it. */
public final class Process {
    private final String name;
    private final AddressSpace space;
    final List<KernelThread> threads = new ArrayList<>();

    Process(String name, AddressSpace space) {
        this.name = name;
        this.space = space;
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

    @Override
    public String toString() {
        return name;
    }
}
