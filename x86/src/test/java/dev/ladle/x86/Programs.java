package dev.ladle.x86;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import dev.ladle.kernel.hw.ImageLoader;
import dev.ladle.kernel.hw.Reg;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/** The userland test programs, and a process made of one: an address space, its image, a stack, registers. */
final class Programs {
    static final int STACK_TOP = 0xC000_0000;

    private Programs() {}

    static byte[] image(String name) {
        try (InputStream in = Programs.class.getResourceAsStream("/userland/" + name + ".elf")) {
            if (in == null) {
                throw new IllegalStateException("no userland/" + name + ".elf on the classpath (build userland/)");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A process running {@code name}: frames come from a counter starting at {@code firstFrame}. */
    static final class Process {
        final X86AddressSpace space;
        final X86Registers regs = new X86Registers();
        final ImageLoader.Loaded loaded;
        private int nextFrame;

        Process(X86Platform platform, String name, int firstFrame) {
            this.nextFrame = firstFrame;
            this.space = platform.newAddressSpace();
            ImageLoader.Result r = platform.imageLoader().load(image(name), space, (vpn, w) -> nextFrame++);
            this.loaded = assertInstanceOf(ImageLoader.Loaded.class, r, () -> r.toString());
            space.map((STACK_TOP >>> 12) - 1, nextFrame++, true);
            regs.set(Reg.EIP, loaded.entry());
            regs.set(Reg.ESP, STACK_TOP);
        }

        int allocateFrame() {
            return nextFrame++;
        }
    }
}
