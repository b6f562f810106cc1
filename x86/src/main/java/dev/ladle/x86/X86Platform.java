package dev.ladle.x86;

import dev.ladle.kernel.hw.AddressSpace;
import dev.ladle.kernel.hw.ImageLoader;
import dev.ladle.kernel.hw.Platform;
import java.util.function.IntUnaryOperator;

/**
 * The IA-32 target: {@link X86PhysicalMemory}, address spaces as SDM page tables ({@link X86AddressSpace}), the
 * software {@link Mmu} for the kernel's accesses, a {@link UnicornCpu} over a small engine pool, and the
 * {@link Elf32Loader}. The top {@link Config#tableFrames} frames of memory hold page directories and tables; the
 * frames below are the kernel's ({@link #userFrames}).
 */
public final class X86Platform implements Platform {
    /**
     * Sizes: physical memory in bytes, frames kept for page tables, Unicorn engines in the pool.
     *
     * @param memoryBytes a multiple of 4096, default 64 MiB
     * @param tableFrames frames reserved at the top of memory for page directories and tables
     * @param engines Unicorn engines in the pool
     */
    public record Config(long memoryBytes, int tableFrames, int engines) {
        public Config {
            long frames = memoryBytes / X86PhysicalMemory.PAGE_SIZE;
            if (tableFrames < 1 || tableFrames >= frames) {
                throw new IllegalArgumentException(
                        "tableFrames must be between 1 and " + (frames - 1) + ": " + tableFrames);
            }
        }

        /** 64 MiB, a sixteenth of it for page tables, two engines. */
        public static Config defaults() {
            return ofMemory(X86PhysicalMemory.DEFAULT_BYTES);
        }

        /** {@code memoryBytes} with a sixteenth of it for page tables and two engines. */
        public static Config ofMemory(long memoryBytes) {
            return new Config(memoryBytes, (int) Math.max(2, memoryBytes / X86PhysicalMemory.PAGE_SIZE / 16), 2);
        }
    }

    private final X86PhysicalMemory memory;
    private final TableFrames tableFrames;
    private final Mmu mmu;
    private final EnginePool pool;
    private final UnicornCpu cpu;
    private final Elf32Loader loader;
    private final FrameMappings mappings;

    public X86Platform() {
        this(Config.defaults());
    }

    public X86Platform(Config config) {
        this(config, IntUnaryOperator.identity());
    }

    /**
     * A platform whose engines mirror each page-table entry as {@code mirroredPte} rewrites it, for tests only: the
     * identity is the processor's behaviour ({@link #X86Platform(Config)}); a test gives a wrong mirroring (say, a
     * read-only entry mirrored writable) to show that its checks catch an engine out of step with the page tables.
     * The page tables themselves, the kernel's software walk and the dirty-bit handling still read the real entry.
     */
    public X86Platform(Config config, IntUnaryOperator mirroredPte) {
        this.memory = new X86PhysicalMemory(config.memoryBytes());
        int first = memory.frames() - config.tableFrames();
        this.tableFrames = new TableFrames(first, config.tableFrames());
        this.mmu = new Mmu(memory);
        this.pool = new EnginePool(memory, config.engines(), mirroredPte);
        this.cpu = new UnicornCpu(pool);
        this.loader = new Elf32Loader(memory);
        this.mappings = new FrameMappings(memory.frames());
    }

    @Override
    public X86PhysicalMemory memory() {
        return memory;
    }

    @Override
    public X86AddressSpace newAddressSpace() {
        return new X86AddressSpace(this);
    }

    @Override
    public void destroy(AddressSpace space) {
        if (!(space instanceof X86AddressSpace x86)) {
            throw new IllegalArgumentException("not an x86 address space: " + space);
        }
        x86.destroy();
    }

    /** The Unicorn-backed CPU; the first run opens an engine and fails with what to install if Unicorn is absent. */
    @Override
    public UnicornCpu cpu() {
        return cpu;
    }

    @Override
    public int userFrames() {
        return tableFrames.first();
    }

    @Override
    public ImageLoader imageLoader() {
        return loader;
    }

    /**
     * Frames {@code [0, count)} wait for their contents, each given by {@code contents.apply(frame)} (null: zeros) on
     * its first touch ({@link X86PhysicalMemory#awaitContents}): by the kernel through the memory, by user code through
     * an engine, which mirrors no waiting frame and pages one in when user code first touches it. Every engine drops
     * what it mirrors now (a page mirrored before would show the frame's old bytes).
     */
    public void awaitContents(int count, java.util.function.IntFunction<byte[]> contents) {
        pool.unbindAll();
        memory.awaitContents(count, contents);
    }

    /** The software MMU (CR3, TLB, walk) used for the kernel's accesses to user memory. */
    public Mmu mmu() {
        return mmu;
    }

    /** Which page-table entries name each frame (kept as entries are written). */
    FrameMappings mappings() {
        return mappings;
    }

    /**
     * Arms every writable 4 KiB entry naming a frame of {@code frames} (its D bit cleared, with INVLPG), so the next
     * write to it through any mapping stops the engine and is reported ({@link X86PhysicalMemory#onFirstWrite}) before
     * it lands. Costs the reverse map's entries (or those of the frames given, when they are fewer), never a walk of
     * the page tables nor of memory. Returns how many entries were armed. Called by the thread that edits the page
     * tables (the system's lock held).
     */
    public int armWrites(java.util.BitSet frames) {
        int[] armed = {0};
        FrameMappings.Visitor arm = (space, vpn) -> {
            int pte = space.pte(vpn);
            if (PteField.DIRTY.isSet(pte) && frames.get(PteField.FRAME.get(pte)) && space.clearDirty(vpn)) {
                armed[0]++;
            }
        };
        if (frames.cardinality() < mappings.size()) {
            for (int f = frames.nextSetBit(0); f >= 0; f = frames.nextSetBit(f + 1)) {
                mappings.forEach(f, arm);
            }
        } else {
            mappings.forEachMapping(arm);
        }
        return armed[0];
    }

    /** How many present 4 KiB entries of live address spaces name {@code frame} (the reverse map's count). */
    public int mappingsOf(int frame) {
        return mappings.mappings(frame);
    }

    TableFrames tableFrames() {
        return tableFrames;
    }

    /** Page-table frames in use (directories and tables of live address spaces). */
    public int tableFramesInUse() {
        return tableFrames.inUse();
    }

    @Override
    public void close() {
        cpu.close();
        memory.close();
    }
}
