package dev.ladle.properties;

import dev.ladle.kernel.Kernel;
import dev.ladle.kernel.KernelThread;
import dev.ladle.kernel.boot.BootError;
import dev.ladle.kernel.boot.BootParser;
import dev.ladle.kernel.hw.AddressSpace;
import dev.ladle.kernel.hw.Cpu;
import dev.ladle.kernel.hw.ImageLoader;
import dev.ladle.kernel.hw.PhysicalMemory;
import dev.ladle.kernel.hw.Platform;
import dev.ladle.kernel.hw.Reg;
import dev.ladle.kernel.hw.RegisterFile;
import dev.ladle.kernel.hw.Stop;
import dev.ladle.persist.mem.CheckpointerPages;
import dev.ladle.persist.mem.CopyOnWrite;
import dev.ladle.persist.mem.DirtyPages;
import dev.ladle.x86.DirtyFrames;
import dev.ladle.x86.X86AddressSpace;
import dev.ladle.x86.X86PhysicalMemory;
import dev.ladle.x86.X86Platform;
import java.io.ByteArrayOutputStream;
import java.io.FileNotFoundException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * The islands' kernel ({@link Islands#PAGED}) on the IA-32 target ({@link X86Platform}: Unicorn, real two-level page
 * tables, the ELF32 loader) with every process running real machine code generated for it ({@link Program}): stores
 * of bytes and words into its heap, its stack and the pages other threads map, grant or copy to it (the pages after
 * its heap, where items land), read-modify-writes, loads, pushes and pops, register arithmetic, and system calls
 * through {@code int 0x30} with the registers the code loads just before, in a loop. The kernel's scheduler runs it
 * with a quantum of a few instructions, so slices end preempted mid-loop as well as at traps and faults; a fault goes
 * to the thread's pager (a1, b1, c1) or ends the thread. A {@link KernelPersistenceTraceProperties.Target}: the world
 * persisted is the kernel's frames {@code 0 .. limits frames} read off the engine's memory: a checkpoint's frames reach
 * the log through the checkpointer thread ({@code ck}, in a process of its own that halts at its first slice; {@link
 * CheckpointerPages}: each frame mapped into its address space, read where it lies, given back once the log wrote it;
 * a page's first write armed by its D bit), checked by {@link CheckpointerLedger}; their writes tracked by the D bits
 * ({@link DirtyFrames}).
 */
final class X86Threads implements Platform, KernelPersistenceTraceProperties.Target {
    /** Where the images' one segment starts (the window's first page) and where the code lies in it. */
    static final int VADDR = (Islands.BASE + 1) << 12;

    private static final int HEADERS = 52 + 32;
    /** The first instruction of every image (its entry, and where its loop jumps back to). */
    static final int CODE = VADDR + HEADERS;

    /** The boot: the paged islands, each process with its own image and a heap of two pages (pages 2 and 3). */
    static final String BOOT = paged();

    private static String paged() {
        StringBuilder b = new StringBuilder();
        for (String line : Islands.PAGED.split("\n")) {
            String[] w = line.split(" ");
            b.append(w[0].equals("process") ? "process " + w[1] + " image " + w[1] + ".elf heap 2" : line)
                    .append('\n');
        }
        return b.toString()
                .replace("thread a0 in a0\n", "process ck image ck.elf\nthread a0 in a0\n")
                .replace("cap a0 1 -> a1", "thread ck in ck checkpointer\ncap a0 1 -> a1");
    }

    /** One instruction of a thread's code. */
    sealed interface Insn {
        /** The instruction's bytes. */
        void encode(ByteArrayOutputStream out);
    }

    /** The address of byte {@code offset} of the window's page {@code page}. */
    static int address(int page, int offset) {
        return ((Islands.BASE + page) << 12) + offset;
    }

    /** {@code mov dword [a], value} or {@code mov byte [a], value}: a store to page {@code page}. */
    record Store(boolean word, int page, int offset, int value) implements Insn {
        @Override
        public void encode(ByteArrayOutputStream out) {
            out.write(word ? 0xc7 : 0xc6);
            out.write(0x05);
            le(out, address(page, offset));
            if (word) {
                le(out, value);
            } else {
                out.write(value);
            }
        }
    }

    /** {@code hlt}: in user mode, a stop that ends the thread (the checkpointer's one instruction). */
    record Halt() implements Insn {
        @Override
        public void encode(ByteArrayOutputStream out) {
            out.write(0xf4);
        }
    }

    /** The checkpointer's program: it halts at its first slice; the kernel maps snapshot pages into its process. */
    static final Program CHECKPOINTER = new Program(List.of(new Halt()));

    /** {@code add dword [a], value} (a sign-extended byte): a read-modify-write of page {@code page}. */
    record AddTo(int page, int offset, int value) implements Insn {
        @Override
        public void encode(ByteArrayOutputStream out) {
            out.write(0x83);
            out.write(0x05);
            le(out, address(page, offset));
            out.write(value);
        }
    }

    /** {@code mov eax, [a]}: a load from page {@code page}. */
    record Load(int page, int offset) implements Insn {
        @Override
        public void encode(ByteArrayOutputStream out) {
            out.write(0xa1);
            le(out, address(page, offset));
        }
    }

    /** {@code add r32, value} for a register other than ESP. */
    record AddReg(Reg reg, int value) implements Insn {
        @Override
        public void encode(ByteArrayOutputStream out) {
            out.write(0x81);
            out.write(0xc0 | code(reg));
            le(out, value);
        }
    }

    /** {@code push value}: a store at ESP - 4 (the stack page, or wherever ESP points). */
    record Push(int value) implements Insn {
        @Override
        public void encode(ByteArrayOutputStream out) {
            out.write(0x68);
            le(out, value);
        }
    }

    /** {@code pop r32} for a register other than ESP. */
    record Pop(Reg reg) implements Insn {
        @Override
        public void encode(ByteArrayOutputStream out) {
            out.write(0x58 | code(reg));
        }
    }

    /**
     * A system call: {@code mov} of its number and operand into EAX and of its words into EBX, ECX, EDX, ESI, EDI and
     * EBP, then {@code int 0x30}; a thread creation ({@code atCode}) starts the new thread at the image's code.
     */
    record Call(Syscall call, boolean atCode) implements Insn {
        @Override
        public void encode(ByteArrayOutputStream out) {
            RegisterFile regs = new CallLoads();
            call.load(regs);
            if (atCode && call.op() == dev.ladle.kernel.Abi.OP_THREAD_CREATE) {
                regs.set(Reg.EBX, CODE);
            }
            for (Reg r : new Reg[] {Reg.EAX, Reg.EBX, Reg.ECX, Reg.EDX, Reg.ESI, Reg.EDI, Reg.EBP}) {
                out.write(0xb8 | code(r));
                le(out, regs.get(r));
            }
            out.write(0xcd);
            out.write(0x30);
        }
    }

    /** The registers a call's {@code mov}s load (for encoding them). */
    private static final class CallLoads implements RegisterFile {
        private final int[] regs = new int[Reg.COUNT];

        @Override
        public int get(Reg r) {
            return regs[r.ordinal()];
        }

        @Override
        public void set(Reg r, int value) {
            regs[r.ordinal()] = value;
        }
    }

    /** The register's number in an instruction's encoding. */
    private static int code(Reg r) {
        return switch (r) {
            case EAX -> 0;
            case ECX -> 1;
            case EDX -> 2;
            case EBX -> 3;
            case ESP -> 4;
            case EBP -> 5;
            case ESI -> 6;
            case EDI -> 7;
            default -> throw new IllegalArgumentException(r + " is no general register");
        };
    }

    private static void le(ByteArrayOutputStream out, int v) {
        out.write(v);
        out.write(v >>> 8);
        out.write(v >>> 16);
        out.write(v >>> 24);
    }

    /** The code of one process: its instructions in a loop ({@code jmp} back to the first at the end). */
    record Program(List<Insn> insns) {
        byte[] code() {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            for (Insn i : insns) {
                i.encode(out);
            }
            out.write(0xe9); // jmp rel32, back to the first instruction
            le(out, -(out.size() + 4));
            return out.toByteArray();
        }

        /** An ELF32 executable of one read-execute segment: the headers, then the code (the entry: its first byte). */
        byte[] image() {
            byte[] code = code();
            if (HEADERS + code.length > PhysicalMemory.PAGE_SIZE) {
                throw new IllegalArgumentException("a program of " + code.length + " bytes does not fit its page");
            }
            ByteBuffer b = ByteBuffer.allocate(HEADERS + code.length).order(ByteOrder.LITTLE_ENDIAN);
            b.put(new byte[] {0x7f, 'E', 'L', 'F', 1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0});
            b.putShort((short) 2); // ET_EXEC
            b.putShort((short) 3); // EM_386
            b.putInt(1);
            b.putInt(CODE); // e_entry
            b.putInt(52); // e_phoff
            b.putInt(0); // e_shoff
            b.putInt(0); // e_flags
            b.putShort((short) 52);
            b.putShort((short) 32);
            b.putShort((short) 1);
            b.putShort((short) 40);
            b.putShort((short) 0);
            b.putShort((short) 0);
            b.putInt(1); // PT_LOAD
            b.putInt(0); // p_offset
            b.putInt(VADDR);
            b.putInt(VADDR);
            b.putInt(HEADERS + code.length); // p_filesz
            b.putInt(HEADERS + code.length); // p_memsz
            b.putInt(5); // PF_R | PF_X
            b.putInt(PhysicalMemory.PAGE_SIZE);
            b.put(code);
            return b.array();
        }
    }

    private final List<Program> programs;
    private final int quantum;
    private final int maxSteps;
    private final X86Platform x86;
    private final Kernel kernel;
    private final KernelWorld world;
    private final List<X86Threads> fresh = new ArrayList<>();
    private BiConsumer<RegisterFile, Stop> onStop;
    private long steps;
    private long lifecycle;
    /** Slices by how they stopped: preempted at the quantum's end, at a trap, at a page fault, otherwise. */
    long preempted;

    long traps;
    long faults;
    long otherStops;
    /** Frames written between two operation records, logged as page deltas (the logged modes). */
    long framesWritten;
    /**
     * Slices whose code wrote a page another thread's item landed in (mapped, granted or copied: the pages after the
     * heap, {@link #LANDING}).
     */
    long storesToLandedPages;

    /** The pages of the window items land in (the lowest free ones: after the code page and the heap). */
    private static final int[] LANDING = {4, 5};

    /**
     * The system of {@code programs} (one per process of {@link #BOOT}, in its order), scheduled with a quantum of
     * {@code quantum} instructions, run for at most {@code maxSteps} scheduler steps.
     */
    X86Threads(List<Program> programs, int quantum, int maxSteps) {
        if (programs.size() != Islands.THREADS.length) {
            throw new IllegalArgumentException(
                    programs.size() + " programs for " + Islands.THREADS.length + " processes");
        }
        this.programs = List.copyOf(programs);
        this.quantum = quantum;
        this.maxSteps = maxSteps;
        this.x86 = new X86Platform(X86Platform.Config.ofMemory(1L << 20));
        try {
            this.kernel = Kernel.boot(
                    this,
                    BootParser.parse("x86-threads.boot", BOOT),
                    name -> {
                        for (int p = 0; p < Islands.THREADS.length; p++) {
                            if (name.equals(Islands.THREADS[p] + ".elf")) {
                                return this.programs.get(p).image();
                            }
                        }
                        if (name.equals("ck.elf")) {
                            return CHECKPOINTER.image();
                        }
                        throw new FileNotFoundException(name);
                    },
                    new Kernel.Options(1, quantum, true, false));
        } catch (BootError e) {
            x86.close();
            throw new IllegalStateException("the boot description is refused: " + e.getMessage(), e);
        }
        int count = kernel.limits().frames() + 1;
        X86PhysicalMemory engine = x86.memory();
        this.world = new KernelWorld(
                kernel,
                lock -> {
                    // the log reads a frame where it lies; a clean page's first write stops the engine (D bit clear)
                    CheckpointerPages pages = new CheckpointerPages(
                            kernel, engine::frameView, X86AddressSpace::armFirstWrite, lock, count);
                    engine.onFirstWrite(pages::beforeWrite);
                    pages.armWritesWith(x86::armWrites);
                    return pages;
                },
                cow -> frames(x86, count, cow));
    }

    /**
     * The kernel's frames {@code 0 .. count - 1} of the engine's memory, snapshot by {@code cow}, their writes
     * told by the D bits and the memory ({@link DirtyFrames}); counts the frames written between two records
     * ({@link #framesWritten}: what the code stored, and the kernel's own writes).
     */
    private KernelWorld.Frames frames(X86Platform platform, int count, CopyOnWrite cow) {
        X86PhysicalMemory memory = platform.memory();
        DirtyFrames dirty = new DirtyFrames(platform, count);
        DirtyFrames.DrainedSet sinceCheckpoint = dirty.newSet();
        DirtyFrames.DrainedSet sinceRecord = dirty.newSet();
        DirtyPages counted = new DirtyPages() {
            private boolean first = true; // the first drain knows nothing of what was written before: every frame

            @Override
            public java.util.BitSet drainDirtySinceCheckpoint() {
                return sinceCheckpoint.drain();
            }

            @Override
            public java.util.BitSet drainDirtySinceRecord() {
                java.util.BitSet b = sinceRecord.drain();
                counted = !first;
                if (counted) {
                    framesWritten += b.cardinality();
                }
                first = false;
                return b;
            }

            /** Whether the last drain's frames were counted (the first drain's are not). */
            private boolean counted;

            @Override
            public void remarkDirtySinceRecord(java.util.BitSet frames) {
                sinceRecord.remark(frames);
                if (counted) {
                    framesWritten -= frames.cardinality(); // not logged: counted when they are
                } else {
                    first = true;
                }
            }
        };
        return new KernelWorld.Frames() {
            @Override
            public int frames() {
                return count;
            }

            @Override
            public void readFrame(int frame, byte[] into) {
                memory.read((long) frame * PhysicalMemory.PAGE_SIZE, into, 0, into.length);
            }

            @Override
            public void installFrame(int frame, byte[] from) {
                memory.write((long) frame * PhysicalMemory.PAGE_SIZE, from, 0, PhysicalMemory.PAGE_SIZE);
            }

            @Override
            public void wipe() {
                for (int f = 0; f < count; f++) {
                    memory.clearFrame(f);
                }
            }

            @Override
            public boolean pagesIn() {
                return true;
            }

            /** Frames {@code 0 .. count - 1} wait; every engine drops what it mirrors ({@link X86Platform}'s). */
            @Override
            public void awaitContents(java.util.function.IntFunction<byte[]> contents) {
                platform.awaitContents(count, contents);
            }

            @Override
            public boolean waits(int frame) {
                return memory.waits(frame);
            }

            @Override
            public int waitingFrames() {
                return memory.waitingFrames();
            }

            @Override
            public long pagedIn() {
                return memory.pagedIn();
            }

            @Override
            public CopyOnWrite copyOnWrite() {
                return cow;
            }

            @Override
            public DirtyPages dirtyPages() {
                return counted;
            }
        };
    }

    Kernel kernel() {
        return kernel;
    }

    /** The kernel's checkpointer pages: how a checkpoint's frames reach the log. */
    CheckpointerPages pages() {
        return world.pages();
    }

    // ================================================================ the platform: the target's, the CPU watched

    @Override
    public PhysicalMemory memory() {
        return x86.memory();
    }

    @Override
    public AddressSpace newAddressSpace() {
        return x86.newAddressSpace();
    }

    @Override
    public void destroy(AddressSpace space) {
        x86.destroy(space);
    }

    @Override
    public int userFrames() {
        return x86.userFrames();
    }

    @Override
    public ImageLoader imageLoader() {
        return x86.imageLoader();
    }

    /** The target's CPU; the hook sees each slice's stop before the kernel acts on it. */
    @Override
    public Cpu cpu() {
        Cpu real = x86.cpu();
        return new Cpu() {
            @Override
            public Stop run(AddressSpace space, RegisterFile regs, long maxInstructions) {
                // the frames at the pages where items land, before the slice
                int t = ((KernelThread) regs).id();
                int[] landed = new int[LANDING.length];
                byte[][] before = new byte[LANDING.length][];
                for (int k = 0; k < LANDING.length; k++) {
                    landed[k] = kernel.machine().pt(t, LANDING[k]);
                    if (landed[k] != dev.ladle.kernel.Machine.NO_FRAME) {
                        before[k] = new byte[PhysicalMemory.PAGE_SIZE];
                        world.readFrame(landed[k], before[k]);
                    }
                }
                Stop stop = real.run(space, regs, maxInstructions);
                byte[] after = new byte[PhysicalMemory.PAGE_SIZE];
                for (int k = 0; k < LANDING.length; k++) {
                    if (before[k] != null) {
                        world.readFrame(landed[k], after);
                        if (!java.util.Arrays.equals(before[k], after)) {
                            storesToLandedPages++;
                            break;
                        }
                    }
                }
                if (stop instanceof Stop.Preempted) {
                    preempted++;
                } else if (stop instanceof Stop.Trap) {
                    traps++;
                } else if (stop instanceof Stop.Fault) {
                    faults++;
                } else {
                    otherStops++;
                }
                if (onStop != null) {
                    onStop.accept(regs, stop);
                }
                return stop;
            }

            @Override
            public long lastInstructionCount() {
                return real.lastInstructionCount();
            }
        };
    }

    // ================================================================ the target persisted

    @Override
    public KernelWorld world() {
        return world;
    }

    @Override
    public void onStop(BiConsumer<RegisterFile, Stop> hook) {
        onStop = hook;
    }

    /** At most {@code maxSteps} scheduler steps, fewer when no thread can run any more. */
    @Override
    public void run(Consumer<Runnable> around) {
        boolean[] live = liveThreads();
        for (int i = 0; i < maxSteps; i++) {
            long before = kernel.stats().steps();
            around.accept(() -> kernel.run(1));
            if (kernel.stats().steps() == before) {
                return; // every live thread is blocked, or none is left
            }
            steps++;
            boolean[] now = liveThreads();
            for (int t = 0; t < now.length; t++) {
                lifecycle += now[t] != live[t] ? 1 : 0;
            }
            live = now;
        }
    }

    private boolean[] liveThreads() {
        boolean[] live = new boolean[kernel.machine().sizes().threads()];
        for (KernelThread t : kernel.threads()) {
            if (t != null && t.state() != KernelThread.State.DEAD) {
                live[t.id()] = true;
            }
        }
        return live;
    }

    /** Instructions the threads ran. */
    long instructions() {
        return kernel.stats().instructions();
    }

    @Override
    public long steps() {
        return steps;
    }

    @Override
    public long lifecycle() {
        return lifecycle;
    }

    @Override
    public int size() {
        return maxSteps;
    }

    /** Its memory pages a waiting frame in on first touch: crash images are recovered lazily as well. */
    @Override
    public boolean pagesIn() {
        return true;
    }

    @Override
    public KernelWorld fresh(KernelWorld.Replay replay) {
        X86Threads f = new X86Threads(programs, quantum, 0);
        fresh.add(f);
        f.world.replayAs(replay);
        return f.world;
    }

    @Override
    public void close() {
        for (X86Threads f : fresh) {
            f.close();
        }
        fresh.clear();
        x86.close();
    }
}
