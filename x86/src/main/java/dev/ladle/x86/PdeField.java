package dev.ladle.x86;

/**
 * An IA-32 page-directory entry that references a page table (32-bit paging, PS = 0; Intel SDM Vol. 3A, 4.3,
 * Table 4-5), one constant per field. With PS = 1 the same word maps a 4 MiB page instead and is read through
 * {@link LargePdeField}.
 *
 * <pre>
 *  31                                        12 11   9   8   7   6   5   4   3   2   1   0
 * +--------------------------------------------+-------+---+---+---+---+---+---+---+---+---+
 * |  physical address of the page table       |  AVL  |ign| PS|ign| A |PCD|PWT|U/S|R/W| P |
 * +--------------------------------------------+-------+---+---+---+---+---+---+---+---+---+
 *
 * byte 0 (lowest address): P, R/W, U/S, PWT, PCD, A, (ignored), PS (bits 0..7)
 * byte 1: bit 8 ignored, AVL (bits 9..11), table address bits 12..15
 * bytes 2..3: table address bits 16..31
 * </pre>
 */
public enum PdeField implements BitField {
    /** Present: the entry references a page table. */
    PRESENT("P", 0, 1),
    /** Read/write for the whole 4 MiB region this entry controls. */
    READ_WRITE("R/W", 1, 1),
    /** User/supervisor for the whole 4 MiB region this entry controls. */
    USER_SUPERVISOR("U/S", 2, 1),
    /** Page-level write-through for the page table. */
    WRITE_THROUGH("PWT", 3, 1),
    /** Page-level cache disable for the page table. */
    CACHE_DISABLE("PCD", 4, 1),
    /** Accessed: set by the processor when it uses this entry. */
    ACCESSED("A", 5, 1),
    /** Page size: 0 here (the entry references a page table); 1 maps a 4 MiB page when CR4.PSE is 1. */
    PAGE_SIZE("PS", 7, 1),
    /** Ignored by the processor, available to software. */
    AVAILABLE("AVL", 9, 3),
    /** Bits 31:12 of the physical address of the page table: its frame number. */
    TABLE("Address", 12, 20);

    private final String sdmName;
    private final int bit;
    private final int width;
    private final int mask;

    PdeField(String sdmName, int bit, int width) {
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
