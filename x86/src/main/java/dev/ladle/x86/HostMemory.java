package dev.ladle.x86;

import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Pointer;

/**
 * Anonymous host memory from {@code mmap}: page aligned (so Unicorn can alias any 4 KiB frame of it), zero-filled by
 * the kernel, and committed only when touched, so a 1 GiB physical memory costs what the programs use of it.
 */
final class HostMemory {
    private static final int PROT_READ = 1;
    private static final int PROT_WRITE = 2;
    private static final int MAP_PRIVATE = 0x02;
    private static final int MAP_ANONYMOUS = 0x20;
    private static final long MAP_FAILED = -1;

    static {
        Native.register(HostMemory.class, NativeLibrary.getInstance("c"));
    }

    private HostMemory() {}

    private static native Pointer mmap(Pointer address, long length, int prot, int flags, int fd, long offset);

    private static native int munmap(Pointer address, long length);

    /** {@code length} bytes of zeroed, page-aligned memory. */
    static Pointer map(long length) {
        Pointer p = mmap(null, length, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        if (p == null || Pointer.nativeValue(p) == MAP_FAILED) {
            throw new OutOfMemoryError(
                    "mmap of " + length + " bytes for physical memory failed (errno " + Native.getLastError() + ")");
        }
        return p;
    }

    static void unmap(Pointer p, long length) {
        if (munmap(p, length) != 0) {
            throw new IllegalStateException("munmap failed (errno " + Native.getLastError() + ")");
        }
    }
}
