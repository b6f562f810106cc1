package dev.ladle.kernel.hw;

import java.util.List;
import java.util.OptionalInt;

/**
 * Loads an executable image (an ELF32 file on the x86 target) into an address space. The kernel allocates the frames
 * through {@link PageAllocator}, so its machine records every page the image occupies; the loader maps them and copies
 * the image's bytes in. A malformed image is a {@link Malformed} value naming what is wrong and at which file offset;
 * nothing is thrown and the kernel keeps running.
 */
public interface ImageLoader {
    /** Loads {@code image} into {@code space}, asking {@code frames} for one frame per page it occupies. */
    Result load(byte[] image, AddressSpace space, PageAllocator frames);

    /**
     * The address of the symbol {@code name} in {@code image}'s symbol table (where a boot description starts a
     * second thread of a process), or empty when the image has no such symbol or no symbol table.
     */
    default OptionalInt symbol(byte[] image, String name) {
        return OptionalInt.empty();
    }

    /** The kernel's side of loading: one frame for user page {@code vpn}, or -1 when none is left. */
    @FunctionalInterface
    interface PageAllocator {
        int allocate(int vpn, boolean writable);
    }

    /** One page an image occupies: virtual page number, the frame behind it, whether it is writable. */
    record Page(int vpn, int frame, boolean writable) {}

    /** The outcome of {@link #load}. */
    sealed interface Result {}

    /** The image is mapped; execution starts at {@code entry}. */
    record Loaded(int entry, List<Page> pages) implements Result {}

    /**
     * The image was refused: {@code offset} is the byte offset in the file where the problem is, {@code what} says what
     * is wrong. Pages mapped before the problem was found are listed in {@code pages} so the caller can release them.
     */
    record Malformed(long offset, String what, List<Page> pages) implements Result {
        @Override
        public String toString() {
            return "malformed image at offset " + offset + ": " + what;
        }
    }
}
