package dev.ladle.x86;

import com.sun.jna.Callback;
import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.LongByReference;
import java.util.Map;

/**
 * A thin JNA binding to Debian's {@code libunicorn2} (Unicorn 2.0.1, {@code libunicorn.so.2}): only the calls and
 * constants the x86 target uses. The fixed-argument functions are bound by JNA direct mapping (static natives, the
 * cheap path, called on every run); the two variadic ones ({@code uc_hook_add}, {@code uc_ctl}) through an
 * interface. Constants are the values of {@code unicorn.h} and {@code x86.h} of that release.
 */
final class Unicorn {
    static final String LIBRARY = "libunicorn.so.2";
    static final String INSTALL = "apt-get install -y libunicorn2";

    static final int UC_ARCH_X86 = 4;
    static final int UC_MODE_32 = 1 << 2;

    static final int UC_ERR_OK = 0;
    static final int UC_ERR_READ_UNMAPPED = 6;
    static final int UC_ERR_WRITE_UNMAPPED = 7;
    static final int UC_ERR_FETCH_UNMAPPED = 8;
    static final int UC_ERR_INSN_INVALID = 10;
    static final int UC_ERR_WRITE_PROT = 12;
    static final int UC_ERR_READ_PROT = 13;
    static final int UC_ERR_FETCH_PROT = 14;
    static final int UC_ERR_EXCEPTION = 21;

    static final int UC_PROT_NONE = 0;
    static final int UC_PROT_READ = 1;
    static final int UC_PROT_WRITE = 2;
    static final int UC_PROT_EXEC = 4;
    static final int UC_PROT_ALL = 7;

    static final int UC_HOOK_INTR = 1;
    static final int UC_HOOK_CODE = 1 << 2;
    static final int UC_HOOK_MEM_INVALID = 0x3F0; // the unmapped and protection events of reads, writes, fetches

    static final int UC_MEM_READ_UNMAPPED = 19;
    static final int UC_MEM_WRITE_UNMAPPED = 20;
    static final int UC_MEM_FETCH_UNMAPPED = 21;
    static final int UC_MEM_WRITE_PROT = 22;
    static final int UC_MEM_READ_PROT = 23;
    static final int UC_MEM_FETCH_PROT = 24;

    static final int UC_X86_REG_CS = 11;
    static final int UC_X86_REG_DS = 17;
    static final int UC_X86_REG_ES = 28;
    static final int UC_X86_REG_FS = 32;
    static final int UC_X86_REG_GS = 33;
    static final int UC_X86_REG_SS = 49;
    static final int UC_X86_REG_GDTR = 243;
    static final int UC_X86_REG_EAX = 19;
    static final int UC_X86_REG_EBP = 20;
    static final int UC_X86_REG_EBX = 21;
    static final int UC_X86_REG_ECX = 22;
    static final int UC_X86_REG_EDI = 23;
    static final int UC_X86_REG_EDX = 24;
    static final int UC_X86_REG_EFLAGS = 25;
    static final int UC_X86_REG_EIP = 26;
    static final int UC_X86_REG_ESI = 29;
    static final int UC_X86_REG_ESP = 30;

    /** {@code UC_CTL_WRITE(UC_CTL_TB_REMOVE_CACHE, 2)}: type 9, two arguments (bits 26..29), write (bit 30). */
    static final int UC_CTL_TB_REMOVE_CACHE_WRITE = 9 | (2 << 26) | (1 << 30);

    /** The native per-instruction counting hook ({@code src/main/c/ladle_hooks.c}), shipped in the jar. */
    static final String HOOKS = "ladlehooks";

    private static final Throwable LOAD_FAILURE;
    private static final Varargs VARARGS;
    private static Pointer countHook;

    static {
        Throwable failure = null;
        Varargs varargs = null;
        try {
            NativeLibrary library = NativeLibrary.getInstance(LIBRARY);
            Native.register(Unicorn.class, library);
            varargs = Native.load(LIBRARY, Varargs.class, Map.of());
        } catch (UnsatisfiedLinkError | NoClassDefFoundError e) {
            failure = e;
        }
        LOAD_FAILURE = failure;
        VARARGS = varargs;
    }

    private Unicorn() {}

    /** Fails with the one line a user needs when the library is missing. */
    static void require() {
        if (LOAD_FAILURE != null) {
            throw missing(LIBRARY, LOAD_FAILURE);
        }
    }

    /** Tries to load {@code library}; used to show the message a machine without Unicorn gets. */
    static void requireLibrary(String library) {
        try {
            NativeLibrary.getInstance(library);
        } catch (UnsatisfiedLinkError e) {
            throw missing(library, e);
        }
    }

    private static UnicornMissingException missing(String library, Throwable cause) {
        return new UnicornMissingException(
                "the x86 CPU needs Unicorn 2 (" + library + "), which is not installed; " + "install it with: "
                        + INSTALL + " (as root, after apt-get update)",
                cause);
    }

    /** {@code ladle_count_instruction}: counts instructions into a {@code {uint64 count; uint64 last_address}}. */
    static synchronized Pointer countInstructionHook() {
        if (countHook == null) {
            try {
                countHook = NativeLibrary.getInstance(HOOKS).getFunction("ladle_count_instruction");
            } catch (UnsatisfiedLinkError e) {
                throw new IllegalStateException(
                        "the native hook library lib" + HOOKS + ".so is missing from the"
                                + " classpath (it is built from x86/src/main/c with gcc when the x86 module is built)",
                        e);
            }
        }
        return countHook;
    }

    static Varargs varargs() {
        require();
        return VARARGS;
    }

    // uc_err uc_open(uc_arch arch, uc_mode mode, uc_engine **uc)
    static native int uc_open(int arch, int mode, long[] engine);

    static native int uc_close(Pointer uc);

    static native String uc_strerror(int code);

    static native int uc_reg_read(Pointer uc, int regid, int[] value);

    static native int uc_reg_write(Pointer uc, int regid, int[] value);

    /** For registers wider than 32 bits, such as GDTR ({@code uc_x86_mmr}). */
    static native int uc_reg_write(Pointer uc, int regid, Pointer value);

    // uc_err uc_reg_read_batch(uc_engine *uc, int *regs, void **vals, int count)
    static native int uc_reg_read_batch(Pointer uc, int[] regs, Pointer vals, int count);

    static native int uc_reg_write_batch(Pointer uc, int[] regs, Pointer vals, int count);

    static native int uc_mem_map_ptr(Pointer uc, long address, long size, int perms, Pointer host);

    static native int uc_mem_unmap(Pointer uc, long address, long size);

    static native int uc_mem_protect(Pointer uc, long address, long size, int perms);

    static native int uc_emu_start(Pointer uc, long begin, long until, long timeout, long count);

    static native int uc_emu_stop(Pointer uc);

    /** The variadic entry points. */
    interface Varargs extends Library {
        int uc_hook_add(
                Pointer uc,
                LongByReference hook,
                int type,
                Callback callback,
                Pointer userData,
                long begin,
                long end,
                Object... extra);

        /** The same call with a native function as the callback. */
        int uc_hook_add(
                Pointer uc,
                LongByReference hook,
                int type,
                Pointer callback,
                Pointer userData,
                long begin,
                long end,
                Object... extra);

        int uc_ctl(Pointer uc, int control, Object... args);
    }

    /** {@code void (*)(uc_engine *uc, uint32_t intno, void *user_data)} */
    interface InterruptHook extends Callback {
        void invoke(Pointer uc, int intno, Pointer userData);
    }

    /** {@code bool (*)(uc_engine *uc, uc_mem_type type, uint64_t address, int size, int64_t value, void *ud)} */
    interface InvalidMemoryHook extends Callback {
        boolean invoke(Pointer uc, int type, long address, int size, long value, Pointer userData);
    }

    /** Throws with Unicorn's own description when {@code err} is not {@code UC_ERR_OK}. */
    static void check(int err, String call) {
        if (err != UC_ERR_OK) {
            throw new IllegalStateException(call + " failed: " + uc_strerror(err) + " (uc_err " + err + ")");
        }
    }
}
