package dev.ladle.properties;

import dev.ladle.kernel.Kernel;
import dev.ladle.kernel.boot.BootError;
import dev.ladle.kernel.boot.BootParser;
import java.io.FileNotFoundException;

/**
 * A boot configuration whose authority graph falls apart into islands: threads hold capabilities only to threads
 * of their own island, with every mix of rights (send and grant, send only, grant only), and one island
 * is confined. b0 holds a capability to itself, so pages and capabilities are also granted to oneself. No
 * sequence of system calls may ever give a thread authority over a thread or a frame of another island.
 */
final class Islands {
    static final int LOCAL_IDS = 4;
    static final int PAGES = 6;
    static final int FRAMES = 48;
    static final int BASE = 0x08047;

    /** The threads in boot order and the island of each. */
    static final String[] THREADS = {"a0", "a1", "a2", "b0", "b1", "c0", "c1"};

    static final int[] ISLAND = {0, 0, 0, 1, 1, 2, 2};

    static final String BOOT = """
            limits localids 4 pages 6 frames 48 vector 2
            process a0 image one.elf heap 1
            process a1 image one.elf
            process a2 image one.elf heap 2
            process b0 image one.elf
            process b1 image one.elf heap 1
            process c0 image one.elf
            process c1 image one.elf
            thread a0 in a0
            thread a1 in a1
            thread a2 in a2
            thread b0 in b0
            thread b1 in b1
            thread c0 in c0 confined
            thread c1 in c1 confined
            cap a0 1 -> a1 send grant
            cap a0 2 -> a2 send
            cap a1 1 -> a0 send grant
            cap a1 2 -> a2 send grant
            cap a2 1 -> a0 grant
            cap b0 1 -> b1 send grant
            cap b0 2 -> b0 send grant
            cap b1 1 -> b0 send
            cap b1 2 -> b0 grant
            cap c0 1 -> c1 send
            cap c1 1 -> c0 send grant
            """;

    /**
     * The islands with a pager for one thread of each (its capability with the send right to the island's other
     * thread): a fault of a1, b1 or c1 is a message to a0, b0 or c0; every other thread ends at its first fault.
     */
    static final String PAGED = BOOT.replace("thread a1 in a1\n", "thread a1 in a1 pager 1\n")
            .replace("thread b1 in b1\n", "thread b1 in b1 pager 1\n")
            .replace("thread c1 in c1 confined\n", "thread c1 in c1 pager 1 confined\n");

    /**
     * The islands with a checkpointer thread ({@code ck}, thread object 7, in a process of its own, in no island: no
     * capability names it or is held by it): the kernel maps a checkpoint's frames into its address space. Its first
     * slice ends it (the attack gives it no call: a halt); an ended thread keeps its address space, as the default
     * system's {@code checkpointer} does. Its window is its 6 pages less its image and stack: 4 frames at once.
     */
    static final String CHECKPOINTED = BOOT.replace("thread a0 in a0\n", "process ck image one.elf\nthread a0 in a0\n")
            .replace("cap a0 1 -> a1", "thread ck in ck checkpointer\ncap a0 1 -> a1");

    private Islands() {}

    static Kernel boot(AttackPlatform platform, boolean checkInvariants, String boot) {
        try {
            return Kernel.boot(
                    platform,
                    BootParser.parse("islands.boot", boot),
                    name -> {
                        if (name.equals("one.elf")) {
                            return platform.image();
                        }
                        throw new FileNotFoundException(name);
                    },
                    new Kernel.Options(1, 1, checkInvariants, true));
        } catch (BootError e) {
            throw new IllegalStateException("the islands' boot description is refused: " + e.getMessage(), e);
        }
    }
}
