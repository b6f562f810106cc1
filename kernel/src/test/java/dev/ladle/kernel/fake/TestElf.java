package dev.ladle.kernel.fake;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** Builds small ELF32 IA-32 executables for tests: one PT_LOAD segment holding {@code code} at {@code vaddr}. */
public final class TestElf {
    private TestElf() {}

    public static byte[] image(int vaddr, int entry, byte[] code, int memsz) {
        int phoff = 52;
        int dataOff = 0x100;
        ByteBuffer b = ByteBuffer.allocate(dataOff + code.length).order(ByteOrder.LITTLE_ENDIAN);
        b.put(new byte[] {0x7f, 'E', 'L', 'F', 1, 1, 1, 0});
        b.position(16);
        b.putShort((short) 2); // EXEC
        b.putShort((short) 3); // EM_386
        b.putInt(1);
        b.putInt(entry);
        b.putInt(phoff);
        b.putInt(0);
        b.putInt(0);
        b.putShort((short) 52);
        b.putShort((short) 32);
        b.putShort((short) 1);
        b.putShort((short) 0);
        b.putShort((short) 0);
        b.putShort((short) 0);
        b.position(phoff);
        b.putInt(1); // PT_LOAD
        b.putInt(dataOff);
        b.putInt(vaddr);
        b.putInt(vaddr);
        b.putInt(code.length);
        b.putInt(memsz);
        b.putInt(7);
        b.putInt(0x1000);
        b.position(dataOff);
        b.put(code);
        return b.array();
    }

    /** One page of code at the fake platform's entry point. */
    public static byte[] onePage() {
        return image(FakePlatform.ENTRY, FakePlatform.ENTRY, new byte[] {(byte) 0xf4}, 0x1000);
    }
}
