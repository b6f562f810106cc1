package dev.ladle.x86;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ladle.kernel.hw.PageFault;
import dev.ladle.kernel.hw.Reg;
import dev.ladle.kernel.hw.Stop;
import java.util.Arrays;
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

    private int code(Programs.Process p, int va) {
        return platform.memory().readByte(physical(p, va)) & 0xFF;
    }

    private long physical(Programs.Process p, int va) {
        return ((long) p.space.frameOf(va >>> 12) << 12) | (va & 0xFFF);
    }

    private static final int CODE = 0x0100_0000;

    /** A space with {@code code} on a page of its own at {@link #CODE} (frame 1), EIP there. */
    private X86Registers rawCode(X86AddressSpace space, int... code) {
        platform.memory().clearFrame(1);
        for (int i = 0; i < code.length; i++) {
            platform.memory().writeByte((1L << 12) + i, (byte) code[i]);
        }
        space.map(CODE >>> 12, 1, false);
        X86Registers regs = new X86Registers();
        regs.set(Reg.EIP, CODE);
        return regs;
    }

    // mov dword [0x50000000], 0xdeadbeef ; mov eax, [0x60000000] ; int 0x30
    private static final int[] WRITE_THEN_READ_ALIAS = {
        0xC7, 0x05, 0x00, 0x00, 0x00, 0x50, 0xEF, 0xBE, 0xAD, 0xDE, 0xA1, 0x00, 0x00, 0x00, 0x60, 0xCD, 0x30
    };

    @Test
    void aWriteThroughOneMappingIsSeenThroughAnotherAndInPhysicalMemory() {
        X86AddressSpace space = platform.newAddressSpace();
        X86Registers regs = rawCode(space, WRITE_THEN_READ_ALIAS);
        space.map(0x50000, 7, true);
        space.map(0x60000, 7, false);
        assertEquals(new Stop.Trap(0x30), platform.cpu().run(space, regs, 100));
        assertEquals(0xDEADBEEF, regs.get(Reg.EAX));
        assertEquals(0xDEADBEEF, platform.memory().readInt(7L << 12));
        assertEquals(3, platform.cpu().lastInstructionCount());
    }

    @Test
    void theFirstWriteByUserCodeSetsDirtyAsTheProcessorDoes() {
        X86AddressSpace space = platform.newAddressSpace();
        X86Registers regs = rawCode(space, WRITE_THEN_READ_ALIAS);
        space.map(0x50000, 7, true);
        space.map(0x60000, 7, false);
        assertEquals(new Stop.Trap(0x30), platform.cpu().run(space, regs, 100));
        assertEquals(3, platform.cpu().lastInstructionCount(), "the restarted write is counted once");
        assertTrue(PteField.DIRTY.isSet(space.pte(0x50000)) && PteField.ACCESSED.isSet(space.pte(0x50000)));
        assertEquals(false, PteField.DIRTY.isSet(space.pte(0x60000)), "only read through the other alias");
        // a checkpoint clears D and invalidates: the next write sets it again and lands
        space.writePte(0x50000, PteField.DIRTY.with(space.pte(0x50000), false));
        space.invlpg(0x5000_0000);
        platform.memory().writeInt(7L << 12, 0);
        regs.set(Reg.EIP, CODE);
        assertEquals(new Stop.Trap(0x30), platform.cpu().run(space, regs, 100));
        assertTrue(PteField.DIRTY.isSet(space.pte(0x50000)));
        assertEquals(0xDEADBEEF, platform.memory().readInt(7L << 12));
        // a budget that ends on the restarted write still counts exactly
        space.writePte(0x50000, PteField.DIRTY.with(space.pte(0x50000), false));
        space.invlpg(0x5000_0000);
        regs.set(Reg.EIP, CODE);
        assertEquals(new Stop.Preempted(1), platform.cpu().run(space, regs, 1));
        assertEquals(CODE + 10, regs.get(Reg.EIP));
        assertEquals(new Stop.Trap(0x30), platform.cpu().run(space, regs, 100));
        assertEquals(2, platform.cpu().lastInstructionCount());
    }

    @Test
    void theFirstWriteToACleanPageIsReportedBeforeItLandsAndClearDirtyArmsItAgain() {
        X86AddressSpace space = platform.newAddressSpace();
        X86Registers regs = rawCode(space, WRITE_THEN_READ_ALIAS);
        space.map(0x50000, 7, true);
        space.map(0x60000, 7, false);
        platform.memory().writeInt(7L << 12, 0x1234);
        java.util.List<String> seen = new java.util.ArrayList<>();
        platform.memory()
                .onFirstWrite(f ->
                        seen.add(f + ":" + Integer.toHexString(platform.memory().readInt((long) f << 12))));
        try {
            assertEquals(new Stop.Trap(0x30), platform.cpu().run(space, regs, 100));
            assertEquals(java.util.List.of("7:1234"), seen, "reported once, with the frame as it was before the write");
            assertEquals(0xDEADBEEF, platform.memory().readInt(7L << 12), "then the write landed");
            regs.set(Reg.EIP, CODE);
            assertEquals(new Stop.Trap(0x30), platform.cpu().run(space, regs, 100));
            assertEquals(1, seen.size(), "a dirty page's writes are not reported");
            assertTrue(space.clearDirty(0x50000));
            assertEquals(false, PteField.DIRTY.isSet(space.pte(0x50000)));
            assertEquals(false, space.clearDirty(0x60000), "a read-only page is left alone");
            regs.set(Reg.EIP, CODE);
            assertEquals(new Stop.Trap(0x30), platform.cpu().run(space, regs, 100));
            assertEquals(java.util.List.of("7:1234", "7:deadbeef"), seen, "armed again by clearDirty");
            assertEquals(3, platform.cpu().lastInstructionCount(), "the restarted write is counted once");
        } finally {
            platform.memory().onFirstWrite(null);
        }
    }

    @Test
    void anAccessAfterUnmapFaultsWithTheSdmErrorCodeAndCr2() {
        X86AddressSpace space = platform.newAddressSpace();
        X86Registers regs = rawCode(space, WRITE_THEN_READ_ALIAS);
        space.map(0x50000, 7, true);
        space.map(0x60000, 7, false);
        assertEquals(new Stop.Trap(0x30), platform.cpu().run(space, regs, 100));
        space.unmap(0x60000);
        regs.set(Reg.EIP, CODE);
        Stop stop = platform.cpu().run(space, regs, 100);
        assertEquals(new Stop.Fault(new PageFault(0x6000_0000, PageFault.USER)), stop);
        assertEquals(CODE + 10, regs.get(Reg.EIP), "EIP at the faulting instruction, so it can be restarted");
        assertEquals(1, platform.cpu().lastInstructionCount(), "the faulting instruction did not retire");
        space.unmap(0x50000);
        regs.set(Reg.EIP, CODE);
        assertEquals(
                new Stop.Fault(new PageFault(0x5000_0000, PageFault.USER | PageFault.WRITE)),
                platform.cpu().run(space, regs, 100));
        space.map(0x50000, 8, false);
        regs.set(Reg.EIP, CODE);
        assertEquals(
                new Stop.Fault(new PageFault(0x5000_0000, PageFault.USER | PageFault.WRITE | PageFault.PRESENT)),
                platform.cpu().run(space, regs, 100),
                "write to a read-only page");
        space.writePte(
                0x50000, PteField.USER_SUPERVISOR.with(PteField.READ_WRITE.with(space.pte(0x50000), true), false));
        space.invlpg(0x5000_0000);
        regs.set(Reg.EIP, CODE);
        assertEquals(
                new Stop.Fault(new PageFault(0x5000_0000, PageFault.USER | PageFault.WRITE | PageFault.PRESENT)),
                platform.cpu().run(space, regs, 100),
                "user write to a supervisor page");
    }

    @Test
    void aPagerMapsTheFaultingPageAndTheThreadContinues() {
        Programs.Process p = new Programs.Process(platform, "faults", 0);
        assertEquals(new Stop.Trap(0x30), run(p, 10_000));
        assertEquals(2, p.regs.get(Reg.EAX));
        p.regs.set(Reg.EAX, 0); // write to an unmapped page
        Stop stop = run(p, 10_000);
        assertEquals(new Stop.Fault(new PageFault(0x4000_0000, PageFault.USER | PageFault.WRITE)), stop);
        int frame = p.allocateFrame();
        p.space.map(0x40000, frame, true);
        assertEquals(new Stop.Trap(0x30), run(p, 10_000));
        assertEquals(3, p.regs.get(Reg.EAX));
        assertEquals(0x1234, p.regs.get(Reg.EBX), "the restarted store landed");
        assertEquals(0x1234, platform.memory().readInt((long) frame << 12));
    }

    @Test
    void faultsOfEveryKindStopOnlyTheThreadAndTheEngineGoesOn() {
        for (int kind = 1; kind <= 6; kind++) {
            Programs.Process p = new Programs.Process(platform, "faults", 100 * kind);
            assertEquals(new Stop.Trap(0x30), run(p, 10_000));
            p.regs.set(Reg.EAX, kind);
            Stop stop = run(p, 10_000);
            switch (kind) {
                case 1 -> assertEquals(new Stop.Fault(new PageFault(0x4000_0000, PageFault.USER)), stop);
                case 2 -> {
                    Stop.Fault f = assertInstanceOf(Stop.Fault.class, stop);
                    assertEquals(
                            PageFault.USER | PageFault.WRITE | PageFault.PRESENT,
                            f.fault().errorCode());
                    assertEquals(p.loaded.entry() >>> 12, f.fault().cr2() >>> 12, "a code page");
                }
                case 3 -> {
                    assertEquals(new Stop.Fault(new PageFault(0x5000_0000, PageFault.USER)), stop);
                    assertEquals(0x5000_0000, p.regs.get(Reg.EIP));
                }
                case 4 -> {
                    Stop.BadInstruction b = assertInstanceOf(Stop.BadInstruction.class, stop);
                    assertEquals(0x0F, code(p, b.eip()), "EIP at ud2: " + b);
                    assertEquals(0x0B, code(p, b.eip() + 1));
                    assertEquals(b.eip(), p.regs.get(Reg.EIP));
                }
                case 5 -> assertEquals(new Stop.Trap(0x80), stop, "int with another vector: the kernel decides");
                case 6 -> {
                    Stop.BadInstruction b = assertInstanceOf(Stop.BadInstruction.class, stop);
                    assertTrue(b.reason().contains("#DE"), b.reason());
                    assertEquals(0xF7, code(p, b.eip()), "EIP at the div: " + b);
                    assertEquals(b.eip(), p.regs.get(Reg.EIP));
                }
                default -> throw new AssertionError();
            }
            // the same engine still runs other code correctly
            Programs.Process healthy = new Programs.Process(platform, "trap_loop", 100 * kind + 50);
            assertEquals(new Stop.Trap(0x30), run(healthy, 100_000), "after fault kind " + kind);
            assertEquals(0x0101, healthy.regs.get(Reg.EAX));
        }
    }

    @Test
    void anInstructionReachingIntoAnUnmappedPageFaultsAndResumesExactly() {
        X86AddressSpace space = platform.newAddressSpace();
        X86Registers regs = rawCode(space, 0x90); // nop, then fall through to the page's end
        for (int i = 1; i < 0xFFE; i++) {
            platform.memory().writeByte((1L << 12) + i, (byte) 0x90);
        }
        platform.memory().writeByte((1L << 12) + 0xFFE, (byte) 0xB8); // mov eax, imm32: 2 bytes here, 3 beyond
        platform.memory().writeByte((1L << 12) + 0xFFF, (byte) 0x44);
        Stop stop = platform.cpu().run(space, regs, 10_000);
        assertEquals(new Stop.Fault(new PageFault(CODE + 0x1000, PageFault.USER)), stop);
        // Unicorn stops at the start of the translation block that needed the page, not at the mov itself:
        // the nops before EIP retired, none from EIP on (one byte each, so the count says where EIP must be)
        int eip = regs.get(Reg.EIP);
        assertTrue(eip > CODE && eip <= CODE + 0xFFE, Integer.toHexString(eip));
        assertEquals(eip - CODE, platform.cpu().lastInstructionCount(), "exactly the instructions before EIP");
        space.map((CODE >>> 12) + 1, 2, false);
        platform.memory().writeInt(2L << 12, 0x00CD_3322); // imm32 is 0x22334444; then int 0x30
        platform.memory().writeByte((2L << 12) + 3, (byte) 0xCD);
        platform.memory().writeByte((2L << 12) + 4, (byte) 0x30);
        assertEquals(new Stop.Trap(0x30), platform.cpu().run(space, regs, 10_000));
        assertEquals(0x0033_2244, regs.get(Reg.EAX) & 0x00FF_FFFF);
    }

    /**
     * A present page whose frame waits for its contents is not mirrored: user code's first touch of it (a fetch, a
     * write, a read) pages the frame in, maps it and goes on, with no fault for the kernel and the instructions
     * counted once; a budget that ends there still counts exactly. A frame whose contents cannot be given fails the
     * run with what its contents' function threw, and fails it again: it is never read as zeros.
     */
    @Test
    void userCodesFirstTouchOfAWaitingFramePagesItInAndTheRunGoesOnExactly() {
        // mov dword [0x50000000], 0xdeadbeef ; mov eax, [0x60000000] ; int 0x30
        X86AddressSpace space = platform.newAddressSpace();
        X86Registers regs = rawCode(space, WRITE_THEN_READ_ALIAS);
        space.map(0x50000, 7, true);
        space.map(0x60000, 8, false);
        byte[] code = new byte[4096];
        platform.memory().read(1L << 12, code, 0, code.length);
        byte[] data = new byte[4096];
        java.nio.ByteBuffer.wrap(data).order(java.nio.ByteOrder.LITTLE_ENDIAN).putInt(0, 0x12345678);
        platform.memory().writeInt(7L << 12, -1); // what frame 7 held before: it waits for zeros
        java.util.List<Integer> asked = new java.util.ArrayList<>();
        java.util.function.IntFunction<byte[]> contents = f -> {
            asked.add(f);
            return f == 1 ? code.clone() : f == 8 ? data.clone() : null;
        };
        platform.awaitContents(16, contents);
        assertEquals(new Stop.Trap(0x30), platform.cpu().run(space, regs, 100));
        assertEquals(0x12345678, regs.get(Reg.EAX), "frame 8's contents, paged in on the read");
        assertEquals(0xDEADBEEF, platform.memory().readInt(7L << 12), "the write landed on the paged-in frame");
        assertEquals(0, platform.memory().readInt((7L << 12) + 4), "frame 7 waited for zeros");
        assertEquals(3, platform.cpu().lastInstructionCount(), "each restarted instruction counted once");
        assertEquals(java.util.List.of(1, 7, 8), asked, "the code's frame, then the written one, then the read one");
        assertEquals(3, platform.cpu().framesPagedIn());
        assertTrue(PteField.DIRTY.isSet(space.pte(0x50000)), "the first write still sets D");

        // a budget of one instruction: the pages-in before the write retire nothing, the write is the one
        platform.awaitContents(16, contents);
        regs.set(Reg.EIP, CODE);
        assertEquals(new Stop.Preempted(1), platform.cpu().run(space, regs, 1));
        assertEquals(CODE + 10, regs.get(Reg.EIP));
        assertEquals(new Stop.Trap(0x30), platform.cpu().run(space, regs, 100));
        assertEquals(2, platform.cpu().lastInstructionCount());
        assertEquals(0x12345678, regs.get(Reg.EAX));

        // frame 8's contents are lost: the read fails the run with the reason, every time, never reading zeros
        platform.awaitContents(16, f -> {
            if (f == 8) {
                throw new IllegalStateException("frame 8: its record is not intact");
            }
            return f == 1 ? code.clone() : null;
        });
        regs.set(Reg.EIP, CODE);
        for (int i = 0; i < 2; i++) {
            IllegalStateException e = assertThrows(
                    IllegalStateException.class, () -> platform.cpu().run(space, regs, 100));
            assertEquals("frame 8: its record is not intact", e.getMessage());
            assertTrue(platform.memory().waits(8));
            regs.set(Reg.EIP, CODE);
        }
    }

    @Test
    void hltHalts() {
        X86AddressSpace space = platform.newAddressSpace();
        X86Registers regs = rawCode(space, 0x90, 0xF4); // nop ; hlt
        assertEquals(new Stop.Halted(), platform.cpu().run(space, regs, 100));
        assertEquals(CODE + 2, regs.get(Reg.EIP));
    }

    /**
     * User code runs in ring 3: privileged instructions fault the thread and leave the shared engine as it was.
     * (IN and OUT are not among them: Unicorn has no devices and does not check the I/O permission, so they do
     * nothing.)
     */
    @Test
    void privilegedInstructionsAreGeneralProtectionFaults() {
        int[][] programs = {
            {0x0F, 0x22, 0xC0}, // mov cr0, eax
            {0xFA}, // cli
            {0x0F, 0x01, 0x15, 0x00, 0x00, 0x00, 0x01}, // lgdt [0x01000000]
        };
        for (int[] program : programs) {
            X86AddressSpace space = platform.newAddressSpace();
            X86Registers regs = rawCode(space, program);
            regs.set(Reg.EAX, 0x10);
            Stop stop = platform.cpu().run(space, regs, 100);
            Stop.BadInstruction b =
                    assertInstanceOf(Stop.BadInstruction.class, stop, Arrays.toString(program) + ": " + stop);
            // one #GP after another: each in a fresh engine, or Unicorn would report the second as a double fault
            assertTrue(b.reason().contains("#GP"), Arrays.toString(program) + ": " + b.reason());
            assertEquals(CODE, b.eip());
            platform.destroy(space);
        }
        assertEquals(programs.length, platform.cpu().enginesReplaced());
        X86AddressSpace space = platform.newAddressSpace();
        X86Registers regs = rawCode(space, WRITE_THEN_READ_ALIAS);
        regs.set(Reg.EFLAGS, 0x3202); // IOPL 3 asked for by the kernel's thread object: not granted
        space.map(0x50000, 7, true);
        space.map(0x60000, 7, false);
        assertEquals(new Stop.Trap(0x30), platform.cpu().run(space, regs, 100));
        assertEquals(0xDEADBEEF, regs.get(Reg.EAX));
        assertEquals(0, regs.get(Reg.EFLAGS) & 0x3000, "IOPL stays 0");
    }

    /**
     * The engine's own pages (its descriptor table, the trampoline that entered ring 3) are in no address space, so to
     * user code they are not present: a read, a write or a jump there is a page fault with P = 0. A segment load reads
     * the descriptor table, so it faults too (on hardware, loading the kernel's data segment would be a #GP).
     */
    @Test
    void theEnginesOwnPagesAreNotPresentToUserCode() {
        int[][] programs = {
            {0x8B, 0x03}, // mov eax, [ebx]
            {0x89, 0x0B}, // mov [ebx], ecx
            {0xFF, 0xE3}, // jmp ebx
        };
        for (int address : new int[] {0xFFFF_E000, 0xFFFF_E018, 0xFFFF_F000, 0xFFFF_F800}) {
            for (int[] program : programs) {
                X86AddressSpace space = platform.newAddressSpace();
                X86Registers regs = rawCode(space, program);
                regs.set(Reg.EBX, address);
                Stop stop = platform.cpu().run(space, regs, 100);
                int write = program[0] == 0x89 ? PageFault.WRITE : 0;
                assertEquals(
                        new Stop.Fault(new PageFault(address, PageFault.USER | write)),
                        stop,
                        String.format("%s at 0x%08x", Arrays.toString(program), address));
                platform.destroy(space);
            }
        }
        X86AddressSpace space = platform.newAddressSpace();
        X86Registers regs = rawCode(space, 0x8E, 0xD8); // mov ds, eax (eax = 0x10: the kernel's data segment)
        regs.set(Reg.EAX, 0x10);
        assertEquals(
                new Stop.Fault(new PageFault(0xFFFF_E010, PageFault.USER)),
                platform.cpu().run(space, regs, 100));
        assertEquals(CODE, regs.get(Reg.EIP));
        // a null selector reads no descriptor: the engine puts the user data segment back for the next thread
        X86Registers nulled = rawCode(space, 0x8E, 0xD8, 0xCD, 0x30); // mov ds, eax (0); int 0x30
        nulled.set(Reg.EAX, 0);
        assertEquals(new Stop.Trap(0x30), platform.cpu().run(space, nulled, 100));
        X86Registers after = rawCode(space, WRITE_THEN_READ_ALIAS); // on the same engine
        space.map(0x50000, 7, true);
        space.map(0x60000, 7, false);
        assertEquals(new Stop.Trap(0x30), platform.cpu().run(space, after, 100));
        assertEquals(0xDEADBEEF, after.get(Reg.EAX));
    }

    @Test
    void codeRewrittenByTheKernelIsRetranslated() {
        X86AddressSpace space = platform.newAddressSpace();
        X86Registers regs = rawCode(space, 0xB8, 0x01, 0x00, 0x00, 0x00, 0xCD, 0x30); // mov eax, 1 ; int 0x30
        assertEquals(new Stop.Trap(0x30), platform.cpu().run(space, regs, 100));
        assertEquals(1, regs.get(Reg.EAX));
        platform.memory().writeByte((1L << 12) + 1, (byte) 2); // mov eax, 2
        regs.set(Reg.EIP, CODE);
        assertEquals(new Stop.Trap(0x30), platform.cpu().run(space, regs, 100));
        assertEquals(2, regs.get(Reg.EAX), "the engine dropped the translation of the rewritten page");
    }

    @Test
    void preemptedRunsResumeExactlyWhereTheyStopped() {
        Programs.Process whole = new Programs.Process(platform, "spin", 0);
        assertEquals(new Stop.Trap(0x30), run(whole, 10_000_000));
        long instructions = platform.cpu().lastInstructionCount();
        int h = 0x811C9DC5;
        int[] table = new int[256];
        for (int i = 0; i < 5000; i++) {
            h = (h ^ i) * 16777619;
            table[i & 255] += h;
        }
        int sum = 0;
        for (int t : table) {
            sum += t;
        }
        assertEquals(h, whole.regs.get(Reg.EBX));
        assertEquals(sum, whole.regs.get(Reg.ECX));

        Programs.Process sliced = new Programs.Process(platform, "spin", 200);
        long total = 0;
        int preemptions = 0;
        Stop stop;
        while ((stop = run(sliced, 37)) instanceof Stop.Preempted pre) {
            assertEquals(37, pre.instructions());
            assertEquals(37, platform.cpu().lastInstructionCount());
            total += 37;
            preemptions++;
        }
        assertEquals(new Stop.Trap(0x30), stop);
        total += platform.cpu().lastInstructionCount();
        assertEquals(instructions, total, "the same instructions, however the run is cut");
        assertEquals(h, sliced.regs.get(Reg.EBX));
        assertEquals(sum, sliced.regs.get(Reg.ECX));
        assertEquals(instructions / 37, preemptions);
    }

    @Test
    void moreProcessesThanEnginesShareThePool() {
        Programs.Process[] ps = new Programs.Process[5];
        for (int i = 0; i < ps.length; i++) {
            ps[i] = new Programs.Process(platform, "trap_loop", 100 * i);
        }
        for (int round = 0; round < 4; round++) {
            for (int i = 0; i < ps.length; i++) {
                Programs.Process p = ps[i];
                assertEquals(new Stop.Trap(0x30), run(p, 100_000));
                if (round == 0) {
                    assertEquals(1, p.regs.get(Reg.EBX));
                } else {
                    // the reply given last round was (1000 * i + round - 1) in EBX with result code i
                    assertEquals(1000 * i + (round - 1) + i, p.regs.get(Reg.EBX), "process " + i + " round " + round);
                }
                p.regs.set(Reg.EAX, i);
                p.regs.set(Reg.EBX, 1000 * i + round);
            }
        }
        assertEquals(2, platform.cpu().enginesOpened());
        // a destroyed space leaves its engine; the others still run
        platform.destroy(ps[4].space);
        for (int i = 0; i < 4; i++) {
            assertEquals(new Stop.Trap(0x30), run(ps[i], 100_000));
        }
        assertEquals(2, platform.cpu().enginesOpened());
        assertTrue(
                platform.cpu().rebinds() >= 5 * 4 - 1,
                "every switch remapped: " + platform.cpu().rebinds());
    }

    @Test
    void aMissingLibraryNamesTheCommandThatInstallsIt() {
        UnicornMissingException e =
                assertThrows(UnicornMissingException.class, () -> Unicorn.requireLibrary("libunicorn-absent.so.9"));
        assertTrue(e.getMessage().contains("apt-get install -y libunicorn2"), e.getMessage());
    }
}
