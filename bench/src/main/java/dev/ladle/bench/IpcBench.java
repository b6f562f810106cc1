package dev.ladle.bench;

import dev.ladle.kernel.Abi;
import dev.ladle.kernel.Kernel;
import dev.ladle.kernel.KernelThread;
import dev.ladle.kernel.Machine;
import dev.ladle.kernel.boot.BootError;
import dev.ladle.kernel.boot.BootParser;
import dev.ladle.kernel.hw.AddressSpace;
import dev.ladle.kernel.hw.Cpu;
import dev.ladle.kernel.hw.ImageLoader;
import dev.ladle.kernel.hw.PhysicalMemory;
import dev.ladle.kernel.hw.Platform;
import dev.ladle.kernel.hw.Reg;
import dev.ladle.kernel.hw.RegisterFile;
import dev.ladle.x86.Elf32Loader;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Send and receive of a 6-word message through the kernel's trap entry (register file -> decode -> local-id lookup
 * -> generated machine -> vector -> receiver's registers), beside a hand-written ring buffer doing the same copy
 * between the same register files. No instruction runs: the registers are set as a trapping CPU would leave them.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Thread)
public class IpcBench {
    static final Reg[] WORDS = {Reg.EBX, Reg.ECX, Reg.EDX, Reg.ESI, Reg.EDI, Reg.EBP};

    /** Registers in an array, as a thread object keeps them. */
    static final class Regs implements RegisterFile {
        final int[] r = new int[Reg.values().length];

        @Override
        public int get(Reg reg) {
            return r[reg.ordinal()];
        }

        @Override
        public void set(Reg reg, int value) {
            r[reg.ordinal()] = value;
        }

        @Override
        public void get(Reg first, int count, int[] into, int at) {
            System.arraycopy(r, first.ordinal(), into, at, count);
        }

        @Override
        public void set(Reg first, int count, int[] from, int at) {
            System.arraycopy(from, at, r, first.ordinal(), count);
        }
    }

    Kernel kernel;
    KernelThread a;
    KernelThread b;
    final Regs sender = new Regs();
    final Regs receiver = new Regs();
    final int[] ring = new int[4 * 6];
    int head;
    int tail;
    int count;
    int n;

    @Setup(Level.Trial)
    public void setUp() throws BootError {
        String boot = "limits localids 4 pages 4 frames 8 vector 4\n"
                + "process a image x.elf\nprocess b image x.elf\nthread a in a\nthread b in b\n"
                + "cap a 1 -> b send\ncap b 1 -> a send\n";
        kernel = Kernel.boot(
                new MemoryPlatform(16),
                BootParser.parse("bench.boot", boot),
                name -> tinyElf(),
                Kernel.Options.defaults());
        a = kernel.thread("a");
        b = kernel.thread("b");
    }

    @Benchmark
    public int trapSendReceive() {
        int i = n++;
        sender.set(Reg.EAX, Abi.OP_SEND | 1 << 8);
        for (int k = 0; k < 6; k++) {
            sender.set(WORDS[k], i + k);
        }
        kernel.trap(a, sender);
        receiver.set(Reg.EAX, Abi.OP_RECEIVE);
        kernel.trap(b, receiver);
        return receiver.get(Reg.EBX) + receiver.get(Reg.EAX);
    }

    final int[] machineWords = new int[6];
    final int[] oldest = new int[Machine.PEEK_SIZE];

    /**
     * Where the trap entry's time goes: the same send and receive as {@link #trapSendReceive}, straight into the
     * generated machine's actions (through the kernel's {@code Machine} adapter), without decoding registers.
     */
    @Benchmark
    public int machineSendReceive() {
        int i = n++;
        Machine m = kernel.machine();
        for (int k = 0; k < 6; k++) {
            machineWords[k] = i + k;
        }
        m.send(a.id(), 1, machineWords);
        m.peekOldest(b.id(), oldest);
        m.receive(b.id());
        return oldest[Machine.PEEK_WORDS] + oldest[Machine.PEEK_FROM];
    }

    final HandTrap hand = handTrap();

    private static HandTrap handTrap() {
        HandTrap h = new HandTrap(2, 4, 4);
        h.cap(0, 1, 1, HandTrap.SEND_RIGHT);
        h.cap(1, 1, 0, HandTrap.SEND_RIGHT);
        return h;
    }

    /**
     * The same send and receive through {@link HandTrap}: the trap entry's work for the spec's guards and the ABI,
     * written by hand over plain arrays.
     */
    @Benchmark
    public int handTrapSendReceive() {
        int i = n++;
        sender.set(Reg.EAX, Abi.OP_SEND | 1 << 8);
        for (int k = 0; k < 6; k++) {
            sender.set(WORDS[k], i + k);
        }
        hand.trap(0, sender);
        receiver.set(Reg.EAX, Abi.OP_RECEIVE);
        hand.trap(1, receiver);
        return receiver.get(Reg.EBX) + receiver.get(Reg.EAX);
    }

    @Benchmark
    public int ringBufferSendReceive() {
        int i = n++;
        sender.set(Reg.EAX, Abi.OP_SEND | 1 << 8);
        for (int k = 0; k < 6; k++) {
            sender.set(WORDS[k], i + k);
        }
        // send: the same checks a vector needs (room), the same copy of six words
        if (count == 4) {
            sender.set(Reg.EAX, Abi.E_FULL);
        } else {
            int at = tail * 6;
            for (int k = 0; k < 6; k++) {
                ring[at + k] = sender.get(WORDS[k]);
            }
            tail = (tail + 1) & 3;
            count++;
            sender.set(Reg.EAX, Abi.OK);
        }
        receiver.set(Reg.EAX, Abi.OP_RECEIVE);
        if (count == 0) {
            receiver.set(Reg.EAX, Abi.E_EMPTY);
        } else {
            int at = head * 6;
            for (int k = 0; k < 6; k++) {
                receiver.set(WORDS[k], ring[at + k]);
            }
            head = (head + 1) & 3;
            count--;
            receiver.set(Reg.EAX, Abi.OK | 1 << 12);
        }
        return receiver.get(Reg.EBX) + receiver.get(Reg.EAX);
    }

    /** One page of code at 0x08048000 (never executed here). */
    static byte[] tinyElf() {
        ByteBuffer b = ByteBuffer.allocate(0x101).order(ByteOrder.LITTLE_ENDIAN);
        b.put(new byte[] {0x7f, 'E', 'L', 'F', 1, 1, 1, 0});
        b.position(16);
        b.putShort((short) 2)
                .putShort((short) 3)
                .putInt(1)
                .putInt(0x08048000)
                .putInt(52)
                .putInt(0)
                .putInt(0);
        b.putShort((short) 52).putShort((short) 32).putShort((short) 1).putShort((short) 0);
        b.putShort((short) 0).putShort((short) 0);
        b.position(52);
        b.putInt(1)
                .putInt(0x100)
                .putInt(0x08048000)
                .putInt(0x08048000)
                .putInt(1)
                .putInt(0x1000)
                .putInt(5);
        b.putInt(0x1000);
        b.put(0x100, (byte) 0xf4);
        return b.array();
    }

    /** Memory and address spaces only: the trap entry needs no CPU. */
    static final class MemoryPlatform implements Platform {
        private final byte[] bytes;

        MemoryPlatform(int frames) {
            bytes = new byte[frames * PhysicalMemory.PAGE_SIZE];
        }

        /** The x86 target's ELF32 loader, writing into this byte array. */
        @Override
        public ImageLoader imageLoader() {
            return new Elf32Loader(memory);
        }

        private final PhysicalMemory memory = new PhysicalMemory() {
            @Override
            public int frames() {
                return bytes.length / PAGE_SIZE;
            }

            @Override
            public byte readByte(long a) {
                return bytes[(int) a];
            }

            @Override
            public void writeByte(long a, byte v) {
                bytes[(int) a] = v;
            }

            @Override
            public int readInt(long a) {
                return ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).getInt((int) a);
            }

            @Override
            public void writeInt(long a, int v) {
                ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).putInt((int) a, v);
            }

            @Override
            public void copyFrame(int from, int to) {
                System.arraycopy(bytes, from * PAGE_SIZE, bytes, to * PAGE_SIZE, PAGE_SIZE);
            }

            @Override
            public void clearFrame(int frame) {
                java.util.Arrays.fill(bytes, frame * PAGE_SIZE, (frame + 1) * PAGE_SIZE, (byte) 0);
            }
        };

        @Override
        public PhysicalMemory memory() {
            return memory;
        }

        @Override
        public AddressSpace newAddressSpace() {
            Map<Integer, Integer> pages = new HashMap<>();
            java.util.Set<Integer> readOnly = new java.util.HashSet<>();
            return new AddressSpace() {
                @Override
                public void map(int vpn, int frame, boolean writable) {
                    pages.put(vpn, frame);
                    if (writable) {
                        readOnly.remove(vpn);
                    } else {
                        readOnly.add(vpn);
                    }
                }

                @Override
                public void unmap(int vpn) {
                    pages.remove(vpn);
                    readOnly.remove(vpn);
                }

                @Override
                public boolean writable(int vpn) {
                    return pages.containsKey(vpn) && !readOnly.contains(vpn);
                }

                @Override
                public int frameOf(int vpn) {
                    return pages.getOrDefault(vpn, -1);
                }

                @Override
                public AccessResult read32(int va) {
                    throw new UnsupportedOperationException("no user memory access in this benchmark");
                }

                @Override
                public AccessResult write32(int va, int value) {
                    throw new UnsupportedOperationException("no user memory access in this benchmark");
                }
            };
        }

        @Override
        public void destroy(AddressSpace space) {}

        @Override
        public Cpu cpu() {
            throw new UnsupportedOperationException("this benchmark runs no user code");
        }

        @Override
        public void close() {}
    }
}
