package dev.ladle.kernel;

import static dev.ladle.kernel.Abi.*;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.ladle.kernel.hw.PageFault;
import dev.ladle.kernel.hw.PhysicalMemory;
import dev.ladle.kernel.hw.Reg;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Every system call through the trap entry, on the fake platform: each result code it can return, and for every
 * refusal that nothing changed (machine state words, page tables, registers but EAX). Every generated invariant
 * and the page tables are checked after every successful call.
 */
class SyscallTest {
    /** a -> b (send, grant), a -> c (send), b -> a (send, grant), c -> a (grant only). */
    static final String BOOT = """
            limits localids 4 pages 6 frames 32 vector 2
            process a image one.elf heap 2
            process b image one.elf
            process c image one.elf
            thread a in a
            thread b in b
            thread c in c
            cap a 1 -> b send grant
            cap a 2 -> c send
            cap b 1 -> a send grant
            cap c 1 -> a grant
            """;

    static final int HEAP = 3;
    static final int FREE = 5;

    @Test
    void sendDeliversSixWordsAndNamesTheSenderByTheReceiversLocalId() {
        Rig rig = new Rig(BOOT);
        rig.ok("a", OP_SEND, 1, 1, 2, 3, 4, 5, 6);
        Rig.Regs r = rig.ok("b", OP_RECEIVE, 0);
        assertArrayEquals(new int[] {1, 2, 3, 4, 5, 6}, r.words());
        assertEquals(NONE, (r.eax() >>> 8) & 0xf);
        assertEquals(1, r.eax() >>> 12, "b knows a as its local id 1");
    }

    @Test
    void anyCapabilityNamesTheSenderAndWithoutOneItStaysAnonymous() {
        Rig rig = new Rig(BOOT);
        rig.ok("a", OP_SEND, 2, 7, 7, 7, 7, 7, 7);
        assertEquals(1, rig.ok("c", OP_RECEIVE, 0).eax() >>> 12, "c's grant-only local id 1 names a");
        Rig chain = new Rig("""
                limits localids 2 pages 4 frames 16 vector 2
                process a image one.elf
                process b image one.elf
                thread a in a
                thread b in b
                cap a 1 -> b send
                """);
        chain.ok("a", OP_SEND, 1, 7);
        assertEquals(0, chain.ok("b", OP_RECEIVE, 0).eax() >>> 12, "b holds nothing naming a");
    }

    @Test
    void sendResultCodes() {
        Rig rig = new Rig(BOOT);
        rig.refused(E_BAD_ID, "a", OP_SEND, 0, 1);
        rig.refused(E_BAD_ID, "a", OP_SEND, 5, 1); // forged: outside the table
        rig.refused(E_BAD_ID, "a", OP_SEND, 3, 1); // empty slot
        rig.refused(E_NO_RIGHT, "c", OP_SEND, 1, 1); // grant without send
        rig.ok("a", OP_SEND, 1, 1);
        rig.ok("a", OP_SEND, 1, 2);
        rig.refused(E_FULL, "a", OP_SEND, 1, 3);
        rig.kernel.kill(rig.t("c"), "test");
        rig.refused(E_DEAD, "a", OP_SEND, 2, 1);
    }

    @Test
    void aStaleLocalIdIsRefused() {
        Rig rig = new Rig(BOOT);
        rig.ok("a", OP_GRANT_CAP, 1, 0, 0, 0, 0, 0, 2 << 8);
        rig.refused(E_BAD_ID, "a", OP_SEND, 2, 1);
        rig.refused(E_BAD_ID, "a", OP_REVOKE, 2);
    }

    @Test
    void receiveResultCodes() {
        Rig rig = new Rig(BOOT);
        rig.refused(E_EMPTY, "b", OP_RECEIVE, 0);
    }

    @Test
    void mapPageSharesTheFrameAtTheReceiversLowestFreePage() {
        Rig rig = new Rig(BOOT);
        int frame = rig.kernel.machine().pt(0, HEAP);
        rig.ok("a", OP_MAP_PAGE, 1, 9, 9, 9, 9, 9, rig.vpn(HEAP) << 8);
        Rig.Regs r = rig.ok("b", OP_RECEIVE, 0);
        assertEquals(MAP_PAGE_ITEM, (r.eax() >>> 8) & 0xf);
        int landed = r.get(Reg.EBP) >>> 8;
        assertEquals(rig.vpn(1), landed, "b's lowest free page is its first, below its image");
        assertEquals(MAP_PAGE_ITEM, r.get(Reg.EBP) & 0xf);
        assertEquals(frame, rig.t("b").process().space().frameOf(landed));
        assertEquals(frame, rig.t("a").process().space().frameOf(rig.vpn(HEAP)), "a keeps its page");
        // a write through one mapping is seen through the other
        rig.t("a").process().space().write32(rig.vpn(HEAP) << 12, 0x1234);
        assertEquals(0x1234, rig.t("b").process().space().read32(landed << 12).value());
    }

    @Test
    void pageItemResultCodes() {
        Rig rig = new Rig(BOOT);
        int heap = rig.vpn(HEAP) << 8;
        rig.refused(E_UNMAPPED, "a", OP_MAP_PAGE, 1, 0, 0, 0, 0, 0, rig.vpn(FREE) << 8);
        rig.refused(E_BAD_ARG, "a", OP_MAP_PAGE, 1, 0, 0, 0, 0, 0, 0x1000 << 8);
        rig.refused(E_BAD_ARG, "a", OP_MAP_PAGE, 1, 0, 0, 0, 0, 0, heap | 0x80);
        rig.refused(E_NO_RIGHT, "a", OP_MAP_PAGE, 2, 0, 0, 0, 0, 0, heap); // send only to c
        rig.refused(E_BAD_ID, "a", OP_GRANT_PAGE, 3, 0, 0, 0, 0, 0, heap);
        // b has pages 2 (image) and 6 (stack): four free; fill them
        for (int i = 0; i < 4; i++) {
            rig.ok("a", OP_MAP_PAGE, 1, 0, 0, 0, 0, 0, heap);
            rig.ok("b", OP_RECEIVE, 0);
        }
        rig.refused(E_NO_SLOT, "a", OP_MAP_PAGE, 1, 0, 0, 0, 0, 0, heap);
    }

    @Test
    void grantPageMovesTheMapping() {
        Rig rig = new Rig(BOOT);
        int frame = rig.kernel.machine().pt(0, HEAP);
        rig.ok("a", OP_GRANT_PAGE, 1, 0, 0, 0, 0, 0, rig.vpn(HEAP) << 8);
        assertEquals(-1, rig.t("a").process().space().frameOf(rig.vpn(HEAP)), "a lost the page");
        assertEquals(frame, rig.t("b").process().space().frameOf(rig.vpn(1)));
        rig.refused(E_UNMAPPED, "a", OP_GRANT_PAGE, 1, 0, 0, 0, 0, 0, rig.vpn(HEAP) << 8);
    }

    @Test
    void copyPageCopiesTheContentsIntoAFreshFrame() {
        Rig rig = new Rig(BOOT);
        var a = rig.t("a").process().space();
        a.write32(rig.vpn(HEAP) << 12 | 8, 0xcafe);
        rig.ok("a", OP_COPY_PAGE, 1, 0, 0, 0, 0, 0, rig.vpn(HEAP) << 8);
        var b = rig.t("b").process().space();
        assertEquals(0xcafe, b.read32(rig.vpn(1) << 12 | 8).value());
        assertNotEquals(a.frameOf(rig.vpn(HEAP)), b.frameOf(rig.vpn(1)), "a fresh frame");
        b.write32(rig.vpn(1) << 12 | 8, 1);
        assertEquals(0xcafe, a.read32(rig.vpn(HEAP) << 12 | 8).value(), "the copy is independent");
    }

    @Test
    void aPageMappedReadOnlyCanBeReadButNotWrittenAndWhatDerivesFromItStaysReadOnly() {
        Rig rig = new Rig(BOOT);
        var a = rig.t("a").process().space();
        a.write32(rig.vpn(HEAP) << 12 | 8, 0xfeed);
        rig.ok("a", OP_MAP_PAGE, 1, 0, 0, 0, 0, 0, rig.vpn(HEAP) << 8 | ITEM_READ_ONLY);
        Rig.Regs r = rig.ok("b", OP_RECEIVE, 0);
        int landed = r.get(Reg.EBP) >>> 8;
        assertEquals(ITEM_READ_ONLY, r.get(Reg.EBP) & ITEM_READ_ONLY, "the descriptor says read-only");
        var b = rig.t("b").process().space();
        assertEquals(0xfeed, b.read32(landed << 12 | 8).value(), "readable");
        assertEquals(false, b.writable(landed), "R/W clear in b's page tables");
        var denied = b.write32(landed << 12 | 8, 1);
        assertEquals(
                PageFault.PRESENT | PageFault.WRITE | PageFault.USER,
                denied.fault().errorCode());
        assertEquals(0xfeed, a.read32(rig.vpn(HEAP) << 12 | 8).value(), "nothing was written");
        assertEquals(true, a.writable(rig.vpn(HEAP)), "the sender keeps its write right");
        // mapped on from the read-only page without asking for read-only: still read-only
        rig.ok("b", OP_MAP_PAGE, 1, 0, 0, 0, 0, 0, landed << 8);
        Rig.Regs back = rig.ok("a", OP_RECEIVE, 0);
        int atA = back.get(Reg.EBP) >>> 8;
        assertEquals(ITEM_READ_ONLY, back.get(Reg.EBP) & ITEM_READ_ONLY);
        assertEquals(false, a.writable(atA));
        // a copy is the receiver's own frame: writable unless asked otherwise
        rig.ok("a", OP_COPY_PAGE, 1, 0, 0, 0, 0, 0, atA << 8);
        Rig.Regs copy = rig.ok("b", OP_RECEIVE, 0);
        assertEquals(0, copy.get(Reg.EBP) & ITEM_READ_ONLY);
        assertEquals(true, b.writable(copy.get(Reg.EBP) >>> 8));
        // unmapping the read-only page frees its slot; a page mapped there later gets its own right
        rig.ok("a", OP_UNMAP, rig.vpn(HEAP));
        assertEquals(-1, b.frameOf(landed));
        rig.ok("a", OP_MAP_PAGE, 1, 0, 0, 0, 0, 0, rig.vpn(HEAP) << 8);
        Rig.Regs again = rig.ok("b", OP_RECEIVE, 0);
        assertEquals(landed, again.get(Reg.EBP) >>> 8, "the same slot, lowest free again");
        assertEquals(true, b.writable(landed));
        assertEquals(null, rig.kernel.pageTableMismatch());
        // bit 6 means read-only on page items only
        rig.refused(E_BAD_ARG, "a", OP_MAP_CAP, 1, 0, 0, 0, 0, 0, 2 << 8 | ITEM_RIGHT_SEND | ITEM_READ_ONLY);
    }

    @Test
    void aGrantedReadOnlyPageStaysReadOnly() {
        Rig rig = new Rig(BOOT);
        rig.ok("a", OP_MAP_PAGE, 1, 0, 0, 0, 0, 0, rig.vpn(HEAP) << 8 | ITEM_READ_ONLY);
        int atB = rig.ok("b", OP_RECEIVE, 0).get(Reg.EBP) >>> 8;
        rig.ok("b", OP_GRANT_PAGE, 1, 0, 0, 0, 0, 0, atB << 8);
        Rig.Regs r = rig.ok("a", OP_RECEIVE, 0);
        assertEquals(ITEM_READ_ONLY, r.get(Reg.EBP) & ITEM_READ_ONLY);
        assertEquals(false, rig.t("a").process().space().writable(r.get(Reg.EBP) >>> 8));
        assertEquals(-1, rig.t("b").process().space().frameOf(atB), "b gave it away");
    }

    @Test
    void copyPageWithoutAFreeFrameIsRefused() {
        // a: image, heap, stack = 3 frames; b: 2 frames; frames 5: none left
        Rig rig = new Rig("""
                limits localids 2 pages 4 frames 5 vector 2
                process a image one.elf heap 1
                process b image one.elf
                thread a in a
                thread b in b
                cap a 1 -> b send grant
                """);
        rig.refused(E_NO_MEMORY, "a", OP_COPY_PAGE, 1, 0, 0, 0, 0, 0, rig.vpn(2) << 8);
        assertEquals(PhysicalMemory.PAGE_SIZE, 4096);
    }

    @Test
    void unmapRevokesEveryDerivedMappingAndKeepsTheCallers() {
        Rig rig = new Rig("""
                limits localids 2 pages 4 frames 16 vector 2
                process a image one.elf heap 1
                process b image one.elf
                process c image one.elf
                thread a in a
                thread b in b
                thread c in c
                cap a 1 -> b send grant
                cap b 1 -> c send grant
                """);
        int heap = rig.vpn(3);
        rig.ok("a", OP_MAP_PAGE, 1, 0, 0, 0, 0, 0, heap << 8);
        int atB = rig.ok("b", OP_RECEIVE, 0).get(Reg.EBP) >>> 8;
        rig.ok("b", OP_MAP_PAGE, 1, 0, 0, 0, 0, 0, atB << 8);
        int atC = rig.ok("c", OP_RECEIVE, 0).get(Reg.EBP) >>> 8;
        int frame = rig.t("a").process().space().frameOf(heap);
        assertEquals(frame, rig.t("c").process().space().frameOf(atC));
        rig.ok("a", OP_UNMAP, heap);
        assertEquals(frame, rig.t("a").process().space().frameOf(heap), "the caller keeps its mapping");
        assertEquals(-1, rig.t("b").process().space().frameOf(atB));
        assertEquals(-1, rig.t("c").process().space().frameOf(atC), "derived at depth 2: gone too");
        rig.refused(E_UNMAPPED, "b", OP_UNMAP, atB);
        rig.refused(E_BAD_ARG, "b", OP_UNMAP, 5);
    }

    @Test
    void capItemsAndTheirResultCodes() {
        Rig rig = new Rig(BOOT);
        int cToA = 2 << 8 | ITEM_RIGHT_SEND;
        rig.refused(E_NO_RIGHT, "a", OP_MAP_CAP, 1, 0, 0, 0, 0, 0, 2 << 8 | ITEM_RIGHT_GRANT); // a lacks grant on c
        rig.refused(E_NO_RIGHT, "a", OP_MAP_CAP, 1, 0, 0, 0, 0, 0, 2 << 8); // no right at all
        rig.refused(E_BAD_ID, "a", OP_MAP_CAP, 1, 0, 0, 0, 0, 0, 3 << 8 | ITEM_RIGHT_SEND); // empty slot
        rig.refused(E_BAD_ID, "a", OP_COPY_CAP, 1, 0, 0, 0, 0, 0, 9 << 8 | ITEM_RIGHT_SEND); // outside the table
        rig.refused(E_NO_RIGHT, "a", OP_MAP_CAP, 2, 0, 0, 0, 0, 0, cToA); // no grant on the channel
        rig.ok("a", OP_MAP_CAP, 1, 0, 0, 0, 0, 0, cToA);
        Rig.Regs r = rig.ok("b", OP_RECEIVE, 0);
        assertEquals(MAP_CAP_ITEM, (r.eax() >>> 8) & 0xf);
        int landed = r.get(Reg.EBP) >>> 8;
        assertEquals(2, landed, "b's lowest free local id");
        assertEquals(ITEM_RIGHT_SEND, r.get(Reg.EBP) & (ITEM_RIGHT_SEND | ITEM_RIGHT_GRANT));
        rig.ok("b", OP_SEND, landed, 42); // the introduction: b now talks to c
        assertEquals(42, rig.ok("c", OP_RECEIVE, 0).get(Reg.EBX));
        // fill b's table (4 slots: 1 and 2 used)
        rig.ok("a", OP_COPY_CAP, 1, 0, 0, 0, 0, 0, cToA);
        rig.ok("a", OP_COPY_CAP, 1, 0, 0, 0, 0, 0, cToA);
        rig.ok("b", OP_RECEIVE, 0);
        rig.ok("b", OP_RECEIVE, 0);
        rig.refused(E_NO_SLOT, "a", OP_MAP_CAP, 1, 0, 0, 0, 0, 0, cToA);
    }

    @Test
    void revokeRemovesDerivedCapabilitiesOnly() {
        Rig rig = new Rig(BOOT);
        rig.ok("a", OP_MAP_CAP, 1, 0, 0, 0, 0, 0, 2 << 8 | ITEM_RIGHT_SEND);
        rig.ok("a", OP_COPY_CAP, 1, 0, 0, 0, 0, 0, 2 << 8 | ITEM_RIGHT_SEND);
        rig.ok("a", OP_REVOKE, 2);
        rig.ok("a", OP_SEND, 2, 1); // a keeps its own
        rig.ok("b", OP_RECEIVE, 0);
        rig.ok("b", OP_RECEIVE, 0);
        rig.refused(E_BAD_ID, "b", OP_SEND, 2, 1); // the mapped one is gone
        rig.ok("b", OP_SEND, 3, 1); // the copy stays
        rig.refused(E_BAD_ID, "a", OP_REVOKE, 3);
        rig.refused(E_BAD_ID, "a", OP_REVOKE, 0);
    }

    @Test
    void unknownOperations() {
        Rig rig = new Rig(BOOT);
        rig.refused(E_UNKNOWN_OP, "a", 0, 0);
        rig.refused(E_UNKNOWN_OP, "a", 19, 0);
        rig.refused(E_UNKNOWN_OP, "a", 0xff, 3);
    }

    /** a and b, each in its own process, hold send+grant to each other; thread objects 2 and 3 are free. */
    static final String LIFE = """
            limits threads 4 localids 3 pages 6 frames 32 vector 2
            process a image one.elf heap 2
            process b image one.elf
            thread a in a
            thread b in b
            cap a 1 -> b send grant
            cap b 1 -> a send grant
            """;

    @Test
    void threadCreateMakesAThreadOfTheCallersProcessAndDeleteEndsIt() {
        Rig rig = new Rig(LIFE);
        Rig.Regs r = rig.ok("a", OP_THREAD_CREATE, 0, 0x08048010, 0x0804c000);
        assertEquals(2, r.get(Reg.EBX), "the capability lands in a's lowest free local id");
        KernelThread c = rig.t(Kernel.createdThreadName(2));
        assertEquals(2, c.id(), "the lowest free thread object");
        assertSame(rig.t("a").process(), c.process(), "one address space with its creator");
        assertEquals(0x08048010, c.get(Reg.EIP));
        assertEquals(0x0804c000, c.get(Reg.ESP));
        assertEquals(KernelThread.State.READY, c.state());
        assertEquals(
                Machine.SEND | Machine.GRANT, rig.kernel.machine().cspaceRights(0, 2), "every right: the creator's");
        rig.ok("a", OP_SEND, 2, 5, 6);
        rig.ok("a", OP_THREAD_DELETE, 2);
        assertEquals(KernelThread.State.DEAD, c.state());
        assertEquals(Machine.NO_OBJ, rig.kernel.machine().proc(2), "the thread object is free again");
        assertEquals(0, rig.kernel.machine().inboxLength(2), "the messages queued for it are gone");
        assertEquals(2, rig.kernel.threads().size());
        assertNotEquals(Machine.NO_FRAME, rig.kernel.machine().pt(0, HEAP), "the process lives on: a keeps its pages");
        rig.refused(E_DEAD, "a", OP_SEND, 2, 1);
        // the object is reused: a's old local id names the older generation and stays dead
        assertEquals(3, rig.ok("a", OP_THREAD_CREATE, 0, 0x08048010, 0x0804c000).get(Reg.EBX));
        assertEquals(2, rig.t(Kernel.createdThreadName(2)).id(), "the same thread object, a new generation");
        rig.refused(E_DEAD, "a", OP_SEND, 2, 1);
        rig.ok("a", OP_SEND, 3, 1);
    }

    @Test
    void processCreateStartsAThreadInAnEmptyAddressSpaceAndDeleteReturnsItsFrames() {
        Rig rig = new Rig(LIFE);
        Rig.Regs r = rig.ok("a", OP_PROCESS_CREATE, 0);
        assertEquals(2, r.get(Reg.EBX));
        KernelThread c = rig.t(Kernel.createdThreadName(2));
        assertNotSame(rig.t("a").process(), c.process(), "an address space of its own");
        assertEquals(KernelThread.State.FAULTED, c.state(), "it starts once its first page is mapped");
        assertEquals(rig.vpn(1) << 12, c.get(Reg.EIP));
        var a = rig.t("a").process().space();
        a.write32(rig.vpn(HEAP) << 12, 0xbeef);
        rig.ok("a", OP_COPY_PAGE, 2, 0, 0, 0, 0, 0, rig.vpn(HEAP) << 8);
        rig.ok("a", OP_MAP_PAGE, 2, 0, 0, 0, 0, 0, rig.vpn(HEAP) << 8);
        int copy = c.process().space().frameOf(rig.vpn(1));
        assertEquals(0xbeef, c.process().space().read32(rig.vpn(1) << 12).value());
        assertEquals(a.frameOf(rig.vpn(HEAP)), c.process().space().frameOf(rig.vpn(2)), "the mapped page");
        assertEquals(false, rig.kernel.machine().free(copy));
        int processes = rig.kernel.processes().size();
        rig.ok("a", OP_PROCESS_DELETE, 2);
        assertEquals(true, rig.kernel.machine().free(copy), "the copy's frame goes back to the allocator");
        assertEquals(processes - 1, rig.kernel.processes().size());
        assertEquals(0xbeef, a.read32(rig.vpn(HEAP) << 12).value(), "a keeps the page it mapped out");
        assertEquals(KernelThread.State.DEAD, c.state());
        assertEquals(true, rig.kernel.machine().freeProcess(2), "the process object is free again");
    }

    @Test
    void deletingAThreadTakesWhatDerivesFromItAndItsLastProcessWithIt() {
        Rig rig = new Rig(LIFE);
        // b maps a page to a and passes a a capability derived from its own
        rig.ok("b", OP_MAP_PAGE, 1, 0, 0, 0, 0, 0, rig.vpn(2) << 8);
        rig.ok("b", OP_MAP_CAP, 1, 0, 0, 0, 0, 0, 1 << 8 | ITEM_RIGHT_SEND | ITEM_RIGHT_GRANT);
        int landed = rig.ok("a", OP_RECEIVE, 0).get(Reg.EBP) >>> 8;
        assertNotEquals(Machine.NO_FRAME, rig.kernel.machine().pt(0, landed - rig.vpn(1) + 1));
        assertEquals(0, rig.kernel.machine().cspaceObj(0, 2), "a holds b's capability to a");
        rig.ok("a", OP_THREAD_DELETE, 1);
        assertEquals(Machine.NO_OBJ, rig.kernel.machine().cspaceObj(0, 2), "the capability derived from b's is gone");
        assertEquals(Machine.NO_FRAME, rig.kernel.machine().pt(0, landed - rig.vpn(1) + 1), "so is the mapping");
        assertEquals(-1, rig.t("a").process().space().frameOf(landed), "and its page table entry");
        assertEquals(true, rig.kernel.machine().freeProcess(1), "b was its process's last thread");
    }

    @Test
    void aMessageFromADeletedSenderIsAnonymous() {
        Rig rig = new Rig(LIFE);
        rig.ok("b", OP_SEND, 1, 4, 4, 4, 4, 4, 4);
        rig.ok("a", OP_THREAD_DELETE, 1);
        Rig.Regs r = rig.ok("a", OP_RECEIVE, 0);
        assertArrayEquals(new int[] {4, 4, 4, 4, 4, 4}, r.words(), "received as sent");
        assertEquals(0, r.eax() >>> 12, "a's local id 1 names b's older generation: the sender is anonymous");
    }

    @Test
    void aMessageFromADeletedSenderStaysAnonymousOnceItsObjectIsReused() {
        Rig rig = new Rig(LIFE);
        String c = Kernel.createdThreadName(2);
        assertEquals(2, rig.ok("a", OP_THREAD_CREATE, 0, 0x08048010, 0x0804c000).get(Reg.EBX));
        rig.ok("a", OP_MAP_CAP, 2, 0, 0, 0, 0, 0, 1 << 8 | ITEM_RIGHT_SEND); // c gets a capability to b
        rig.ok(c, OP_SEND, 1, 7, 7, 7, 7, 7, 7);
        rig.ok("a", OP_THREAD_DELETE, 2);
        // thread object 2 again, a new generation; b gets a capability to the new thread
        assertEquals(3, rig.ok("a", OP_THREAD_CREATE, 0, 0x08048010, 0x0804c000).get(Reg.EBX));
        rig.ok("a", OP_MAP_CAP, 1, 0, 0, 0, 0, 0, 3 << 8 | ITEM_RIGHT_SEND);
        Rig.Regs r = rig.ok("b", OP_RECEIVE, 0);
        assertArrayEquals(new int[] {7, 7, 7, 7, 7, 7}, r.words(), "the old thread's message, received as sent");
        assertEquals(0, r.eax() >>> 12, "b's local id 2 names the new thread, which did not send it: anonymous");
        assertEquals(1, rig.ok("b", OP_RECEIVE, 0).eax() >>> 12, "a's message: a is b's local id 1");
        // the new thread's own message names it
        rig.ok("a", OP_MAP_CAP, 3, 0, 0, 0, 0, 0, 1 << 8 | ITEM_RIGHT_SEND);
        rig.ok(c, OP_SEND, 1, 8, 8, 8, 8, 8, 8);
        assertEquals(2, rig.ok("b", OP_RECEIVE, 0).eax() >>> 12, "sent by the new thread: b's local id 2");
    }

    @Test
    void lifecycleResultCodes() {
        Rig rig = new Rig(LIFE);
        rig.refused(E_BAD_ID, "a", OP_THREAD_DELETE, 0);
        rig.refused(E_BAD_ID, "a", OP_THREAD_DELETE, 4);
        rig.refused(E_BAD_ID, "a", OP_PROCESS_DELETE, 3); // empty slot
        rig.ok("a", OP_MAP_CAP, 1, 0, 0, 0, 0, 0, 1 << 8 | ITEM_RIGHT_SEND);
        rig.ok("b", OP_RECEIVE, 0);
        rig.refused(E_NO_RIGHT, "b", OP_THREAD_DELETE, 2); // send only: deleting needs every right
        rig.ok("a", OP_THREAD_CREATE, 0, 0x08048000, 0x0804c000);
        rig.ok("a", OP_THREAD_CREATE, 0, 0x08048000, 0x0804c000);
        rig.refused(E_NO_MEMORY, "a", OP_THREAD_CREATE, 0, 0x08048000, 0x0804c000); // no free thread object
        rig.ok("a", OP_THREAD_DELETE, 3);
        rig.refused(E_NO_SLOT, "a", OP_THREAD_CREATE, 0, 0x08048000, 0x0804c000); // the stale id keeps its slot
        rig.refused(E_DEAD, "a", OP_THREAD_DELETE, 3);
        rig.ok("b", OP_PROCESS_CREATE, 0);
        rig.ok("a", OP_THREAD_DELETE, 1); // b, its process with it; the process b created stays
        assertEquals(3, rig.kernel.threads().size());
        rig.refused(E_DEAD, "a", OP_PROCESS_DELETE, 1);
    }

    @Test
    void afterADeletionTheKernelLooksOnlyAtTheThreadsTheWalkDeleted() {
        // 256 thread objects, a's process runs a and three threads a creates; b deletes that process
        Rig rig = new Rig(LIFE.replace("threads 4 localids 3", "threads 256 localids 8"));
        for (int k = 0; k < 3; k++) {
            rig.ok("a", OP_THREAD_CREATE, 0, 0x08048010, 0x0804c000);
        }
        List<KernelThread> dying = new ArrayList<>(rig.t("a").process().threads);
        assertEquals(4, dying.size());
        long before = rig.kernel.retireVisits;
        rig.ok("b", OP_PROCESS_DELETE, 1);
        Machine m = rig.kernel.machine();
        Set<Integer> deleted = new HashSet<>();
        for (int k = 0; k < m.deletedCount(); k++) {
            deleted.add(m.deletedThread(k));
        }
        assertEquals(Set.of(0, 2, 3, 4), deleted, "the walk deleted a and the threads it created");
        assertEquals(4, rig.kernel.retireVisits - before, "one look per deleted thread, not one per thread object");
        for (KernelThread t : dying) {
            assertEquals(KernelThread.State.DEAD, t.state(), t.name());
        }
        assertEquals(1, rig.kernel.threads().size(), "b is left");
        // a deletion of one thread looks at one entry
        rig.ok("b", OP_THREAD_CREATE, 0, 0x08048010, 0x0804c000);
        before = rig.kernel.retireVisits;
        rig.ok("b", OP_THREAD_DELETE, 2);
        assertEquals(1, m.deletedCount());
        assertEquals(1, rig.kernel.retireVisits - before);
        assertEquals(1, rig.kernel.threads().size());
    }

    @Test
    void afterAPageOperationTheKernelLooksOnlyAtThePagesItChanged() {
        // three processes of six pages: a pass over every address space looks at 18 pages after each operation
        Rig rig = new Rig(BOOT);
        int heap = rig.vpn(HEAP) << 8;
        long before = rig.kernel.mirrorVisits;
        rig.ok("a", OP_MAP_PAGE, 1, 0, 0, 0, 0, 0, heap);
        assertEquals(1, rig.kernel.mirrorVisits - before, "b's page the item landed at");
        int atB = rig.ok("b", OP_RECEIVE, 0).get(Reg.EBP) >>> 8;
        before = rig.kernel.mirrorVisits;
        rig.ok("b", OP_MAP_PAGE, 1, 0, 0, 0, 0, 0, atB << 8); // a's lowest free page, derived from b's
        assertEquals(1, rig.kernel.mirrorVisits - before, "a's page the item landed at");
        rig.ok("a", OP_RECEIVE, 0);
        before = rig.kernel.mirrorVisits;
        rig.ok("a", OP_UNMAP, rig.vpn(HEAP));
        assertEquals(2, rig.kernel.mirrorVisits - before, "the two mappings the walk removed, b's and a's");
        before = rig.kernel.mirrorVisits;
        rig.ok("a", OP_GRANT_PAGE, 1, 0, 0, 0, 0, 0, heap);
        assertEquals(2, rig.kernel.mirrorVisits - before, "a's granted page and b's page it landed at");
        atB = rig.ok("b", OP_RECEIVE, 0).get(Reg.EBP) >>> 8;
        rig.ok("b", OP_MAP_PAGE, 1, 0, 0, 0, 0, 0, atB << 8);
        rig.ok("a", OP_RECEIVE, 0);
        // deleting b's process: its own pages go with its address space, a's page derived from one of them is
        // the one page table entry left to change
        before = rig.kernel.mirrorVisits;
        rig.ok("a", OP_PROCESS_DELETE, 1);
        assertEquals(1, rig.kernel.mirrorVisits - before, "a's mapping derived from b's page");
        // a refused page operation changes no page
        before = rig.kernel.mirrorVisits;
        rig.refused(E_UNMAPPED, "a", OP_UNMAP, rig.vpn(FREE));
        assertEquals(0, rig.kernel.mirrorVisits - before);
    }

    @Test
    void aCreationFillsTheHeadOfTheCallersFreeListOfLocalIds() {
        Rig rig = new Rig(LIFE);
        rig.ok("a", OP_GRANT_CAP, 1, 0, 0, 0, 0, 0, 1 << 8); // a's local id 1 moves to b: pushed on a's free list
        rig.ok("b", OP_RECEIVE, 0);
        assertEquals(Machine.NO_OBJ, rig.kernel.machine().cspaceObj(0, 1));
        assertEquals(1, rig.kernel.machine().nextFreeSlot(0));
        assertEquals(1, rig.ok("a", OP_THREAD_CREATE, 0, 0x08048010, 0x0804c000).get(Reg.EBX));
        assertEquals(2, rig.ok("a", OP_THREAD_CREATE, 0, 0x08048010, 0x0804c000).get(Reg.EBX));
        assertEquals(3, rig.kernel.machine().nextFreeSlot(0));
        assertEquals(1, rig.kernel.machine().nextFreeSlot(2), "a created thread's table is empty");
    }

    @Test
    void aThreadMayDeleteItself() {
        Rig rig = new Rig(LIFE);
        rig.ok("b", OP_MAP_CAP, 1, 0, 0, 0, 0, 0, 1 << 8 | ITEM_RIGHT_SEND | ITEM_RIGHT_GRANT);
        assertEquals(0, rig.kernel.machine().cspaceObj(0, 2), "a holds a capability to itself");
        KernelThread a = rig.t("a");
        rig.ok("a", OP_THREAD_DELETE, 2);
        assertEquals(KernelThread.State.DEAD, a.state());
        assertEquals(1, rig.kernel.threads().size());
        assertEquals(Machine.NO_OBJ, rig.kernel.machine().proc(0));
        rig.refused(E_DEAD, "b", OP_SEND, 1, 1);
    }

    @Test
    void waitWithAQueuedMessageReceivesAtOnce() {
        Rig rig = new Rig(BOOT);
        rig.ok("b", OP_SEND, 1, 5, 6);
        Rig.Regs r = rig.ok("a", OP_WAIT, 0);
        assertEquals(5, r.get(Reg.EBX));
        assertEquals(KernelThread.State.READY, rig.t("a").state());
    }

    @Test
    void waitWithNothingQueuedBlocks() {
        Rig rig = new Rig(BOOT);
        Rig.Regs r = Rig.regs(OP_WAIT, 0);
        assertEquals(OK, rig.kernel.trap(rig.t("a"), r));
        assertEquals(OP_WAIT, r.eax(), "EAX is written when the message arrives, not before");
        assertEquals(KernelThread.State.WAITING, rig.t("a").state());
        assertEquals(true, rig.kernel.machine().waiting(0));
        rig.ok("b", OP_SEND, 1, 5);
        assertEquals(false, rig.kernel.machine().waiting(0), "the send woke a (the spec's WakeReceiver)");
    }

    @Test
    void exitEndsTheThreadAndSendsToItAreRefused() {
        Rig rig = new Rig(BOOT);
        rig.kernel.trap(rig.t("b"), Rig.regs(OP_EXIT, 0));
        assertEquals(KernelThread.State.DEAD, rig.t("b").state());
        rig.refused(E_DEAD, "a", OP_SEND, 1, 1);
        rig.refused(E_DEAD, "a", OP_MAP_PAGE, 1, 0, 0, 0, 0, 0, rig.vpn(HEAP) << 8);
    }

    @Test
    void everySyscallIsCountedByKindAndResult() {
        Rig rig = new Rig(BOOT);
        rig.ok("a", OP_SEND, 1, 1);
        rig.refused(E_BAD_ID, "a", OP_SEND, 3, 1);
        rig.ok("b", OP_RECEIVE, 0);
        rig.refused(E_EMPTY, "b", OP_RECEIVE, 0);
        Stats s = rig.kernel.stats();
        assertEquals(1, s.count(OP_SEND, OK));
        assertEquals(1, s.count(OP_SEND, E_BAD_ID));
        assertEquals(1, s.count(OP_RECEIVE, E_EMPTY));
        assertEquals(4, s.syscalls());
        assertEquals(2, s.refusals());
        assertEquals(1, s.messages());
        assertEquals(1L, s.refusalsByGuard().get("Receive: InboxNonEmpty"));
    }

    @Test
    void thePageTableCheckBitesWhenATableDisagreesWithTheMachine() {
        Rig rig = new Rig(BOOT);
        rig.kernel.checkInvariants();
        rig.t("b").process().space().map(rig.vpn(FREE), 7, true); // a mapping the machine never made
        Kernel.InvariantViolation e = org.junit.jupiter.api.Assertions.assertThrows(
                Kernel.InvariantViolation.class, rig.kernel::checkInvariants);
        assertEquals(
                true,
                e.getMessage().contains("b: page 0x0804b maps frame 7 in its page tables, the machine says -1"),
                e.getMessage());
        rig.t("b").process().space().unmap(rig.vpn(FREE));
        rig.t("a").process().space().unmap(rig.vpn(HEAP)); // a mapping the machine made, lost
        e = org.junit.jupiter.api.Assertions.assertThrows(Kernel.InvariantViolation.class, rig.kernel::checkInvariants);
        assertEquals(
                true,
                e.getMessage().contains("a: page 0x08049 maps frame -1 in its page tables, the machine says 2"),
                e.getMessage());
    }

    @Test
    void theLockstepWithKernelTlaBitesWhenTheImplementationStrays() throws Exception {
        Rig rig = new Rig(BOOT);
        Machine m = rig.kernel.machine();
        assertEquals(java.util.List.of(), m.failingInvariants());
        // a send applied to KernelImpl's machine alone: the implementation now holds a message the spec never sent
        var implField = Machine.class.getDeclaredField("impl");
        implField.setAccessible(true);
        var impl = (dev.ladle.kernel.gen.kernelimpl.KernelImplMachine) implField.get(m);
        impl.send(0, 1, new int[] {1, 2, 3, 4, 5, 6});
        rig.kernel.trap(rig.t("a"), Rig.regs(OP_SEND, 1, 7)); // the next action through the kernel compares
        var failing = m.failingInvariants();
        assertEquals(1, failing.size(), failing.toString());
        assertEquals(
                true,
                failing.get(0).startsWith("refinement (after Send: Len(inbox[1]): KernelImpl 2, Kernel 1"),
                failing.get(0));
    }
}
