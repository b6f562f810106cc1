package dev.ladle.bench;

import dev.ladle.kernel.hw.ImageLoader;
import dev.ladle.kernel.hw.Reg;
import dev.ladle.kernel.hw.Stop;
import dev.ladle.x86.X86AddressSpace;
import dev.ladle.x86.X86Platform;
import dev.ladle.x86.X86Registers;
import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The x86 target's costs, each beside a baseline measured in the same run: a kernel read of user memory through a
 * TLB hit, through a full two-level walk (INVLPG before every read), and as a plain physical read; an {@code int 0x30}
 * round trip through Unicorn (the {@code trap_loop} program: registers in, about 25 instructions, trap, registers out),
 * the smallest possible trap (a two-instruction loop around {@code int 0x30}), and the same six-word register handoff
 * done in Java alone.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class X86Bench {
    private static final int VA = 0x0040_0000;
    private static final Reg[] WORDS = {Reg.EBX, Reg.ECX, Reg.EDX, Reg.ESI, Reg.EDI, Reg.EBP};

    private X86Platform platform;
    private X86AddressSpace space;
    private X86AddressSpace loop;
    private X86Registers loopRegs;
    private X86AddressSpace tight;
    private X86Registers tightRegs;
    private final X86Registers javaFrom = new X86Registers();
    private final X86Registers javaTo = new X86Registers();
    private int nextFrame;
    private int offset;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        platform = new X86Platform(X86Platform.Config.ofMemory(16L << 20));
        space = platform.newAddressSpace();
        space.map(VA >>> 12, nextFrame++, true);
        space.read32(VA);

        loop = platform.newAddressSpace();
        byte[] image;
        try (InputStream in = X86Bench.class.getResourceAsStream("/userland/trap_loop.elf")) {
            image = in.readAllBytes();
        }
        ImageLoader.Loaded loaded =
                (ImageLoader.Loaded) platform.imageLoader().load(image, loop, (vpn, w) -> nextFrame++);
        loop.map((0xC000_0000 >>> 12) - 1, nextFrame++, true);
        loopRegs = new X86Registers();
        loopRegs.set(Reg.EIP, loaded.entry());
        loopRegs.set(Reg.ESP, 0xC000_0000);

        tight = platform.newAddressSpace();
        int frame = nextFrame++;
        int[] code = {0xCD, 0x30, 0xEB, 0xFC}; // int 0x30 ; jmp back to it
        for (int i = 0; i < code.length; i++) {
            platform.memory().writeByte(((long) frame << 12) + i, (byte) code[i]);
        }
        tight.map(0x1000, frame, false);
        tightRegs = new X86Registers();
        tightRegs.set(Reg.EIP, 0x100_0000);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        platform.close();
    }

    @Benchmark
    public int physicalRead() {
        offset = (offset + 4) & 0xFFC;
        return platform.memory().readInt(offset);
    }

    @Benchmark
    public int tlbHit() {
        offset = (offset + 4) & 0xFFC;
        return space.read32(VA + offset).value();
    }

    @Benchmark
    public int fullWalk() {
        offset = (offset + 4) & 0xFFC;
        platform.mmu().invlpg(VA);
        return space.read32(VA + offset).value();
    }

    @Benchmark
    public int trapRoundTrip() {
        loopRegs.set(Reg.EAX, 1);
        Stop stop = platform.cpu().run(loop, loopRegs, 1_000);
        if (!(stop instanceof Stop.Trap)) {
            throw new IllegalStateException("expected a trap: " + stop);
        }
        return loopRegs.get(Reg.EBX);
    }

    @Benchmark
    public int minimalTrap() {
        Stop stop = platform.cpu().run(tight, tightRegs, 1_000);
        if (!(stop instanceof Stop.Trap)) {
            throw new IllegalStateException("expected a trap: " + stop);
        }
        return tightRegs.get(Reg.EIP);
    }

    @Benchmark
    public int javaRegisterHandoff() {
        for (Reg r : WORDS) {
            javaTo.set(r, javaFrom.get(r) + 1);
        }
        javaTo.set(Reg.EAX, 0);
        return javaTo.get(Reg.EBX);
    }
}
