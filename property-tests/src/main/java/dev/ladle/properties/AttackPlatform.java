package dev.ladle.properties;

import dev.ladle.kernel.hw.Platform;
import dev.ladle.kernel.hw.RegisterFile;
import java.util.List;
import java.util.Map;

/** A platform an {@link Attack} runs on: its CPU issues the adversary's system calls. */
interface AttackPlatform extends Platform {
    /** What a thread does when it is scheduled: fills its registers for one system call, or says it is done. */
    interface Program {
        /** Returns false when the adversary has no call left (the CPU then reports a halt). */
        boolean next(RegisterFile regs);
    }

    /** The program every scheduled thread runs. */
    void program(Program p);

    /** Every address space's mappings (virtual page to frame), in creation order (for before/after comparisons). */
    List<Map<Integer, Integer>> mappings();

    /** The image of the islands' processes ({@code one.elf}), in this platform's executable format. */
    byte[] image();
}
