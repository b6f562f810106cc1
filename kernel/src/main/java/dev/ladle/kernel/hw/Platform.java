package dev.ladle.kernel.hw;

/**
 * The hardware the generic kernel needs, implemented by an architecture module ({@code x86}). The kernel depends on
 * these interfaces only; nothing generic imports an architecture package.
 */
public interface Platform extends AutoCloseable {
    PhysicalMemory memory();

    AddressSpace newAddressSpace();

    /** Frees the page tables of an address space that is no longer used. */
    void destroy(AddressSpace space);

    Cpu cpu();

    @Override
    void close();
}
