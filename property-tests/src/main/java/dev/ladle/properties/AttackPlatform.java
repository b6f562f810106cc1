package dev.ladle.properties;

import dev.ladle.kernel.hw.AddressSpace;
import dev.ladle.kernel.hw.PageFault;
import dev.ladle.kernel.hw.Platform;
import dev.ladle.kernel.hw.RegisterFile;
import dev.ladle.kernel.hw.Stop;
import java.util.List;
import java.util.Map;

/** A platform an {@link Attack} runs on: its CPU issues the adversary's system calls (and memory accesses). */
interface AttackPlatform extends Platform {
    /** What a thread does when it is scheduled: fills its registers for one move, or says it is done. */
    interface Program {
        /**
         * The move the scheduled thread makes, its registers loaded ({@code regs}); null when the adversary has none
         * left (the CPU then reports a halt).
         */
        Move next(RegisterFile regs);
    }

    /** The program every scheduled thread runs. */
    void program(Program p);

    /** Every address space's mappings (virtual page to frame), in creation order (for before/after comparisons). */
    default List<Map<Integer, Integer>> mappings() {
        return mappings(null);
    }

    /**
     * As {@link #mappings()}, but {@code except}'s mappings left out (an empty map in its place; null: none left out):
     * the checkpointer's address space, whose snapshot pages come and go between the steps of the attack.
     */
    List<Map<Integer, Integer>> mappings(dev.ladle.kernel.hw.AddressSpace except);

    /** The image of the islands' processes ({@code one.elf}), in this platform's executable format. */
    byte[] image();

    /** Whether the CPU runs memory accesses ({@link Access}) as real instructions; without it, system calls only. */
    default boolean runsAccesses() {
        return false;
    }

    /** How the CPU stopped in its last run. */
    default Stop lastStop() {
        throw new UnsupportedOperationException("this platform runs no user code");
    }

    /** Where the instruction of an access of {@code kind} lies (EIP at a fault of it). */
    default int instructionOf(Access.Kind kind) {
        throw new UnsupportedOperationException("this platform runs no user code");
    }

    /** Where the {@code int 0x30} of a call lies. */
    default int trapInstruction() {
        throw new UnsupportedOperationException("this platform runs no user code");
    }

    /**
     * The bytes the CPU runs for a move whose instruction lies at {@code instruction} ({@link #trapInstruction()} or
     * {@link #instructionOf}): the instruction and what the move's budget runs after it, as the image holds them.
     */
    default byte[] instructionBytes(int instruction) {
        throw new UnsupportedOperationException("this platform runs no user code");
    }

    /**
     * What the processor must do with an access of {@code size} bytes at {@code address} in {@code space}, read off
     * the page tables as they stand: the physical address it reaches, or the page fault (CR2 and error code).
     */
    default Expected expect(AddressSpace space, int address, boolean write) {
        throw new UnsupportedOperationException("this platform runs no user code");
    }

    /** The SDM's verdict on an access: a physical address ({@code fault} null) or a page fault, and why. */
    record Expected(long physical, PageFault fault, String why) {}

    /** A copy of the bytes of every frame the kernel hands out (frames below {@link #userFrames()}). */
    default byte[] userMemory() {
        byte[] all = new byte[userFrames() * dev.ladle.kernel.hw.PhysicalMemory.PAGE_SIZE];
        for (int i = 0; i < all.length; i++) {
            all[i] = memory().readByte(i);
        }
        return all;
    }
}
