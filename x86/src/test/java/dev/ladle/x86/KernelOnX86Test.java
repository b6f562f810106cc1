package dev.ladle.x86;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ladle.kernel.Kernel;
import dev.ladle.kernel.KernelThread;
import dev.ladle.kernel.KernelThread.State;
import dev.ladle.kernel.SystemImages;
import dev.ladle.kernel.boot.BootError;
import dev.ladle.kernel.boot.BootParser;
import dev.ladle.kernel.hw.Reg;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The kernel running real user programs (userland's ELF32 images) on the x86 target: page permissions from the ELF
 * segments and from page items, and several threads in one process. Invariants and page tables (R/W bits included)
 * are checked after every step.
 */
class KernelOnX86Test {
    private final X86Platform platform = new X86Platform(X86Platform.Config.ofMemory(16L << 20));

    @AfterEach
    void close() {
        platform.close();
    }

    private Kernel run(String boot) throws BootError {
        Kernel k = Kernel.boot(
                platform,
                BootParser.parse("sys.boot", boot),
                SystemImages.images(null),
                new Kernel.Options(7, 500, true, false));
        k.run(2_000);
        return k;
    }

    @Test
    void textIsReadOnlyAndDataWritableAsTheElfSegmentsSay() throws BootError {
        Kernel k = Kernel.boot(
                platform,
                BootParser.parse("sys.boot", "process p image twothreads.elf\nthread t in p\n"),
                SystemImages.images(null),
                new Kernel.Options(7, 500, true, false));
        X86AddressSpace space = (X86AddressSpace) k.thread("t").process().space();
        assertFalse(PteField.READ_WRITE.isSet(space.pte(0x08047)), "ELF headers (R)");
        assertFalse(PteField.READ_WRITE.isSet(space.pte(0x08048)), ".text (R E)");
        assertTrue(PteField.READ_WRITE.isSet(space.pte(0x08049)), ".bss (RW)");
        assertTrue(PteField.PRESENT.isSet(space.pte(0x08049)));
    }

    @Test
    void aWriteToItsOwnCodeKillsAThreadWithoutAPager() throws BootError {
        Kernel k = run("process p image rotext.elf\nthread t in p faults kill\n");
        KernelThread t = k.thread("t");
        assertEquals(State.DEAD, t.state());
        assertTrue(t.end().startsWith("killed: page fault at 0x08048"), t.end());
        assertTrue(t.end().contains("(error 7, "), t.end());
        assertTrue(t.end().contains("a write to a read-only page"), t.end());
        assertEquals(1, k.stats().faults());
    }

    @Test
    void aWriteToItsOwnCodeIsAFaultMessageToItsPager() throws BootError {
        Kernel k = run("""
                process p image rotext.elf
                process q image ropager.elf
                thread t in p pager 1
                thread pager in q
                cap t 1 -> pager send
                """);
        assertEquals("exit 7", k.thread("pager").end(), "the pager got CR2 and EIP in the code page, error 7");
        KernelThread t = k.thread("t");
        assertEquals(State.FAULTED, t.state(), "waits for a writable page that never comes");
        assertEquals(1, k.stats().faultMessages());
    }

    @Test
    void aPageMappedReadOnlyCanBeReadButNotWritten() throws BootError {
        Kernel k = run("""
                process o image roowner.elf heap 1
                process r image roreader.elf
                thread owner in o
                thread reader in r faults kill
                cap owner 1 -> reader send grant
                cap reader 1 -> owner send
                """);
        assertEquals("exit 0", k.thread("owner").end(), "the reader read the owner's word; the owner still writes");
        KernelThread reader = k.thread("reader");
        assertTrue(reader.end().startsWith("killed: page fault at "), reader.end());
        assertTrue(reader.end().contains("(error 7, "), reader.end());
        assertTrue(reader.end().contains("a write to a read-only page"), reader.end());
    }

    @Test
    void twoThreadsRunInOneAddressSpace() throws BootError {
        Kernel k = run("""
                process p image twothreads.elf stack 1
                thread main in p
                thread second in p entry second
                cap main 1 -> second send
                cap second 1 -> main send
                """);
        KernelThread main = k.thread("main");
        KernelThread second = k.thread("second");
        assertEquals("exit 0", second.end(), "second read main's word in their shared memory");
        assertEquals("exit 0", main.end(), "main got the word plus one, from a thread on another stack");
        assertEquals(main.process(), second.process());
        assertEquals("every thread has ended", k.stopReason());
    }

    @Test
    void anEntryTheImageDoesNotHaveIsABootErrorAtTheEntryWord() {
        BootError missing = assertThrows(
                BootError.class,
                () -> run("process p image twothreads.elf\nthread t in p\nthread u in p entry third\n"));
        assertEquals("sys.boot:3:21: thread u: image twothreads.elf has no symbol 'third'", missing.getMessage());
        BootError outside = assertThrows(
                BootError.class,
                () -> run("process p image twothreads.elf\nthread t in p\nthread u in p entry 0x1000\n"));
        assertEquals(
                "sys.boot:3:21: thread u: entry 0x00001000 is not inside image twothreads.elf's pages",
                outside.getMessage());
    }

    @Test
    void theSecondThreadStartsAtItsSymbolWithAReturnAddressOfZero() throws BootError {
        Kernel k = Kernel.boot(
                platform,
                BootParser.parse(
                        "sys.boot",
                        "process p image twothreads.elf stack 2\nthread t in p\nthread u in p entry second\n"),
                SystemImages.images(null),
                new Kernel.Options(7, 500, true, false));
        KernelThread u = k.thread("u");
        int symbol = platform.imageLoader()
                .symbol(Programs.image("twothreads"), "second")
                .getAsInt();
        assertEquals(symbol, u.get(Reg.EIP));
        int top = (0x08047 + 64) << 12;
        assertEquals(top, k.thread("t").get(Reg.ESP));
        assertEquals(top - 2 * 4096 - 4, u.get(Reg.ESP));
        assertEquals(0, u.process().space().read32(top - 2 * 4096 - 4).value());
    }
}
