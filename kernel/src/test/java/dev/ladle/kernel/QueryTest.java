package dev.ladle.kernel;

import static dev.ladle.kernel.Abi.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ladle.kernel.hw.Reg;
import org.junit.jupiter.api.Test;

/** The communication query: now, potentially through grant rights, and for "anyone", through the trap entry. */
class QueryTest {
    static final String ONE_WAY = """
            limits localids 3 pages 4 frames 16 vector 2
            process a image one.elf
            process b image one.elf
            process c image one.elf
            thread a in a
            thread b in b
            thread c in c
            cap a 1 -> b send grant
            cap b 1 -> c send
            """;

    @Test
    void authorityFlowsOnlyAlongSendAndGrant() {
        Rig rig = new Rig(ONE_WAY);
        Authority q = rig.kernel.authority();
        assertTrue(q.canSendNow(0, 1));
        assertTrue(q.canPassItemsNow(0, 1));
        assertFalse(q.canSendNow(0, 2));
        assertFalse(q.canSendPotentially(0, 2), "b cannot pass its capability to c back to a: no grant towards a");
        assertTrue(q.canSendNow(1, 2));
        assertFalse(q.canSendPotentially(2, 0), "c holds nothing");
        assertEquals(0, q.answerAnyone(2));
    }

    @Test
    void aGrantChannelBackMakesItPotential() {
        Rig rig = new Rig(ONE_WAY + "cap b 2 -> a send grant\n");
        Authority q = rig.kernel.authority();
        assertFalse(q.canSendNow(0, 2));
        assertTrue(q.canSendPotentially(0, 2), "b could map its c capability to a");
        assertFalse(q.canSendPotentially(2, 0), "nothing flows to c: nobody holds grant towards it");
        assertEquals(QUERY_POTENTIAL, q.answer(0, 2));
        assertEquals(QUERY_SEND | QUERY_ITEMS | QUERY_POTENTIAL, q.answer(0, 1));
        // the introduction makes it direct
        rig.ok("b", OP_MAP_CAP, 2, 0, 0, 0, 0, 0, 1 << 8 | ITEM_RIGHT_SEND);
        assertTrue(rig.kernel.authority().canSendNow(0, 2));
    }

    @Test
    void aDeadThreadCanNeitherBeReachedNorPassAnythingOn() {
        Rig rig = new Rig(ONE_WAY + "cap b 2 -> a send grant\n");
        rig.kernel.kill(rig.t("b"), "test");
        Authority q = rig.kernel.authority();
        assertFalse(q.canSendNow(0, 1));
        assertFalse(q.canSendPotentially(0, 2));
    }

    @Test
    void theQueryThroughTheTrapEntry() {
        Rig rig = new Rig(ONE_WAY + "cap b 2 -> a send grant\n");
        Rig.Regs r = rig.ok("a", OP_QUERY, 1);
        assertEquals(QUERY_SEND | QUERY_ITEMS | QUERY_POTENTIAL, r.get(Reg.EBX));
        assertEquals(1, r.get(Reg.ECX), "a can send to b now");
        assertEquals(2, r.get(Reg.EDX), "and potentially to b and c");
        Rig.Regs anyone = rig.ok("c", OP_QUERY, 0);
        assertEquals(0, anyone.get(Reg.EBX));
        assertEquals(0, anyone.get(Reg.ECX));
        rig.refused(E_BAD_ID, "a", OP_QUERY, 2);
        rig.refused(E_BAD_ID, "a", OP_QUERY, 77);
    }
}
