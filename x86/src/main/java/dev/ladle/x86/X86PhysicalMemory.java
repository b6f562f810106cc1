package dev.ladle.x86;

import com.sun.jna.Pointer;
import dev.ladle.kernel.hw.PhysicalMemory;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Simulated physical memory: one off-heap region mapped once (default 64 MiB, up to 4 GiB; anonymous {@code mmap}, so
 * untouched frames cost nothing), 4 KiB frames, no Java object per frame. Frame {@code f} is the bytes
 * {@code [f * 4096, f * 4096 + 4096)} of the region; the region's host address is 4 KiB aligned, so a frame's host
 * memory can be aliased into a Unicorn engine ({@code uc_mem_map_ptr}) and what user code writes there is what the
 * kernel reads here, with no copy. Multi-byte values are little endian, as on IA-32.
 *
 * <p>Writes made from the host side (this class) are remembered per frame until {@link #drainHostWrites} hands them
 * to the CPU, which drops any code it translated from those frames. A {@link DirtyFrames} tracking this memory is told
 * of every host write and of user code's first write through a clean page.
 *
 * <p>Frames may wait for their contents ({@link #awaitContents}): a recovery that restores them lazily hands over a
 * function that gives a frame's contents, and each waiting frame is paged in on its first access from the host side
 * (a read, a write of part of it, {@link #frameView}, {@link #hostAddress}); a write of the whole frame settles it
 * without asking. The engine does not mirror a waiting frame: user code's first touch of it stops the engine, which
 * pages it in, maps it and resumes ({@code Engine.run}). A frame whose contents cannot be given (the function throws)
 * stays waiting, and the exception reaches whoever touched it: it is never read as zeros. Paging in is not a host
 * write (nobody saw the frame before). The kernel's thread and the checkpointer's thread both touch frames: paging in
 * is synchronized on this memory, and the check on each access is one volatile read while nothing waits.
 */
public final class X86PhysicalMemory implements PhysicalMemory, AutoCloseable {
    public static final long DEFAULT_BYTES = 64L << 20;
    private static final int CHUNK_SHIFT = 30;
    private static final long CHUNK = 1L << CHUNK_SHIFT;

    private final Pointer base;
    private boolean closed;
    private final long bytes;
    private final int frames;
    private final ByteBuffer[] chunks;
    private final long[] hostWritten;
    private int[] pendingWrites = new int[64];
    private int pendingCount;
    private java.util.function.IntConsumer firstWrite = frame -> {};
    private DirtyFrames dirty;
    /** Frames waiting for their contents (guarded by this memory), how many, and what gives their contents. */
    private final long[] waiting;

    private volatile int waitingCount;
    private java.util.function.IntFunction<byte[]> contents;
    private long pagedIn;
    private long pagingInNanos;
    /** The last frame whose page-in failed and what it threw (guarded by this memory; -1 and null: none). */
    private int notPagedIn = -1;

    private RuntimeException notPagedInBy;

    public X86PhysicalMemory() {
        this(DEFAULT_BYTES);
    }

    /** A region of {@code bytes} (a positive multiple of 4096, at most 4 GiB), zero-filled. */
    public X86PhysicalMemory(long bytes) {
        if (bytes <= 0 || bytes % PAGE_SIZE != 0 || bytes > (1L << 32)) {
            throw new IllegalArgumentException(
                    "physical memory must be a positive multiple of 4096 bytes, at most 4 GiB: " + bytes);
        }
        this.bytes = bytes;
        this.frames = (int) (bytes / PAGE_SIZE);
        this.base = HostMemory.map(bytes);
        int chunkCount = (int) ((bytes + CHUNK - 1) >>> CHUNK_SHIFT);
        this.chunks = new ByteBuffer[chunkCount];
        for (int i = 0; i < chunkCount; i++) {
            long length = Math.min(CHUNK, bytes - ((long) i << CHUNK_SHIFT));
            chunks[i] = base.getByteBuffer((long) i << CHUNK_SHIFT, length).order(ByteOrder.LITTLE_ENDIAN);
        }
        this.hostWritten = new long[(frames + 63) >>> 6];
        this.waiting = new long[(frames + 63) >>> 6];
    }

    /**
     * Frames {@code [0, count)} wait for their contents, forgetting what they hold: each is given by
     * {@code contents.apply(frame)} on its first access (null, or a null result: zeros). Replaces what any frame
     * waited for before. Costs one bit per frame; nothing is read or written now. The engines must not mirror these
     * frames meanwhile ({@link X86Platform#awaitContents}).
     */
    synchronized void awaitContents(int count, java.util.function.IntFunction<byte[]> contents) {
        if (count < 0 || count > frames) {
            throw new IndexOutOfBoundsException(
                    "frames 0 to " + (count - 1) + " are outside memory of " + frames + " frames");
        }
        java.util.Arrays.fill(waiting, 0L);
        for (int f = 0; f < count; f += 64) {
            int n = Math.min(64, count - f);
            waiting[f >>> 6] = n == 64 ? -1L : (1L << n) - 1;
        }
        this.contents = contents;
        notPagedIn = -1;
        notPagedInBy = null;
        pagedIn = 0;
        pagingInNanos = 0;
        waitingCount = count;
    }

    /**
     * The frame whose page-in threw {@code thrown} (its contents' function threw it, or gave what is not a page), or
     * -1: {@code thrown}, or one of its causes, is the exception the last failed page-in threw.
     */
    @Override
    public synchronized int frameNotPagedIn(Throwable thrown) {
        for (Throwable t = thrown; t != null && notPagedInBy != null; t = t.getCause()) {
            if (t == notPagedInBy) {
                return notPagedIn;
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return -1;
    }

    /** Whether {@code frame} still waits for its contents. */
    public boolean waits(int frame) {
        checkFrame(frame);
        if (waitingCount == 0) {
            return false;
        }
        synchronized (this) {
            return (waiting[frame >>> 6] & (1L << frame)) != 0;
        }
    }

    /** The frames that still wait for their contents. */
    public int waitingFrames() {
        return waitingCount;
    }

    /** The frames that still wait for their contents, as a new set (a copy of a bit per frame). */
    public synchronized java.util.BitSet framesWaiting() {
        return waitingCount == 0 ? new java.util.BitSet() : java.util.BitSet.valueOf(waiting);
    }

    /** Frames paged in since the last {@link #awaitContents} (each asked of its function, or zeroed). */
    public synchronized long pagedIn() {
        return pagedIn;
    }

    /** The time spent paging frames in since the last {@link #awaitContents}, in nanoseconds. */
    public synchronized long pagingInNanos() {
        return pagingInNanos;
    }

    /** Pages in every frame that still waits, in frame order; returns how many. */
    public int pageInAll() {
        int n = 0;
        for (int f = 0; f < frames && waitingCount != 0; f++) {
            if (pageIn(f)) {
                n++;
            }
        }
        return n;
    }

    /** Pages {@code frame} in if it waits; returns whether it did. Throws what the contents' function throws. */
    boolean pageIn(int frame) {
        if (waitingCount == 0) {
            return false;
        }
        synchronized (this) {
            long bit = 1L << frame;
            if ((waiting[frame >>> 6] & bit) == 0) {
                return false;
            }
            long t0 = System.nanoTime();
            java.util.function.IntFunction<byte[]> from = contents;
            byte[] page;
            try {
                page = from == null ? null : from.apply(frame); // throws: the frame stays waiting
                if (page != null && page.length != PAGE_SIZE) {
                    throw new IllegalStateException(
                            "frame " + frame + ": its contents are " + page.length + " bytes, not a page");
                }
            } catch (RuntimeException e) {
                notPagedIn = frame;
                notPagedInBy = e;
                throw e;
            }
            if (page == null) {
                base.setMemory((long) frame * PAGE_SIZE, PAGE_SIZE, (byte) 0);
            } else {
                base.write((long) frame * PAGE_SIZE, page, 0, PAGE_SIZE);
            }
            settle(frame);
            pagedIn++;
            pagingInNanos += System.nanoTime() - t0;
            return true;
        }
    }

    /** {@code frame} is overwritten whole: it no longer waits, and its contents are not asked. */
    private void overwritten(int frame) {
        if (waitingCount != 0) {
            synchronized (this) {
                if ((waiting[frame >>> 6] & (1L << frame)) != 0) {
                    settle(frame);
                }
            }
        }
    }

    private void settle(int frame) {
        waiting[frame >>> 6] &= ~(1L << frame);
        if (--waitingCount == 0) {
            contents = null; // what it kept (a recovery's log reader) is needed no more
        }
    }

    /** Pages in every frame of bytes {@code [physicalAddress, physicalAddress + length)} that waits. */
    private void pageIn(long physicalAddress, long length) {
        if (waitingCount == 0 || length <= 0) {
            return;
        }
        for (long f = physicalAddress >>> 12; f <= (physicalAddress + length - 1) >>> 12; f++) {
            pageIn((int) f);
        }
    }

    @Override
    public int frames() {
        return frames;
    }

    /** Size of the region in bytes. */
    public long bytes() {
        return bytes;
    }

    /** Host address of frame {@code frame}'s first byte (4 KiB aligned). */
    public long hostAddress(int frame) {
        checkFrame(frame);
        pageIn(frame);
        return Pointer.nativeValue(base) + (long) frame * PAGE_SIZE;
    }

    /**
     * Called with the frame before user code's first write through a clean page lands (the engine's write-protect
     * stop that sets the D bit, {@code Engine.markDirty}): a checkpoint's copy-on-write copies the frame there. Clearing
     * D and INVLPG ({@link X86AddressSpace#clearDirty}) arms it again. The listener may block; it runs on the thread
     * that runs the CPU, between two runs of the engine.
     */
    public void onFirstWrite(java.util.function.IntConsumer listener) {
        this.firstWrite = listener == null ? frame -> {} : listener;
    }

    /** User code is about to write {@code frame} through a clean page. */
    void firstWrite(int frame) {
        DirtyFrames d = dirty;
        if (d != null) {
            d.written(frame);
        }
        firstWrite.accept(frame);
    }

    /**
     * Makes {@code d} the one tracker of written frames: told of user code's first write through a clean page (before
     * the {@link #onFirstWrite} listener) and of every write made from the host side.
     */
    void track(DirtyFrames d) {
        if (dirty != null && d != null) {
            throw new IllegalStateException("this memory's written frames are tracked already");
        }
        dirty = d;
    }

    /**
     * A read-only view of frame {@code frame}'s 4096 bytes where they lie (direct memory, position 0, limit 4096): no
     * copy, so what is written to the frame later shows through it. Valid until this memory is closed.
     */
    public ByteBuffer frameView(int frame) {
        checkFrame(frame);
        pageIn(frame);
        return base.getByteBuffer((long) frame * PAGE_SIZE, PAGE_SIZE).asReadOnlyBuffer();
    }

    @Override
    public byte readByte(long physicalAddress) {
        check(physicalAddress, 1);
        pageIn(physicalAddress, 1);
        return chunks[(int) (physicalAddress >>> CHUNK_SHIFT)].get((int) (physicalAddress & (CHUNK - 1)));
    }

    @Override
    public void writeByte(long physicalAddress, byte value) {
        check(physicalAddress, 1);
        pageIn(physicalAddress, 1);
        chunks[(int) (physicalAddress >>> CHUNK_SHIFT)].put((int) (physicalAddress & (CHUNK - 1)), value);
        noteHostWrite(physicalAddress);
    }

    @Override
    public int readInt(long physicalAddress) {
        check(physicalAddress, 4);
        pageIn(physicalAddress, 4);
        int chunk = (int) (physicalAddress >>> CHUNK_SHIFT);
        if (chunk == (int) ((physicalAddress + 3) >>> CHUNK_SHIFT)) {
            return chunks[chunk].getInt((int) (physicalAddress & (CHUNK - 1)));
        }
        int value = 0;
        for (int i = 3; i >= 0; i--) {
            value = (value << 8) | (readByte(physicalAddress + i) & 0xFF);
        }
        return value;
    }

    @Override
    public void writeInt(long physicalAddress, int value) {
        check(physicalAddress, 4);
        pageIn(physicalAddress, 4);
        int chunk = (int) (physicalAddress >>> CHUNK_SHIFT);
        if (chunk == (int) ((physicalAddress + 3) >>> CHUNK_SHIFT)) {
            chunks[chunk].putInt((int) (physicalAddress & (CHUNK - 1)), value);
            noteHostWrite(physicalAddress);
            noteHostWrite(physicalAddress + 3);
        } else {
            for (int i = 0; i < 4; i++) {
                writeByte(physicalAddress + i, (byte) (value >>> (8 * i)));
            }
        }
    }

    /** Copies {@code length} bytes from {@code source} into physical memory at {@code physicalAddress}. */
    public void write(long physicalAddress, byte[] source, int offset, int length) {
        check(physicalAddress, length);
        if (waitingCount != 0) {
            // a frame written whole is not asked for its contents; one written in part is paged in first
            for (long a = physicalAddress & -PAGE_SIZE; a < physicalAddress + length; a += PAGE_SIZE) {
                if (a >= physicalAddress && a + PAGE_SIZE <= physicalAddress + length) {
                    overwritten((int) (a >>> 12));
                } else {
                    pageIn((int) (a >>> 12));
                }
            }
        }
        base.write(physicalAddress, source, offset, length);
        for (long a = physicalAddress & -PAGE_SIZE; a < physicalAddress + length; a += PAGE_SIZE) {
            noteHostWrite(a);
        }
    }

    /** Copies {@code length} bytes of physical memory at {@code physicalAddress} into {@code target}. */
    public void read(long physicalAddress, byte[] target, int offset, int length) {
        check(physicalAddress, length);
        pageIn(physicalAddress, length);
        base.read(physicalAddress, target, offset, length);
    }

    @Override
    public void copyFrame(int fromFrame, int toFrame) {
        checkFrame(fromFrame);
        checkFrame(toFrame);
        pageIn(fromFrame);
        overwritten(toFrame);
        byte[] page = new byte[PAGE_SIZE];
        base.read((long) fromFrame * PAGE_SIZE, page, 0, PAGE_SIZE);
        base.write((long) toFrame * PAGE_SIZE, page, 0, PAGE_SIZE);
        noteHostWrite((long) toFrame * PAGE_SIZE);
    }

    @Override
    public void clearFrame(int frame) {
        checkFrame(frame);
        overwritten(frame);
        base.setMemory((long) frame * PAGE_SIZE, PAGE_SIZE, (byte) 0);
        noteHostWrite((long) frame * PAGE_SIZE);
    }

    /** Whether {@code frame} was written from the host side since the last {@link #drainHostWrites}. */
    public boolean hostWritten(int frame) {
        checkFrame(frame);
        return (hostWritten[frame >>> 6] & (1L << frame)) != 0;
    }

    /** Whether any frame was written from the host side since the last {@link #drainHostWrites}. */
    public boolean hasHostWrites() {
        return pendingCount > 0;
    }

    /** Hands each frame written from the host side since the last call to {@code sink}, once, and forgets them. */
    public void drainHostWrites(java.util.function.IntConsumer sink) {
        for (int i = 0; i < pendingCount; i++) {
            int frame = pendingWrites[i];
            hostWritten[frame >>> 6] &= ~(1L << frame);
            sink.accept(frame);
        }
        pendingCount = 0;
    }

    private void noteHostWrite(long physicalAddress) {
        int frame = (int) (physicalAddress >>> 12);
        DirtyFrames d = dirty;
        if (d != null) {
            d.written(frame); // every time: the tracker may have drained the frame since the last host write
        }
        long bit = 1L << frame;
        if ((hostWritten[frame >>> 6] & bit) == 0) {
            hostWritten[frame >>> 6] |= bit;
            if (pendingCount == pendingWrites.length) {
                pendingWrites = java.util.Arrays.copyOf(pendingWrites, pendingCount * 2);
            }
            pendingWrites[pendingCount++] = frame;
        }
    }

    private void check(long physicalAddress, long length) {
        if (closed) {
            throw new IllegalStateException("physical memory was closed");
        }
        if (physicalAddress < 0 || length < 0 || physicalAddress + length > bytes) {
            throw new IndexOutOfBoundsException(String.format(
                    "physical access of %d bytes at 0x%x is outside memory of 0x%x bytes",
                    length, physicalAddress, bytes));
        }
    }

    private void checkFrame(int frame) {
        if (closed) {
            throw new IllegalStateException("physical memory was closed");
        }
        if (frame < 0 || frame >= frames) {
            throw new IndexOutOfBoundsException("frame " + frame + " is outside memory of " + frames + " frames");
        }
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            HostMemory.unmap(base, bytes);
        }
    }
}
