package dev.ladle.x86;

/**
 * An IA-32 page-directory entry that maps a 4 MiB page (32-bit paging, CR4.PSE = 1, PS = 1; Intel SDM Vol. 3A, 4.3,
 * Table 4-4), one constant per field. The kernel never creates these for user memory; the software walk honours them.
 *
 * <pre>
 *  31                  22 21 20             13  12 11   9   8   7   6   5   4   3   2   1   0
 * +----------------------+--+-----------------+---+-------+---+---+---+---+---+---+---+---+---+
 * | address of 4 MiB page|0 | bits 39:32 (0)  |PAT|  AVL  | G |PS1| D | A |PCD|PWT|U/S|R/W| P |
 * +----------------------+--+-----------------+---+-------+---+---+---+---+---+---+---+---+---+
 *
 * byte 0 (lowest address): P, R/W, U/S, PWT, PCD, A, D, PS (bits 0..7)
 * byte 1: G (bit 8), AVL (bits 9..11), PAT (bit 12), address bits 39:32 low nibble (bits 13..15)
 * bytes 2..3: address bits 39:32 high nibble (bits 16..20), reserved bit 21, page address bits 31:22 (bits 22..31)
 * </pre>
 */
public enum LargePdeField implements BitField {
    PRESENT("P", 0, 1),
    READ_WRITE("R/W", 1, 1),
    USER_SUPERVISOR("U/S", 2, 1),
    WRITE_THROUGH("PWT", 3, 1),
    CACHE_DISABLE("PCD", 4, 1),
    ACCESSED("A", 5, 1),
    DIRTY("D", 6, 1),
    /** Page size: 1 for these entries. */
    PAGE_SIZE("PS", 7, 1),
    GLOBAL("G", 8, 1),
    AVAILABLE("AVL", 9, 3),
    PAT("PAT", 12, 1),
    /** Bits 39:32 of the page's physical address (PSE-36); zero here, as memory ends below 4 GiB. */
    HIGH_ADDRESS("Address 39:32", 13, 8),
    /** Must be zero. */
    RESERVED("Reserved", 21, 1),
    /** Bits 31:22 of the physical address of the 4 MiB page. */
    PAGE("Address 31:22", 22, 10);

    private final String sdmName;
    private final int bit;
    private final int width;
    private final int mask;

    LargePdeField(String sdmName, int bit, int width) {
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
