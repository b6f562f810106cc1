package dev.ladle.properties;

import dev.ladle.kernel.hw.AddressSpace;
import dev.ladle.kernel.hw.Cpu;
import dev.ladle.kernel.hw.ImageLoader;
import dev.ladle.kernel.hw.PhysicalMemory;
import dev.ladle.kernel.hw.RegisterFile;
import dev.ladle.kernel.hw.Stop;
import dev.ladle.persist.mem.InMemoryPhysicalMemory;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A platform whose CPU runs an adversary instead of user code: each time the scheduler puts a thread on the CPU,
 * the {@link Program} chooses the registers of the system call it makes, and the CPU stops at {@code int 0x30}
 * at once. Memory is a byte array, an address space a map from virtual page to frame. The kernel's scheduler,
 * trap entry, page-table mirroring and invariant checks are the real ones.
 */
final class AdversaryPlatform implements AttackPlatform {

    private final InMemoryPhysicalMemory memory;
    private final List<Space> spaces = new ArrayList<>();
    private Program program = regs -> null;

    /**
     * Called with the thread and how its slice stopped, its registers loaded, before the kernel acts on the stop (the
     * operation log's hook: a step's record is appended here); null: none.
     */
    java.util.function.BiConsumer<RegisterFile, Stop> onStop;

    AdversaryPlatform(int frames) {
        memory = new InMemoryPhysicalMemory(frames);
    }

    @Override
    public void program(Program p) {
        program = p;
    }

    @Override
    public PhysicalMemory memory() {
        return memory;
    }

    @Override
    public AddressSpace newAddressSpace() {
        Space s = new Space();
        spaces.add(s);
        return s;
    }

    @Override
    public void destroy(AddressSpace space) {
        spaces.remove(space);
    }

    @Override
    public List<Map<Integer, Integer>> mappings(dev.ladle.kernel.hw.AddressSpace except) {
        List<Map<Integer, Integer>> out = new ArrayList<>();
        for (Space s : spaces) {
            out.add(s == except ? Map.of() : new TreeMap<>(s.map));
        }
        return out;
    }

    /**
     * The adversary runs no user code, so its images are one page each: a little-endian virtual address (page
     * aligned, also the entry point) followed by at most a page of bytes. The ELF32 format is the x86 target's.
     */
    static byte[] onePageImage(int vaddr, byte... bytes) {
        return ByteBuffer.allocate(4 + bytes.length)
                .order(ByteOrder.LITTLE_ENDIAN)
                .putInt(vaddr)
                .put(bytes)
                .array();
    }

    @Override
    public byte[] image() {
        return onePageImage((Islands.BASE + 1) << 12, (byte) 0xf4);
    }

    @Override
    public ImageLoader imageLoader() {
        return (image, space, frames) -> {
            if (image.length < 4 || image.length > 4 + PhysicalMemory.PAGE_SIZE) {
                return new ImageLoader.Malformed(0, "a one-page image of " + image.length + " bytes", List.of());
            }
            int vaddr = ByteBuffer.wrap(image).order(ByteOrder.LITTLE_ENDIAN).getInt(0);
            if ((vaddr & 0xfff) != 0) {
                return new ImageLoader.Malformed(0, String.format("0x%x is not page aligned", vaddr), List.of());
            }
            int vpn = vaddr >>> 12;
            int frame = frames.allocate(vpn, true);
            if (frame < 0) {
                return new ImageLoader.Malformed(0, "no frame for the page", List.of());
            }
            memory.clearFrame(frame);
            for (int k = 4; k < image.length; k++) {
                memory.writeByte((long) frame * PhysicalMemory.PAGE_SIZE + k - 4, image[k]);
            }
            space.map(vpn, frame, true);
            return new ImageLoader.Loaded(vaddr, List.of(new ImageLoader.Page(vpn, frame, true)));
        };
    }

    @Override
    public Cpu cpu() {
        return new Cpu() {
            @Override
            public Stop run(AddressSpace space, RegisterFile regs, long maxInstructions) {
                Move m = program.next(regs);
                if (m instanceof Access) {
                    throw new IllegalStateException("this platform runs no user code: " + m);
                }
                Stop stop = m != null ? new Stop.Trap(0x30) : new Stop.Halted();
                if (onStop != null) {
                    onStop.accept(regs, stop);
                }
                return stop;
            }

            @Override
            public long lastInstructionCount() {
                return 1;
            }
        };
    }

    @Override
    public void close() {}

    static final class Space implements AddressSpace {
        final Map<Integer, Integer> map = new TreeMap<>();
        final java.util.Set<Integer> readOnly = new java.util.TreeSet<>();

        @Override
        public void map(int vpn, int frame, boolean writable) {
            map.put(vpn, frame);
            if (writable) {
                readOnly.remove(vpn);
            } else {
                readOnly.add(vpn);
            }
        }

        @Override
        public void unmap(int vpn) {
            map.remove(vpn);
            readOnly.remove(vpn);
        }

        @Override
        public boolean writable(int vpn) {
            return map.containsKey(vpn) && !readOnly.contains(vpn);
        }

        @Override
        public int frameOf(int vpn) {
            return map.getOrDefault(vpn, -1);
        }

        @Override
        public AccessResult read32(int virtualAddress) {
            throw new UnsupportedOperationException("the adversary's kernel never reads user memory");
        }

        @Override
        public AccessResult write32(int virtualAddress, int value) {
            throw new UnsupportedOperationException("the adversary's kernel never writes user memory");
        }
    }
}
