package dev.ladle.x86;

import dev.ladle.kernel.hw.AddressSpace;
import dev.ladle.kernel.hw.Cpu;
import dev.ladle.kernel.hw.RegisterFile;
import dev.ladle.kernel.hw.Stop;

/**
 * The {@link Cpu} of the x86 target: runs user code of an {@link X86AddressSpace} on a pooled Unicorn engine that
 * mirrors that space's page tables (see {@link Engine}). Every run loads and stores all ten registers of the
 * {@link RegisterFile}, so a thread's state lives in the kernel's thread object between runs, never in an engine.
 */
public final class UnicornCpu implements Cpu, AutoCloseable {
    private final EnginePool pool;
    private long lastInstructionCount;
    private long totalInstructions;
    private long pagedIn;

    UnicornCpu(EnginePool pool) {
        this.pool = pool;
    }

    @Override
    public Stop run(AddressSpace space, RegisterFile regs, long maxInstructions) {
        if (!(space instanceof X86AddressSpace x86)) {
            throw new IllegalArgumentException("not an x86 address space: " + space);
        }
        Engine engine = pool.acquire(x86);
        long before = engine.pagedIn();
        Stop stop = engine.run(regs, maxInstructions, pool.tick());
        pagedIn += engine.pagedIn() - before;
        lastInstructionCount = engine.lastInstructionCount();
        totalInstructions += lastInstructionCount;
        if (engine.exceptionTaken()) {
            pool.replace(engine);
        }
        return stop;
    }

    @Override
    public long lastInstructionCount() {
        return lastInstructionCount;
    }

    /** Instructions retired by every run so far. */
    public long totalInstructions() {
        return totalInstructions;
    }

    /**
     * Frames user code paged in: it touched a present page whose frame waited for its contents ({@link
     * X86Platform#awaitContents}), and the run went on once the frame was paged in and mapped.
     */
    public long framesPagedIn() {
        return pagedIn;
    }

    /** Engines opened so far (at most the pool's size). */
    public int enginesOpened() {
        return pool.opened();
    }

    /** Times an address space was mapped into an engine (first run and every switch that found it unmapped). */
    public long rebinds() {
        return pool.rebinds();
    }

    /** Engines closed and replaced after a CPU exception (see {@code Engine.exceptionTaken}). */
    public long enginesReplaced() {
        return pool.replaced();
    }

    @Override
    public void close() {
        pool.close();
    }
}
