package dev.ladle.kernel.fake;

import dev.ladle.kernel.hw.AddressSpace;
import dev.ladle.kernel.hw.ImageLoader;
import dev.ladle.kernel.hw.PhysicalMemory;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * The fake platform's executable images and their loader. The real format (ELF32) is read by the x86 target's
 * loader; the kernel's tests only need an image that names where its bytes go, so the fake format is a 16-byte
 * header ("TIMG", vaddr, entry, memsz, little endian) followed by the bytes placed at vaddr, zero up to memsz.
 */
public final class TestImage {
    private TestImage() {}

    private static final int MAGIC = 0x474d4954; // "TIMG"

    public static byte[] image(int vaddr, int entry, byte[] code, int memsz) {
        ByteBuffer b = ByteBuffer.allocate(16 + code.length).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(MAGIC).putInt(vaddr).putInt(entry).putInt(memsz).put(code);
        return b.array();
    }

    /** One page of code at the fake platform's entry point. */
    public static byte[] onePage() {
        return image(FakePlatform.ENTRY, FakePlatform.ENTRY, new byte[] {(byte) 0xf4}, 0x1000);
    }

    /** Loads test images: maps the pages of [vaddr, vaddr + memsz) with frames from the kernel, copies the bytes. */
    static final class Loader implements ImageLoader {
        private final PhysicalMemory memory;

        Loader(PhysicalMemory memory) {
            this.memory = memory;
        }

        @Override
        public Result load(byte[] image, AddressSpace space, PageAllocator frames) {
            if (image.length < 16) {
                return new Malformed(
                        image.length, "truncated test image header (" + image.length + " bytes)", List.of());
            }
            ByteBuffer b = ByteBuffer.wrap(image).order(ByteOrder.LITTLE_ENDIAN);
            if (b.getInt(0) != MAGIC) {
                return new Malformed(0, "not a test image (bad magic)", List.of());
            }
            long vaddr = Integer.toUnsignedLong(b.getInt(4));
            int entry = b.getInt(8);
            long memsz = Integer.toUnsignedLong(b.getInt(12));
            int size = image.length - 16;
            if (size > memsz) {
                return new Malformed(12, "memory size " + memsz + " is below the " + size + " bytes", List.of());
            }
            List<Page> pages = new ArrayList<>();
            for (long va = vaddr & ~0xfffL; va < vaddr + memsz; va += PhysicalMemory.PAGE_SIZE) {
                int vpn = (int) (va >>> 12);
                int frame = frames.allocate(vpn, true);
                if (frame < 0) {
                    return new Malformed(4, String.format("no frame for page 0x%x", va), List.copyOf(pages));
                }
                memory.clearFrame(frame);
                space.map(vpn, frame, true);
                pages.add(new Page(vpn, frame, true));
            }
            for (int k = 0; k < size; k++) {
                long va = vaddr + k;
                int frame = space.frameOf((int) (va >>> 12));
                memory.writeByte((long) frame * PhysicalMemory.PAGE_SIZE + (va & 0xfff), image[16 + k]);
            }
            return new Loaded(entry, List.copyOf(pages));
        }
    }
}
