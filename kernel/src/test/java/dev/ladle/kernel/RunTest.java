package dev.ladle.kernel;

import static dev.ladle.kernel.Abi.*;
import static dev.ladle.kernel.fake.Programs.*;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ladle.kernel.KernelThread.State;
import dev.ladle.kernel.fake.FakePlatform;
import dev.ladle.kernel.hw.Reg;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The scheduler loop on the fake CPU: ping-pong with blocking waits, faults served by a pager or killing the
 * thread, a bad instruction killing only its thread, and replay: the same seed gives the same run.
 */
class RunTest {
    static final String PING_PONG = """
            limits localids 2 pages 8 frames 32 vector 2
            process ping image one.elf
            process pong image one.elf
            process count image one.elf
            thread ping in ping
            thread pong in pong
            thread count in count
            cap ping 1 -> pong send
            cap pong 1 -> ping send
            """;

    /** ping sends its counter (ESI) to pong and waits for it back plus one; pong adds one and answers. */
    static FakePlatform pingPong() {
        FakePlatform p = new FakePlatform(512);
        p.program(
                "ping",
                List.of(
                        sys(OP_SEND, 1, r -> r.set(Reg.EBX, r.get(Reg.ESI))),
                        sys(OP_WAIT, 0),
                        compute(r -> r.set(Reg.ESI, r.get(Reg.EBX))),
                        jump(0)));
        p.program("pong", List.of(sys(OP_WAIT, 0), sys(OP_SEND, 1, r -> r.set(Reg.EBX, r.get(Reg.EBX) + 1)), jump(0)));
        p.program("count", List.of(compute(r -> r.set(Reg.EDI, r.get(Reg.EDI) + 3)), jump(0)));
        return p;
    }

    static Rig run(long seed, long steps) {
        Rig rig = new Rig(PING_PONG, new Kernel.Options(seed, 7, true, true), pingPong());
        rig.kernel.run(steps);
        return rig;
    }

    @Test
    void pingPongCountsUpThroughMessages() {
        Rig rig = run(1, 2_000);
        int rounds = rig.t("ping").get(Reg.ESI);
        assertTrue(rounds > 20, "ping's counter only reached " + rounds);
        Stats s = rig.kernel.stats();
        assertEquals(s.count(OP_SEND, OK), s.messages());
        assertTrue(s.count(OP_WAIT, OK) > 40);
        assertEquals(0, s.refusals(), s.table().toString());
        assertEquals(2_000, s.steps());
        assertTrue(s.instructions() > 2_000);
        assertTrue(s.invariantChecks() >= 2_000, "invariants were checked after every step");
    }

    @Test
    void theSameSeedReplaysTheSameRun() {
        Rig a = run(42, 1_500);
        Rig b = run(42, 1_500);
        assertEquals(a.kernel.stats().trace(), b.kernel.stats().trace());
        assertEquals(a.kernel.stats().traceHash(), b.kernel.stats().traceHash());
        assertEquals(a.kernel.stats().instructions(), b.kernel.stats().instructions());
        assertArrayEquals(a.kernel.machine().copyState(), b.kernel.machine().copyState());
        for (KernelThread t : a.kernel.threads()) {
            assertArrayEquals(t.registers(), b.t(t.name()).registers(), t.name());
        }
        Rig c = run(43, 1_500);
        assertNotEquals(a.kernel.stats().traceHash(), c.kernel.stats().traceHash(), "another seed, another run");
    }

    static final String PAGED = """
            limits localids 2 pages 6 frames 32 vector 2
            process client image one.elf
            process pager image one.elf heap 2
            thread client in client pager 1
            thread pager in pager
            cap client 1 -> pager send
            cap pager 1 -> client send grant
            """;

    @Test
    void aPageFaultGoesToThePagerWhichAnswersWithAMap() {
        FakePlatform p = new FakePlatform(512);
        int window = 0x08048000;
        int lowestFree = window - 0x1000; // the client's page 1, below its image at page 2
        p.program(
                "client",
                List.of(store(r -> lowestFree + 4, r -> 77), load(r -> lowestFree + 4, Reg.ESI), sys(OP_EXIT, 0)));
        p.program(
                "pager",
                List.of(
                        sys(OP_WAIT, 0),
                        compute(r -> r.set(Reg.EDI, r.get(Reg.ECX))), // remember the fault address
                        sys(OP_MAP_PAGE, 1, r -> r.set(Reg.EBP, (window >>> 12) + 1 << 8)),
                        sys(OP_WAIT, 0)));
        Rig rig = new Rig(PAGED, new Kernel.Options(3, 5, true, true), p);
        rig.kernel.run(200);
        KernelThread client = rig.t("client");
        assertEquals(State.DEAD, client.state());
        assertEquals("exit 0", client.end());
        assertEquals(77, client.get(Reg.ESI), "the store went through after the pager's map");
        assertEquals(lowestFree + 4, rig.t("pager").get(Reg.EDI), "the fault message carried CR2");
        Stats s = rig.kernel.stats();
        assertEquals(1, s.faults());
        assertEquals(1, s.faultMessages());
        assertEquals(0, s.kills());
        assertEquals("every live thread is blocked", rig.kernel.stopReason());
    }

    @Test
    void aWriteToAReadOnlyPageIsAFaultForThePagerAndTheThreadWaitsForTheWriteRight() {
        FakePlatform p = new FakePlatform(512);
        int window = 0x08048000;
        int page1 = window - 0x1000; // the client's lowest free page
        int heap = (window >>> 12) + 1;
        p.program(
                "client",
                List.of(
                        sys(OP_WAIT, 0), // the read-only map
                        load(r -> page1 + 4, Reg.ESI),
                        store(r -> page1 + 4, r -> 77), // faults until the pager maps the page writable
                        load(r -> page1 + 4, Reg.EDI),
                        sys(OP_EXIT, 0)));
        p.program(
                "pager",
                List.of(
                        compute(r -> r.set(Reg.ECX, 0)),
                        sys(OP_MAP_PAGE, 1, r -> r.set(Reg.EBP, heap << 8 | ITEM_READ_ONLY)),
                        sys(OP_WAIT, 0), // the fault message
                        compute(r -> r.set(Reg.EDI, r.get(Reg.EDX))), // its error code
                        sys(OP_UNMAP, heap),
                        sys(OP_MAP_PAGE, 1, r -> r.set(Reg.EBP, heap << 8)),
                        sys(OP_WAIT, 0)));
        Rig rig = new Rig(PAGED, new Kernel.Options(3, 5, true, true), p);
        rig.kernel.run(300);
        KernelThread client = rig.t("client");
        assertEquals("exit 0", client.end());
        assertEquals(0, client.get(Reg.ESI), "it could read the page");
        assertEquals(77, client.get(Reg.EDI), "the store went through once the page was writable");
        assertEquals(7, rig.t("pager").get(Reg.EDI), "present | write | user");
        assertEquals(1, rig.kernel.stats().faultMessages());
    }

    @Test
    void twoThreadsOfOneProcessShareItsAddressSpaceWithStacksOfTheirOwn() {
        FakePlatform p = new FakePlatform(512);
        int heap = 0x08048000 + 0x1000;
        p.program("t", List.of(store(r -> heap + 8, r -> 42), sys(OP_SEND, 1), sys(OP_EXIT, 0)));
        p.program("u", List.of(sys(OP_WAIT, 0), load(r -> heap + 8, Reg.ESI), sys(OP_EXIT, 0)));
        Rig rig = new Rig("""
                limits localids 2 pages 8 frames 32 vector 2
                process p image one.elf heap 1 stack 2
                thread t in p
                thread u in p entry 0x08048000
                cap t 1 -> u send
                """, new Kernel.Options(1, 5, true, true), p);
        KernelThread t = rig.t("t");
        KernelThread u = rig.t("u");
        assertEquals(t.process(), u.process());
        assertEquals(0x08047000 + 8 * 0x1000, t.get(Reg.ESP), "t's stack: the top two pages");
        assertEquals(0x08047000 + 6 * 0x1000 - 4, u.get(Reg.ESP), "u's stack: the two below, a return address");
        assertEquals(t.process().id(), rig.kernel.machine().proc(u.id()), "one spec process");
        rig.kernel.run(100);
        assertEquals("exit 0", u.end());
        assertEquals(42, u.get(Reg.ESI), "u read what t wrote in their one address space");
        assertEquals("every thread has ended", rig.kernel.stopReason());
    }

    @Test
    void withoutAPagerAFaultKillsOnlyThatThread() {
        FakePlatform p = pingPong();
        p.program("count", List.of(store(r -> 0x00001000, r -> 1)));
        Rig rig = new Rig(PING_PONG, new Kernel.Options(5, 7, true, true), p);
        rig.kernel.run(500);
        assertEquals(State.DEAD, rig.t("count").state());
        assertTrue(
                rig.t("count").end().contains("page fault at 0x00001000"),
                rig.t("count").end());
        assertTrue(rig.t("ping").get(Reg.ESI) > 5, "the others keep running");
        assertEquals(1, rig.kernel.stats().kills());
    }

    @Test
    void aBadInstructionOrAnotherInterruptKillsOnlyThatThread() {
        FakePlatform p = pingPong();
        p.program("count", List.of(compute(r -> {}), bad()));
        Rig rig = new Rig(PING_PONG, new Kernel.Options(5, 7, true, true), p);
        rig.kernel.run(300);
        assertTrue(
                rig.t("count").end().contains("invalid opcode"), rig.t("count").end());
        assertTrue(rig.t("ping").get(Reg.ESI) > 5);

        FakePlatform q = pingPong();
        q.program("count", List.of(interrupt(0x80)));
        Rig other = new Rig(PING_PONG, new Kernel.Options(5, 7, true, true), q);
        other.kernel.run(300);
        assertTrue(other.t("count").end().contains("int 0x80"), other.t("count").end());
        assertTrue(other.t("ping").get(Reg.ESI) > 5);
    }

    @Test
    void whenEveryThreadEndsTheRunStops() {
        FakePlatform p = new FakePlatform(512);
        p.program("ping", List.of(sys(OP_EXIT, 0)));
        p.program("pong", List.of(sys(OP_EXIT, 0)));
        p.program("count", List.of(sys(OP_EXIT, 0)));
        Rig rig = new Rig(PING_PONG, new Kernel.Options(1, 7, true, true), p);
        rig.kernel.run(100);
        assertEquals("every thread has ended", rig.kernel.stopReason());
        assertEquals(3, rig.kernel.stats().exits());
        assertEquals(3, rig.kernel.stats().steps());
    }
}
