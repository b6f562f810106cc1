package dev.ladle.x86;

/**
 * An IA-32 page-table entry that maps a 4 KiB page (32-bit paging, Intel SDM Vol. 3A, 4.3, Table 4-6), one constant
 * per field. Masks and shifts are derived from the (bit, width) pairs here and nowhere else.
 *
 * <pre>
 *  31                                        12 11   9   8   7   6   5   4   3   2   1   0
 * +--------------------------------------------+-------+---+---+---+---+---+---+---+---+---+
 * |  physical address of the 4 KiB page (frame)|  AVL  | G |PAT| D | A |PCD|PWT|U/S|R/W| P |
 * +--------------------------------------------+-------+---+---+---+---+---+---+---+---+---+
 *
 * byte 0 (lowest address): P, R/W, U/S, PWT, PCD, A, D, PAT (bits 0..7)
 * byte 1: G (bit 8), AVL (bits 9..11, ignored by the processor), frame bits 12..15
 * bytes 2..3: frame bits 16..31
 * </pre>
 */
public enum PteField implements BitField {
    /** Present: the entry maps a page. */
    PRESENT("P", 0, 1),
    /** Read/write: 0 means writes are not allowed from user mode (and from supervisor mode with CR0.WP). */
    READ_WRITE("R/W", 1, 1),
    /** User/supervisor: 0 means user-mode accesses are not allowed. */
    USER_SUPERVISOR("U/S", 2, 1),
    /** Page-level write-through. */
    WRITE_THROUGH("PWT", 3, 1),
    /** Page-level cache disable. */
    CACHE_DISABLE("PCD", 4, 1),
    /** Accessed: set by the processor on any access through this entry. */
    ACCESSED("A", 5, 1),
    /** Dirty: set by the processor on a write through this entry. */
    DIRTY("D", 6, 1),
    /** Page attribute table index bit. */
    PAT("PAT", 7, 1),
    /** Global: the translation survives a CR3 reload when CR4.PGE is 1. */
    GLOBAL("G", 8, 1),
    /** Ignored by the processor, available to software. */
    AVAILABLE("AVL", 9, 3),
    /** Bits 31:12 of the physical address of the page: the frame number. */
    FRAME("Address", 12, 20);

    private final String sdmName;
    private final int bit;
    private final int width;
    private final int mask;

    PteField(String sdmName, int bit, int width) {
        this.sdmName = sdmName;
        this.bit = bit;
        this.width = width;
        this.mask = BitField.maskOf(bit, width);
    }

    @Override
    public String sdmName() {
        return sdmName;
    }

    @Override
    public int bit() {
        return bit;
    }

    @Override
    public int width() {
        return width;
    }

    @Override
    public int mask() {
        return mask;
    }
}
