package dev.ladle.x86;

import java.util.ArrayList;
import java.util.List;
import java.util.function.IntUnaryOperator;

/**
 * A few Unicorn engines shared by all address spaces. An engine costs about 3 MB resident, 1 GB of reserved address
 * space and 1 to 5 ms to open, so there is no engine per process: a space that is not mirrored by any engine takes
 * the least recently used one, which drops its previous space's pages and maps the new one's.
 */
final class EnginePool implements AutoCloseable {
    private final X86PhysicalMemory memory;
    private final int capacity;
    private final List<Engine> engines = new ArrayList<>();
    private long clock;
    private long rebinds;
    private long replaced;

    private final IntUnaryOperator mirroredPte;

    EnginePool(X86PhysicalMemory memory, int capacity, IntUnaryOperator mirroredPte) {
        if (capacity < 1) {
            throw new IllegalArgumentException("the engine pool needs at least one engine: " + capacity);
        }
        this.memory = memory;
        this.capacity = capacity;
        this.mirroredPte = mirroredPte;
    }

    /** An engine mirroring {@code space}, opened or rebound as needed. */
    Engine acquire(X86AddressSpace space) {
        Engine engine = space.mirror();
        if (engine == null) {
            if (engines.size() < capacity) {
                engine = new Engine(memory, mirroredPte);
                engines.add(engine);
            } else {
                engine = engines.get(0);
                for (Engine e : engines) {
                    if (e.lastUse() < engine.lastUse()) {
                        engine = e;
                    }
                }
            }
            engine.bind(space);
            rebinds++;
        }
        if (memory.hasHostWrites()) {
            for (Engine e : engines) {
                e.dropCodeOfHostWrittenFrames();
            }
            memory.drainHostWrites(frame -> {});
        }
        return engine;
    }

    /** Every engine drops the space it mirrors: each space is mapped again on its next run. */
    void unbindAll() {
        for (Engine e : engines) {
            e.unbind();
        }
    }

    /** Closes {@code engine} and forgets it; its space is mapped into another engine on its next run. */
    void replace(Engine engine) {
        engines.remove(engine);
        engine.close();
        replaced++;
    }

    /** Engines closed because they took a CPU exception. */
    long replaced() {
        return replaced;
    }

    long tick() {
        return ++clock;
    }

    /** Engines opened so far. */
    int opened() {
        return engines.size();
    }

    /** Times a space was (re)mapped into an engine. */
    long rebinds() {
        return rebinds;
    }

    @Override
    public void close() {
        for (Engine e : engines) {
            e.close();
        }
        engines.clear();
    }
}
