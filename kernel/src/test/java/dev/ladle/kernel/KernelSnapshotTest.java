package dev.ladle.kernel;

import static dev.ladle.kernel.Abi.ITEM_READ_ONLY;
import static dev.ladle.kernel.Abi.OK;
import static dev.ladle.kernel.Abi.OP_MAP_PAGE;
import static dev.ladle.kernel.Abi.OP_RECEIVE;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ladle.kernel.boot.BootParser;
import dev.ladle.kernel.fake.FakePlatform;
import dev.ladle.kernel.fake.TestImage;
import dev.ladle.kernel.hw.Reg;
import org.junit.jupiter.api.Test;

/** A kernel's snapshot (machine words and {@link KernelSnapshot}) restored into a freshly booted kernel. */
class KernelSnapshotTest {
    static Kernel boot() throws Exception {
        return Kernel.boot(
                new FakePlatform(512),
                BootParser.parse("test.boot", SyscallTest.BOOT),
                name -> TestImage.onePage(),
                Kernel.Options.defaults());
    }

    static int[] snapshot(Kernel k) {
        int[] out = new int[KernelSnapshot.size(k)];
        assertEquals(out.length, KernelSnapshot.write(k, out, 0));
        return out;
    }

    @Test
    void aPageReceivedReadOnlyIsReadOnlyAfterARestore() throws Exception {
        Kernel k = boot();
        Rig.Regs map = Rig.regs(OP_MAP_PAGE, 1, 0, 0, 0, 0, 0, k.vpn(SyscallTest.HEAP) << 8 | ITEM_READ_ONLY);
        assertEquals(OK, k.trap(k.thread("a"), map));
        Rig.Regs got = Rig.regs(OP_RECEIVE, 0);
        assertEquals(OK, k.trap(k.thread("b"), got));
        int landed = got.get(Reg.EBP) >>> 8;
        int page = landed - k.limits().base() + 1;
        assertTrue(k.thread("b").process().readOnly(page));
        k.thread("c").set(Reg.ESI, 0x5eed);
        int[] words = k.machine().copyState();
        int[] saved = snapshot(k);

        Kernel back = boot();
        assertFalse(back.thread("b").process().readOnly(page), "a fresh boot has no such page");
        KernelSnapshot.restore(back, words, saved, 0, true);
        assertTrue(back.thread("b").process().readOnly(page), "the kernel holds it read-only");
        assertFalse(back.thread("b").process().space().writable(landed), "R/W clear in the page tables");
        assertTrue(back.thread("a").process().space().writable(k.vpn(SyscallTest.HEAP)), "the owner's stays writable");
        assertNull(back.pageTableMismatch());
        assertEquals(0x5eed, back.thread("c").get(Reg.ESI));
        assertArrayEquals(saved, snapshot(back), "the restored kernel encodes to the same words");
        assertArrayEquals(words, back.machine().copyState());
    }

    @Test
    void withoutRegistersTheThreadsStartAtZeroForTheirOwnRecords() throws Exception {
        Kernel k = boot();
        int[] saved = snapshot(k);
        assertEquals(
                k.thread("b").get(Reg.EIP),
                KernelSnapshot.registers(saved, 0, k.thread("b").id())[Reg.EIP.ordinal()]);
        Kernel back = boot();
        KernelSnapshot.restore(back, k.machine().copyState(), saved, 0, false);
        assertArrayEquals(new int[Reg.COUNT], back.thread("b").registers());
        assertEquals(KernelThread.State.READY, back.thread("b").state());
    }
}
