package dev.ladle.x86;

/**
 * One field of a 32-bit hardware word, declared as data: a name, its lowest bit and its width. Every mask and shift
 * used on the word is derived from these three numbers (as seL4 derives its accessors from bitfield declarations), so
 * a layout is written down once, in the enum that lists its fields.
 */
public interface BitField {
    /** The field's name as the Intel SDM spells it. */
    String sdmName();

    /** Lowest bit of the field. */
    int bit();

    /** Number of bits. */
    int width();

    /** The field's bits in place, derived from {@link #bit} and {@link #width}. */
    int mask();

    /** The field's value in {@code word}, shifted down to bit 0. */
    default int get(int word) {
        return (word & mask()) >>> bit();
    }

    /** Whether a one-bit field is set in {@code word}. */
    default boolean isSet(int word) {
        return (word & mask()) != 0;
    }

    /** {@code word} with this field replaced by {@code value}; a value wider than the field is a bug. */
    default int with(int word, int value) {
        int max = (int) ((1L << width()) - 1);
        if (Integer.compareUnsigned(value, max) > 0) {
            throw new IllegalArgumentException(sdmName() + " is " + width() + " bits wide; " + value + " does not fit");
        }
        return (word & ~mask()) | (value << bit());
    }

    /** {@code word} with a one-bit field set or cleared. */
    default int with(int word, boolean value) {
        return with(word, value ? 1 : 0);
    }

    /** The mask of {@code width} bits starting at {@code bit}: the one place masks are computed. */
    static int maskOf(int bit, int width) {
        if (bit < 0 || width < 1 || bit + width > 32) {
            throw new IllegalArgumentException("no field of " + width + " bits at bit " + bit + " in a 32-bit word");
        }
        return (int) (((1L << width) - 1) << bit);
    }
}
