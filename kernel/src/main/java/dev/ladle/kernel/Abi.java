package dev.ladle.kernel;

/**
 * The system-call ABI as numbers: operation numbers, result codes, item kinds and the register layout of
 * {@code docs/abi.md}. {@code userland/src/main/c/include/ladle.h} encodes the same numbers for C, and a test
 * compares the document, the header and this class.
 */
public final class Abi {
    private Abi() {}

    /** The software interrupt vector of a system call. */
    public static final int SYSCALL_VECTOR = 0x30;

    /**
     * The words of a message, in EBX, ECX, EDX, ESI, EDI, EBP: consecutive registers from EBX in
     * {@link dev.ladle.kernel.hw.Reg} order.
     */
    public static final int WORDS = 6;

    // operations (EAX bits 0..7)
    public static final int OP_SEND = 1;
    public static final int OP_RECEIVE = 2;
    public static final int OP_WAIT = 3;
    public static final int OP_MAP_PAGE = 4;
    public static final int OP_GRANT_PAGE = 5;
    public static final int OP_COPY_PAGE = 6;
    public static final int OP_MAP_CAP = 7;
    public static final int OP_GRANT_CAP = 8;
    public static final int OP_COPY_CAP = 9;
    public static final int OP_UNMAP = 10;
    public static final int OP_REVOKE = 11;
    public static final int OP_THREAD_CREATE = 12;
    public static final int OP_THREAD_DELETE = 13;
    public static final int OP_PROCESS_CREATE = 14;
    public static final int OP_PROCESS_DELETE = 15;
    public static final int OP_QUERY = 16;
    public static final int OP_YIELD = 17;
    public static final int OP_EXIT = 18;

    /** Names of the operations by number (index 0 is not an operation). */
    public static final String[] OP_NAMES = {
        null,
        "SEND",
        "RECEIVE",
        "WAIT",
        "MAP_PAGE",
        "GRANT_PAGE",
        "COPY_PAGE",
        "MAP_CAP",
        "GRANT_CAP",
        "COPY_CAP",
        "UNMAP",
        "REVOKE",
        "THREAD_CREATE",
        "THREAD_DELETE",
        "PROCESS_CREATE",
        "PROCESS_DELETE",
        "QUERY",
        "YIELD",
        "EXIT"
    };

    // result codes (EAX bits 0..7 on return)
    public static final int OK = 0;
    public static final int E_UNKNOWN_OP = 1;
    public static final int E_BAD_ID = 2;
    public static final int E_NO_RIGHT = 3;
    public static final int E_FULL = 4;
    public static final int E_UNMAPPED = 5;
    public static final int E_DEAD = 6;
    public static final int E_EMPTY = 7;
    public static final int E_NO_SLOT = 8;
    public static final int E_NO_MEMORY = 9;
    public static final int E_BAD_ARG = 10;
    public static final int E_NOT_SUPPORTED = 11;
    public static final int E_BLOCKED = 12;

    /** Names of the result codes by number. */
    public static final String[] RESULT_NAMES = {
        "OK",
        "E_UNKNOWN_OP",
        "E_BAD_ID",
        "E_NO_RIGHT",
        "E_FULL",
        "E_UNMAPPED",
        "E_DEAD",
        "E_EMPTY",
        "E_NO_SLOT",
        "E_NO_MEMORY",
        "E_BAD_ARG",
        "E_NOT_SUPPORTED",
        "E_BLOCKED"
    };

    // item kinds (descriptor bits 0..3, EAX bits 8..11 on receive); the ordinals of the spec's ItemKinds
    public static final int NONE = 0;
    public static final int MAP_PAGE_ITEM = 1;
    public static final int GRANT_PAGE_ITEM = 2;
    public static final int COPY_PAGE_ITEM = 3;
    public static final int MAP_CAP_ITEM = 4;
    public static final int GRANT_CAP_ITEM = 5;
    public static final int COPY_CAP_ITEM = 6;

    // item descriptor
    public static final int ITEM_KIND_MASK = 0xf;
    public static final int ITEM_RIGHT_SEND = 1 << 4;
    public static final int ITEM_RIGHT_GRANT = 1 << 5;
    /** Page items: the receiver's mapping is read-only (capability items: reserved, must be zero). */
    public static final int ITEM_READ_ONLY = 1 << 6;

    public static final int ITEM_RESERVED = 0x80;
    public static final int ITEM_NUMBER_SHIFT = 8;

    // query answer (EBX)
    public static final int QUERY_SEND = 1;
    public static final int QUERY_ITEMS = 2;
    public static final int QUERY_POTENTIAL = 4;

    /** First word of a fault message ("LFLT" read as a little-endian word's bytes T, L, F, L). */
    public static final int FAULT_TAG = 0x4c464c54;

    /** The operation of an EAX value. */
    public static int op(int eax) {
        return eax & 0xff;
    }

    /** The operand (local id or virtual page number) of an EAX value. */
    public static int operand(int eax) {
        return eax >>> 8;
    }

    /** EAX on return from a receive. */
    public static int receiveResult(int result, int itemKind, int senderLocalId) {
        return result | itemKind << 8 | senderLocalId << 12;
    }

    public static String opName(int op) {
        return op > 0 && op < OP_NAMES.length ? OP_NAMES[op] : "op " + op;
    }

    public static String resultName(int code) {
        return code >= 0 && code < RESULT_NAMES.length ? RESULT_NAMES[code] : "result " + code;
    }
}
