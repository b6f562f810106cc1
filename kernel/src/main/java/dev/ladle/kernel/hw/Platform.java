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

    /**
     * Frames {@code 0 .. userFrames() - 1} are the kernel's to hand out to user mappings; the platform keeps the
     * frames above them for its own structures (page tables on x86).
     */
    default int userFrames() {
        return memory().frames();
    }

    /** The loader for this platform's executable images. */
    default ImageLoader imageLoader() {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " loads no executable images");
    }

    @Override
    void close();
}
