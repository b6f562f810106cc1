package dev.ladle.x86;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ladle.kernel.hw.Reg;
import dev.ladle.kernel.hw.Stop;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class UnicornCpuTest {
    private static final Reg[] WORDS = {Reg.EBX, Reg.ECX, Reg.EDX, Reg.ESI, Reg.EDI, Reg.EBP};
    private final X86Platform platform = new X86Platform(X86Platform.Config.ofMemory(16L << 20));

    @AfterEach
    void close() {
        platform.close();
    }

    private Stop run(Programs.Process p, long budget) {
        return platform.cpu().run(p.space, p.regs, budget);
    }

    @Test
    void intTrapsWithWordsInRegistersAndTakesTheReplyFromThem() {
        Programs.Process p = new Programs.Process(platform, "trap_loop", 0);
        Stop first = run(p, 100_000);
        assertEquals(new Stop.Trap(0x30), first);
        assertEquals(0x0101, p.regs.get(Reg.EAX));
        for (int i = 0; i < 6; i++) {
            assertEquals(i + 1, p.regs.get(WORDS[i]), WORDS[i].name());
        }
        int eip = p.regs.get(Reg.EIP);
        assertEquals(0xCD, platform.memory().readByte(physical(p, eip - 2)) & 0xFF, "EIP is after int $0x30");
        assertEquals(0x30, platform.memory().readByte(physical(p, eip - 1)) & 0xFF);
        p.regs.set(Reg.EAX, 10);
        for (int i = 0; i < 6; i++) {
            p.regs.set(WORDS[i], 100 + i);
        }
        assertEquals(new Stop.Trap(0x30), run(p, 100_000));
        assertEquals(0x0101, p.regs.get(Reg.EAX));
        for (int i = 0; i < 6; i++) {
            assertEquals(110 + i, p.regs.get(WORDS[i]), "reply word plus result code in " + WORDS[i]);
        }
        assertEquals(eip, p.regs.get(Reg.EIP), "the loop traps at the same instruction");
        assertTrue(platform.cpu().lastInstructionCount() > 10);
    }

    private long physical(Programs.Process p, int va) {
        return ((long) p.space.frameOf(va >>> 12) << 12) | (va & 0xFFF);
    }
}
