package dev.ladle.bench;

import java.util.function.IntPredicate;

/**
 * The free-list benchmarks' baseline: a bitmap of free entries (32-bit words, bit i for entry i, bit 0 the null below
 * the entries, clear) as the generator laid out a set before the free lists, with the two scans it emitted for
 * {@code CHOOSE i \in free : TRUE}, written out by hand. {@link #restore()} puts back the bitmap it was built with,
 * before each shot, as the benchmarks restore the machine's state.
 */
final class FreeBitmap {
    private final int[] saved;
    private final int[] bits;
    private final int size;

    /** Entries 1 to {@code size}, entry {@code i} free when {@code free.test(i)}. */
    FreeBitmap(int size, IntPredicate free) {
        this.size = size;
        saved = new int[(size + 1 + 31) >>> 5];
        for (int i = 1; i <= size; i++) {
            if (free.test(i)) {
                saved[i >>> 5] |= 1 << (i & 31);
            }
        }
        bits = saved.clone();
    }

    void restore() {
        System.arraycopy(saved, 0, bits, 0, bits.length);
    }

    /** Takes the lowest free entry, found by {@code Integer.numberOfTrailingZeros} of the first nonzero word. */
    int takeLowestByWords(String what) {
        for (int w = 0; w < bits.length; w++) {
            int word = bits[w];
            if (word != 0) {
                int i = (w << 5) + Integer.numberOfTrailingZeros(word);
                bits[w] = word & (word - 1);
                return i;
            }
        }
        throw new IllegalStateException("no free " + what);
    }

    /** Takes the lowest free entry, found by a test of bit after bit from bit 0. */
    int takeLowestByBits(String what) {
        for (int i = 0; i < size + 1; i++) {
            if (((bits[i >>> 5] >>> (i & 31)) & 1) == 0) {
                continue;
            }
            bits[i >>> 5] &= ~(1 << (i & 31));
            return i;
        }
        throw new IllegalStateException("no free " + what);
    }
}
