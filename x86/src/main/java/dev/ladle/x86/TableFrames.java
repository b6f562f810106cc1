package dev.ladle.x86;

/**
 * The frames the platform keeps for page directories and page tables: the top of physical memory, above the frames
 * the kernel hands out. A stack of free frame numbers in one int array (no object per frame).
 */
final class TableFrames {
    private final int first;
    private final int[] free;
    private int top;

    TableFrames(int first, int count) {
        this.first = first;
        this.free = new int[count];
        for (int i = 0; i < count; i++) {
            free[i] = first + count - 1 - i;
        }
        this.top = count;
    }

    /** A free table frame; running out is a configuration error, reported with the numbers to change. */
    int allocate() {
        if (top == 0) {
            throw new IllegalStateException("out of page-table frames: all " + free.length
                    + " are in use (raise X86Platform.Config.tableFrames)");
        }
        return free[--top];
    }

    void release(int frame) {
        if (frame < first || frame >= first + free.length || top == free.length) {
            throw new IllegalArgumentException("frame " + frame + " is not a page-table frame in use");
        }
        free[top++] = frame;
    }

    int first() {
        return first;
    }

    int inUse() {
        return free.length - top;
    }
}
