package dev.ladle.kernel;

import dev.ladle.kernel.KernelThread.State;
import dev.ladle.kernel.boot.BootDescription;
import dev.ladle.kernel.boot.BootDescription.CapDecl;
import dev.ladle.kernel.boot.BootDescription.Limits;
import dev.ladle.kernel.boot.BootDescription.ProcessDecl;
import dev.ladle.kernel.boot.BootDescription.ThreadDecl;
import dev.ladle.kernel.boot.BootError;
import dev.ladle.kernel.hw.AddressSpace;
import dev.ladle.kernel.hw.Cpu;
import dev.ladle.kernel.hw.ImageLoader;
import dev.ladle.kernel.hw.PageFault;
import dev.ladle.kernel.hw.PhysicalMemory;
import dev.ladle.kernel.hw.Platform;
import dev.ladle.kernel.hw.Reg;
import dev.ladle.kernel.hw.RegisterFile;
import dev.ladle.kernel.hw.Stop;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * The kernel: boots a system from a {@link BootDescription}, runs its threads on a {@link Platform}'s CPU under
 * the deterministic {@link Scheduler}, and handles every trap. Every state change the spec speaks of goes through
 * the generated machine ({@link Machine}); this class adds only what the spec abstracts: registers, page-table
 * edits mirroring the machine's page map, frame contents, and scheduling.
 *
 * <p>The system-call entry is {@link #trap(KernelThread, RegisterFile)}; its ABI is {@code docs/abi.md}. A
 * refused call changes nothing but EAX. With {@link Options#checkInvariants()} every generated invariant and the
 * page tables (they must decode to exactly the machine's page map) are checked after every step.
 */
public final class Kernel {
    /**
     * @param seed the scheduler's seed
     * @param quantum the longest slice, in instructions
     * @param checkInvariants check every generated invariant and the page tables after every step
     * @param keepTrace keep every system call in {@link Stats#trace()}
     */
    public record Options(long seed, int quantum, boolean checkInvariants, boolean keepTrace) {
        public static Options defaults() {
            return new Options(1, 10_000, false, false);
        }
    }

    /** Where the images a boot description names come from. */
    public interface Images {
        byte[] read(String name) throws IOException;
    }

    /** An invariant does not hold after a step: a kernel or spec bug, never a user error. */
    public static final class InvariantViolation extends RuntimeException {
        InvariantViolation(String message) {
            super(message);
        }
    }

    /** Kernel events in the trace beside the system calls (operation numbers no system call uses). */
    public static final int EVENT_FAULT = 0x100;

    public static final int EVENT_KILL = 0x101;

    private static final int EFLAGS_USER = 0x202;

    private final Platform platform;
    private final Machine machine;
    private final Limits limits;
    /** {@code limits.localIds()}, read on every send and receive. */
    private final int localIds;

    private final KernelThread[] threads;
    private final List<Process> processes;
    /** The kernel's process of each process object of the machine (a boot thread's is numbered like it). */
    private final Process[] processOf;

    private final Options options;
    private final Scheduler scheduler;
    private final Stats stats;
    private final int[] words = new int[Abi.WORDS];
    private final int[] message = new int[Machine.PEEK_SIZE];
    private final int[] runnable;

    /**
     * Thread-table entries the kernel has looked at to retire deleted threads, over its life: one per thread a
     * deletion deleted (the deletion walk's own list), never a pass over the whole table.
     */
    long retireVisits;

    /**
     * Pages the kernel has looked at to make the page tables follow the machine's page map, over its life: after a
     * page operation, one per page the machine's steps changed, never a pass over every address space.
     */
    long mirrorVisits;

    private String stopReason = "";

    /**
     * Why the kernel runs no further step (null: it runs): a step was aborted in its middle because a frame could not
     * be paged in ({@link #refuseIfStopped}).
     */
    private String stopped;

    /** The checkpointer's thread object (the boot description's {@code checkpointer}), or -1 when there is none. */
    private final int checkpointer;

    /**
     * The checkpointer's pages a snapshot frame is mapped at ({@link #mapSnapshot}): read-only in its page tables. Not
     * part of a checkpoint (a checkpoint is taken when the checkpointer holds none, and a recovered kernel holds none).
     */
    private final java.util.BitSet snapshotPages = new java.util.BitSet();

    /** {@link #mapSnapshot}: frame {@code f} is mapped by no process as its root (a free frame) and cannot be mapped. */
    public static final int SNAPSHOT_NO_ROOT = -1;

    /** {@link #mapSnapshot}: the checkpointer has no free page (the spec's {@code CheckpointerHasFreePage}). */
    public static final int SNAPSHOT_NO_FREE_PAGE = -2;

    private Kernel(
            Platform platform,
            Machine machine,
            Limits limits,
            KernelThread[] threads,
            List<Process> processes,
            Options options,
            int checkpointer) {
        this.platform = platform;
        this.checkpointer = checkpointer;
        this.machine = machine;
        this.limits = limits;
        this.localIds = limits.localIds();
        this.threads = threads;
        this.processes = new ArrayList<>(processes);
        this.processOf = new Process[threads.length];
        for (Process p : processes) {
            processOf[p.id()] = p;
        }
        this.options = options;
        this.scheduler = new Scheduler(options.seed(), options.quantum());
        this.stats = new Stats(options.keepTrace());
        this.runnable = new int[threads.length];
    }

    // ================================================================ boot

    /**
     * Builds the machine from the description (its tables are the spec's {@code InitCSpace}, its page maps
     * {@code InitPages}, its processes {@code InitProc}), loads every process's image into fresh frames (pages of a
     * segment without the write flag are read-only), and sets every thread at its image's entry point (or its
     * {@code entry}) with the stack pointer at the top of its own stack pages.
     */
    public static Kernel boot(Platform platform, BootDescription boot, Images images, Options options)
            throws BootError {
        Limits lim = boot.limits();
        String file = boot.file();
        int n = lim.threads();
        PhysicalMemory memory = platform.memory();
        if (platform.userFrames() <= lim.frames()) {
            throw new BootError(
                    file,
                    1,
                    1,
                    "limits frames " + lim.frames() + " needs " + (lim.frames() + 1)
                            + " physical frames; the platform gives the kernel " + platform.userFrames());
        }
        int[][][] cspace = new int[n][lim.localIds()][];
        for (CapDecl c : boot.caps()) {
            cspace[boot.threadIndex(c.thread())][c.localId() - 1] =
                    new int[] {boot.threadIndex(c.target()), c.rights()};
        }
        List<ProcessDecl> decls = boot.processes();
        int np = decls.size();
        // page maps per process (the spec's InitPages); processes are numbered 0..np-1 in declaration order; a
        // thread object the description does not declare is free (for THREAD_CREATE and PROCESS_CREATE), and so
        // are the process objects after the declared ones
        int[][] pages = new int[n][lim.pages()];
        int[] initProc = new int[n];
        boolean[] confined = new boolean[n];
        int[] entries = new int[np];
        byte[][] imageBytes = new byte[np][];
        List<TreeSet<Integer>> imagePages = new ArrayList<>();
        List<java.util.BitSet> readOnly = new ArrayList<>();
        int[] threadsIn = new int[np];
        for (int i = 0; i < boot.threads().size(); i++) {
            ThreadDecl td = boot.threads().get(i);
            initProc[i] = decls.indexOf(boot.process(td.process()));
            threadsIn[initProc[i]]++;
            confined[i] = td.confined();
        }
        for (int i = boot.threads().size(); i < n; i++) {
            initProc[i] = Machine.NO_OBJ;
        }
        ImageLoader loader = platform.imageLoader();
        int nextFrame = 1;
        for (int pi = 0; pi < np; pi++) {
            ProcessDecl p = decls.get(pi);
            String where = "image " + p.image();
            int line = p.imagePos().line();
            int col = p.imagePos().column();
            byte[] bytes;
            try {
                bytes = images.read(p.image());
            } catch (IOException e) {
                throw new BootError(file, line, col, where + " cannot be read: " + e.getMessage());
            }
            imageBytes[pi] = bytes;
            // The loader places the image in a scratch address space with frames the boot hands out in page
            // order; the process's own space is built from the machine's page map afterwards.
            long[] outside = {-1};
            boolean[] outOfFrames = {false};
            int[] next = {nextFrame};
            AddressSpace scratch = platform.newAddressSpace();
            ImageLoader.Result result;
            try {
                result = loader.load(bytes, scratch, (vpn, writable) -> {
                    if (page(lim, vpn) < 0) {
                        outside[0] = vpn;
                        return -1;
                    }
                    if (next[0] > lim.frames()) {
                        outOfFrames[0] = true;
                        return -1;
                    }
                    return physical(next[0]++);
                });
            } finally {
                platform.destroy(scratch);
            }
            if (result instanceof ImageLoader.Malformed m) {
                if (outside[0] >= 0) {
                    throw new BootError(
                            file,
                            line,
                            col,
                            String.format(
                                    "%s: page 0x%08x (segment described at file offset %d)"
                                            + " lies outside the page window 0x%08x..0x%08x",
                                    where,
                                    outside[0] << 12,
                                    m.offset(),
                                    (long) lim.base() << 12,
                                    ((long) lim.base() + lim.pages()) << 12));
                }
                if (outOfFrames[0]) {
                    throw new BootError(
                            file,
                            p.pos().line(),
                            p.pos().column(),
                            "process " + p.name() + ": the images need more frames than limits frames " + lim.frames());
                }
                throw new BootError(file, line, col, where + ": " + m);
            }
            ImageLoader.Loaded loaded = (ImageLoader.Loaded) result;
            entries[pi] = loaded.entry();
            TreeSet<Integer> used = new TreeSet<>();
            TreeSet<Integer> image = new TreeSet<>();
            java.util.BitSet ro = new java.util.BitSet();
            for (ImageLoader.Page pg : loaded.pages()) {
                int v = page(lim, pg.vpn());
                used.add(v);
                image.add(v);
                pages[pi][v - 1] = pg.frame();
                ro.set(v, !pg.writable());
            }
            imagePages.add(image);
            readOnly.add(ro);
            nextFrame = next[0];
            if (used.isEmpty()) {
                throw new BootError(file, line, col, where + ": the image occupies no page");
            }
            int top = used.last();
            for (int k = 1; k <= p.heap(); k++) {
                if (top + k > lim.pages()) {
                    throw new BootError(
                            file,
                            p.heapPos().line(),
                            p.heapPos().column(),
                            "process " + p.name() + ": heap of " + p.heap()
                                    + " pages runs past the page window (limits pages " + lim.pages() + ")");
                }
                used.add(top + k);
            }
            // each thread of the process has its own stack pages, the first thread's at the top of the window
            for (int k = 0; k < p.stack() * threadsIn[pi]; k++) {
                if (lim.pages() - k < 1 || !used.add(lim.pages() - k)) {
                    throw new BootError(
                            file,
                            p.stackPos().line(),
                            p.stackPos().column(),
                            "process " + p.name() + ": the stacks of its " + threadsIn[pi]
                                    + " thread(s) at the top of the page window overlap the image or heap");
                }
            }
            for (int v : used) {
                if (image.contains(v)) {
                    continue;
                }
                if (nextFrame > lim.frames()) {
                    throw new BootError(
                            file,
                            p.pos().line(),
                            p.pos().column(),
                            "process " + p.name() + ": the images need more frames than limits frames " + lim.frames());
                }
                pages[pi][v - 1] = nextFrame++;
            }
        }
        Machine machine = new Machine(
                new Machine.Sizes(n, lim.localIds(), lim.pages(), lim.frames(), lim.vector()),
                options.checkInvariants(),
                cspace,
                initProc,
                pages,
                confined,
                boot.checkpointer() < 0 ? Machine.NO_OBJ : boot.checkpointer());
        KernelThread[] threads = new KernelThread[n];
        List<Process> processes = new ArrayList<>();
        for (int pi = 0; pi < np; pi++) {
            Process p = new Process(pi, decls.get(pi).name(), platform.newAddressSpace());
            processes.add(p);
            for (int v = 1; v <= lim.pages(); v++) {
                if (pages[pi][v - 1] != Machine.NO_FRAME && !imagePages.get(pi).contains(v)) {
                    memory.clearFrame(physical(pages[pi][v - 1]));
                }
                p.readOnly(v, readOnly.get(pi).get(v));
            }
        }
        int[] started = new int[np];
        for (int i = 0; i < boot.threads().size(); i++) {
            ThreadDecl td = boot.threads().get(i);
            int pi = initProc[i];
            Process p = processes.get(pi);
            KernelThread t = new KernelThread(i, td.name(), p, td.pager(), td.faults());
            p.threads.add(t);
            threads[i] = t;
            int stackTop =
                    (lim.base() + lim.pages() - started[pi]++ * decls.get(pi).stack()) << 12;
            if (td.entry() == null) {
                t.set(Reg.EIP, entries[pi]);
                t.set(Reg.ESP, stackTop);
            } else {
                // started like a called function: a zero return address on its stack
                t.set(Reg.EIP, entry(file, lim, td, decls.get(pi), imageBytes[pi], imagePages.get(pi), loader));
                t.set(Reg.ESP, stackTop - 4);
            }
            t.set(Reg.EFLAGS, EFLAGS_USER);
        }
        Kernel k = new Kernel(platform, machine, lim, threads, List.copyOf(processes), options, boot.checkpointer());
        k.mirrorAll();
        k.checkIfAsked();
        return k;
    }

    /** Where a thread with an {@code entry} option starts: the symbol's or the address's, inside the image. */
    private static int entry(
            String file,
            Limits lim,
            ThreadDecl td,
            ProcessDecl p,
            byte[] image,
            TreeSet<Integer> imagePages,
            ImageLoader loader)
            throws BootError {
        String e = td.entry();
        int line = td.entryPos().line();
        int col = td.entryPos().column();
        long at;
        if (Character.isDigit(e.charAt(0))) {
            at = dev.ladle.kernel.boot.BootParser.parseAddress(e);
        } else {
            java.util.OptionalInt sym = loader.symbol(image, e);
            if (sym.isEmpty()) {
                throw new BootError(
                        file, line, col, "thread " + td.name() + ": image " + p.image() + " has no symbol '" + e + "'");
            }
            at = Integer.toUnsignedLong(sym.getAsInt());
        }
        if (!imagePages.contains(page(lim, at >>> 12))) {
            throw new BootError(
                    file,
                    line,
                    col,
                    String.format("thread %s: entry 0x%08x is not inside image %s's pages", td.name(), at, p.image()));
        }
        return (int) at;
    }

    /** The spec page of virtual page number {@code vpn}, or -1 outside the window. */
    private static int page(Limits lim, long vpn) {
        long v = vpn - lim.base() + 1;
        return v >= 1 && v <= lim.pages() ? (int) v : -1;
    }

    private int page(long vpn) {
        return page(limits, vpn);
    }

    /** The virtual page number of spec page {@code v}. */
    public int vpn(int v) {
        return limits.base() + v - 1;
    }

    /** The physical frame of the spec's frame {@code f} (frame 0 is never handed out). */
    private static int physical(int f) {
        return f;
    }

    // ================================================================ the trap entry

    /**
     * The system-call entry: decodes {@code regs} by the ABI, performs the operation for {@code t} and writes the
     * results back into {@code regs}. Returns the result code (also in EAX bits 0..7). A {@code WAIT} that blocks
     * returns {@link Abi#OK} and leaves the registers alone until a message arrives.
     */
    public int trap(KernelThread t, RegisterFile regs) {
        int eax = regs.get(Reg.EAX);
        int op = Abi.op(eax);
        int operand = Abi.operand(eax);
        int result = switch (op) {
            case Abi.OP_SEND -> sendMessage(t, regs, operand);
            case Abi.OP_MAP_PAGE,
                    Abi.OP_GRANT_PAGE,
                    Abi.OP_COPY_PAGE,
                    Abi.OP_MAP_CAP,
                    Abi.OP_GRANT_CAP,
                    Abi.OP_COPY_CAP -> send(t, regs, op, operand);
            case Abi.OP_RECEIVE -> receive(t, regs);
            case Abi.OP_WAIT -> await(t, regs);
            case Abi.OP_UNMAP -> unmap(t, regs, operand);
            case Abi.OP_REVOKE -> revoke(t, regs, operand);
            case Abi.OP_QUERY -> query(t, regs, operand);
            case Abi.OP_YIELD -> done(regs, Abi.OK);
            case Abi.OP_EXIT -> exit(t, regs.get(Reg.EBX));
            case Abi.OP_THREAD_CREATE -> create(t, regs, false);
            case Abi.OP_PROCESS_CREATE -> create(t, regs, true);
            case Abi.OP_THREAD_DELETE -> delete(t, regs, operand, false);
            case Abi.OP_PROCESS_DELETE -> delete(t, regs, operand, true);
            default -> done(regs, Abi.E_UNKNOWN_OP);
        };
        stats.syscall(stats.steps, t.id(), op, operand, result);
        return result;
    }

    private static int done(RegisterFile regs, int result) {
        regs.set(Reg.EAX, result);
        return result;
    }

    private boolean alive(int thread) {
        return thread >= 0
                && thread < threads.length
                && threads[thread] != null
                && threads[thread].state() != State.DEAD;
    }

    /**
     * {@code SEND}, a message without an item: the checks {@link #send} starts with, in the same order, apart so that
     * the common message path is small enough for the JIT to compile into the trap entry.
     */
    private int sendMessage(KernelThread t, RegisterFile regs, int d) {
        int me = t.id();
        int bad = destinationRefused(me, d);
        if (bad != Abi.OK) {
            return done(regs, bad);
        }
        int[] w = words;
        regs.get(Reg.EBX, Abi.WORDS, w, 0);
        Machine.Guard g = machine.send(me, d, w);
        if (g != Machine.Guard.OK) {
            return done(regs, refused(g, me, d));
        }
        stats.messages++;
        return done(regs, Abi.OK);
    }

    /**
     * The checks both sends start with: a local id outside the table ({@link Abi#E_BAD_ID}), or one naming an object
     * that is no longer alive ({@link Abi#E_DEAD}); {@link Abi#OK} when neither.
     */
    private int destinationRefused(int me, int d) {
        if (d < 1 || d > localIds) {
            return Abi.E_BAD_ID;
        }
        int target = machine.cspaceObj(me, d);
        return target != Machine.NO_OBJ && !alive(target) ? Abi.E_DEAD : Abi.OK;
    }

    /** A send with an item (page or capability): {@link #sendMessage}'s checks, then the item's. */
    private int send(KernelThread t, RegisterFile regs, int op, int d) {
        int me = t.id();
        int bad = destinationRefused(me, d);
        if (bad != Abi.OK) {
            return done(regs, bad);
        }
        int target = machine.cspaceObj(me, d);
        int[] w = words;
        regs.get(Reg.EBX, Abi.WORDS, w, 0);
        int item = w[5];
        int number = item >>> Abi.ITEM_NUMBER_SHIFT;
        int rights = (item >>> 4) & (Machine.SEND | Machine.GRANT);
        boolean pageItem = op == Abi.OP_MAP_PAGE || op == Abi.OP_GRANT_PAGE || op == Abi.OP_COPY_PAGE;
        if ((item & (pageItem ? Abi.ITEM_RESERVED : Abi.ITEM_RESERVED | Abi.ITEM_READ_ONLY)) != 0) {
            return done(regs, Abi.E_BAD_ARG);
        }
        int v = 0;
        if (pageItem) {
            v = page(number);
            if (v < 0) {
                return done(regs, Abi.E_BAD_ARG);
            }
        } else if (number < 1 || number > localIds) {
            return done(regs, Abi.E_BAD_ID);
        }
        Machine.Guard g = switch (op) {
            case Abi.OP_MAP_PAGE -> machine.mapPage(me, d, w, v);
            case Abi.OP_GRANT_PAGE -> machine.grantPage(me, d, w, v);
            case Abi.OP_COPY_PAGE -> machine.copyPage(me, d, w, v);
            case Abi.OP_MAP_CAP -> machine.mapCap(me, d, w, number, rights);
            case Abi.OP_GRANT_CAP -> machine.grantCap(me, d, w, number);
            default -> machine.copyCap(me, d, w, number, rights);
        };
        if (g != Machine.Guard.OK) {
            return done(regs, refused(g, me, d));
        }
        stats.messages++;
        if (pageItem) {
            // the write right: a copy is the receiver's own frame; a map or grant keeps the sender's read-only-ness
            int slot = machine.inboxItemSlot(target, machine.inboxLength(target));
            boolean readOnly = (item & Abi.ITEM_READ_ONLY) != 0
                    || (op != Abi.OP_COPY_PAGE && t.process().readOnly(v));
            threads[target].process().readOnly(slot, readOnly);
            if (op == Abi.OP_COPY_PAGE) {
                platform.memory().copyFrame(physical(machine.pt(me, v)), physical(machine.pt(target, slot)));
            }
        }
        if (v != 0) {
            mirror();
        }
        return done(regs, Abi.OK);
    }

    /** The result code of a refusal by the machine. */
    private int refused(Machine.Guard g, int me, int d) {
        stats.refusal(machine.lastRefusal());
        return switch (g) {
            case CanSend -> machine.cspaceObj(me, d) == Machine.NO_OBJ ? Abi.E_BAD_ID : Abi.E_NO_RIGHT;
            case CanGrant, RightsWithin, CanDelete -> Abi.E_NO_RIGHT;
            case CallerHasFreeSlot -> Abi.E_NO_SLOT;
            case FreeThread, FreeProcess, GenerationLeft, ProcessGenerationsLeft -> Abi.E_NO_MEMORY;
            case HoldsCap -> Abi.E_BAD_ID;
            case HasRoom -> Abi.E_FULL;
            case PageMapped -> Abi.E_UNMAPPED;
            case ReceiverHasFreePage, ReceiverHasFreeSlot -> Abi.E_NO_SLOT;
            case FrameAvailable -> Abi.E_NO_MEMORY;
            case InboxNonEmpty -> Abi.E_EMPTY;
            case Running -> Abi.E_BLOCKED;
            case Idle -> Abi.E_BLOCKED;
            case ObjectExists -> Abi.E_DEAD;
            case InboxEmpty, Other, OK -> Abi.E_NOT_SUPPORTED;
            // the checkpointer's calls come from the kernel's persistence side, never from a system call
            case IsCheckpointer,
                    CheckpointerLive,
                    SnapshotRoot,
                    CheckpointerHasFreePage,
                    SnapshotDerived,
                    SnapshotLeaf -> Abi.E_NOT_SUPPORTED;
        };
    }

    private int receive(KernelThread t, RegisterFile regs) {
        int me = t.id();
        int[] w = message;
        if (!machine.peekOldest(me, w)) {
            return done(regs, refused(machine.receive(me), me, 0));
        }
        int from = w[Machine.PEEK_FROM];
        int fromGen = w[Machine.PEEK_GEN];
        int kind = w[Machine.PEEK_KIND];
        int slot = w[Machine.PEEK_SLOT];
        // the lowest local id naming the sender with a capability of the generation it sent the message in, while
        // that generation lives: a deleted sender's message is anonymous (0), also once its thread object is reused
        // (the new thread has a newer generation: NoMsgFromReusedObject). Receive changes neither local-id tables
        // nor generations, so the lookup reads them before it, beside the peek's reads of the same machine
        int sender = 0;
        boolean senderLives = from != Machine.NO_OBJ && fromGen == machine.gen(from);
        for (int l = 1; senderLives && l <= localIds && sender == 0; l++) {
            if (machine.cspaceObj(me, l) == from && machine.cspaceGen(me, l) == fromGen) {
                sender = l;
            }
        }
        Machine.Guard g = machine.receive(me);
        if (g != Machine.Guard.OK) {
            return done(regs, refused(g, me, 0));
        }
        // EBP: the sender's sixth word, or the descriptor of the item where it landed
        int ebp = Machine.PEEK_WORDS + 5;
        if (kind == Abi.NONE) {
            // as sent
        } else if (kind <= Abi.COPY_PAGE_ITEM) {
            w[ebp] = kind | (t.process().readOnly(slot) ? Abi.ITEM_READ_ONLY : 0) | vpn(slot) << Abi.ITEM_NUMBER_SHIFT;
        } else {
            w[ebp] = kind | machine.cspaceRights(me, slot) << 4 | slot << Abi.ITEM_NUMBER_SHIFT;
        }
        regs.set(Reg.EBX, Abi.WORDS, w, Machine.PEEK_WORDS);
        regs.set(Reg.EAX, Abi.receiveResult(Abi.OK, kind, sender));
        return Abi.OK;
    }

    private int await(KernelThread t, RegisterFile regs) {
        int me = t.id();
        if (machine.inboxLength(me) != 0) {
            return receive(t, regs);
        }
        Machine.Guard g = machine.await(me);
        if (g != Machine.Guard.OK) {
            return done(regs, refused(g, me, 0));
        }
        t.state(State.WAITING);
        return Abi.OK;
    }

    private int unmap(KernelThread t, RegisterFile regs, int vpn) {
        int v = page(vpn);
        if (v < 0) {
            return done(regs, Abi.E_BAD_ARG);
        }
        Machine.Guard g = machine.unmap(t.id(), v);
        if (g != Machine.Guard.OK) {
            return done(regs, refused(g, t.id(), 0));
        }
        mirror();
        return done(regs, Abi.OK);
    }

    private int revoke(KernelThread t, RegisterFile regs, int l) {
        if (l < 1 || l > limits.localIds()) {
            return done(regs, Abi.E_BAD_ID);
        }
        Machine.Guard g = machine.revoke(t.id(), l);
        if (g != Machine.Guard.OK) {
            return done(regs, refused(g, t.id(), l));
        }
        return done(regs, Abi.OK);
    }

    private int query(KernelThread t, RegisterFile regs, int l) {
        int me = t.id();
        int answer;
        Authority a = authority();
        if (l == 0) {
            answer = a.answerAnyone(me);
        } else if (l > limits.localIds() || machine.cspaceObj(me, l) == Machine.NO_OBJ) {
            return done(regs, Abi.E_BAD_ID);
        } else {
            answer = a.answer(me, machine.cspaceObj(me, l));
        }
        regs.set(Reg.EBX, answer);
        regs.set(Reg.ECX, a.sendableNow(me));
        regs.set(Reg.EDX, a.sendablePotentially(me));
        return done(regs, Abi.OK);
    }

    /**
     * THREAD_CREATE (the spec's {@code CreateThread}): the free thread object at the head of KernelImpl's free list
     * becomes a thread of the caller's process, starting at EBX with its stack pointer at ECX. PROCESS_CREATE
     * ({@code CreateProcess}): that thread object becomes the first thread of the free process object at the head
     * of its free list, an empty address space; it starts at the first page of the window with its stack pointer at the window's top, once a page
     * is mapped there (until then it waits as a thread stopped at a fault on that page). Either way the caller
     * receives a capability with every right in the free local id at the head of its free list, returned in EBX.
     */
    private int create(KernelThread t, RegisterFile regs, boolean process) {
        int me = t.id();
        // the heads of KernelImpl's free lists: no search
        int u = machine.nextFreeThread();
        int q = process ? machine.nextFreeProcess() : -1;
        if (u == Machine.NO_OBJ || (process && q == Machine.NO_OBJ)) {
            return done(regs, Abi.E_NO_MEMORY);
        }
        // the local id the creation fills (the head of KernelImpl's free list of the caller's slots), read before
        // the step: no search
        int slot = machine.nextFreeSlot(me);
        Machine.Guard g = process ? machine.createProcess(me, u, q) : machine.createThread(me, u);
        if (g != Machine.Guard.OK) {
            return done(regs, refused(g, me, 0));
        }
        Process home = t.process();
        if (process) {
            home = new Process(q, createdProcessName(q), platform.newAddressSpace());
            processes.add(home);
            processOf[q] = home;
        }
        KernelThread created = new KernelThread(u, createdThreadName(u), home, 0, BootDescription.FaultPolicy.KILL);
        home.threads.add(created);
        threads[u] = created;
        created.set(Reg.EFLAGS, EFLAGS_USER);
        if (process) {
            created.set(Reg.EIP, vpn(1) << 12);
            created.set(Reg.ESP, (limits.base() + limits.pages()) << 12);
            created.state(State.FAULTED);
            created.faultPage(1);
        } else {
            created.set(Reg.EIP, regs.get(Reg.EBX));
            created.set(Reg.ESP, regs.get(Reg.ECX));
        }
        regs.set(Reg.EBX, slot);
        return done(regs, Abi.OK);
    }

    /**
     * THREAD_DELETE (the spec's {@code DeleteThread}): the thread the local id names ends, and its process's
     * address space with it when it was the last thread there; PROCESS_DELETE ({@code DeleteProcess}): every
     * thread of the named thread's process and its address space. The machine's deletion walk removes what
     * derives from them; here the threads leave the scheduler and the page tables follow the machine's page map.
     * The caller may delete itself.
     */
    private int delete(KernelThread t, RegisterFile regs, int d, boolean process) {
        int me = t.id();
        if (d < 1 || d > limits.localIds()) {
            return done(regs, Abi.E_BAD_ID);
        }
        int target = machine.cspaceObj(me, d);
        int space = target == Machine.NO_OBJ ? Machine.NO_OBJ : machine.proc(target);
        Machine.Guard g = process ? machine.deleteProcess(me, d) : machine.deleteThread(me, d);
        if (g != Machine.Guard.OK) {
            return done(regs, refused(g, me, d));
        }
        // the threads the deletion walk parked, and only those: the work here follows what was deleted
        for (int k = 0; k < machine.deletedCount(); k++) {
            int x = machine.deletedThread(k);
            retireVisits++;
            KernelThread gone = threads[x];
            if (gone == null) {
                continue; // a thread object the kernel never started (nothing to retire)
            }
            gone.state(State.DEAD);
            if (gone.end().isEmpty()) {
                gone.end("deleted");
            }
            gone.process().threads.remove(gone);
            threads[x] = null;
        }
        if (machine.freeProcess(space) && processOf[space] != null) {
            Process p = processOf[space];
            processOf[space] = null;
            processes.remove(p);
            platform.destroy(p.space());
        }
        mirror();
        return done(regs, Abi.OK);
    }

    /** The name of a thread created at run time: its thread object's number (recovery names it alike). */
    public static String createdThreadName(int u) {
        return "thread" + u;
    }

    /** The name of a process created at run time: its process object's number. */
    public static String createdProcessName(int q) {
        return "process" + q;
    }

    private int exit(KernelThread t, int status) {
        t.state(State.DEAD);
        t.end("exit " + status);
        stats.exits++;
        return Abi.OK;
    }

    // ================================================================ faults

    /**
     * An access to an unmapped page, or a write to a read-only one: a message to the thread's pager (the spec's
     * {@code Send} through the thread's own capability), after which the thread waits for the page (for its write
     * right); or, without a pager, when the boot description says so or when the message is refused, the end of the
     * thread.
     */
    public void fault(KernelThread t, PageFault f) {
        stats.faults++;
        int me = t.id();
        int v = page(Integer.toUnsignedLong(f.cr2()) >>> 12);
        boolean protection = f.present()
                && f.write()
                && v >= 0
                && machine.pt(me, v) != Machine.NO_FRAME
                && t.process().readOnly(v);
        String at = String.format(
                "page fault at 0x%08x (error %d, eip 0x%08x%s)",
                f.cr2(), f.errorCode(), t.get(Reg.EIP), protection ? ", a write to a read-only page" : "");
        if (t.faults() == BootDescription.FaultPolicy.KILL || t.pager() == 0) {
            kill(t, at + ", no pager");
            return;
        }
        if (v < 0) {
            kill(t, at + ", outside the page window");
            return;
        }
        if (machine.pt(me, v) != Machine.NO_FRAME && !protection) {
            kill(t, at + ", on a mapped page");
            return;
        }
        int pager = machine.cspaceObj(me, t.pager());
        if (pager != Machine.NO_OBJ && !alive(pager)) {
            kill(t, at + ", the pager is dead");
            return;
        }
        int[] w = words;
        w[0] = Abi.FAULT_TAG;
        w[1] = f.cr2();
        w[2] = f.errorCode();
        w[3] = t.get(Reg.EIP);
        w[4] = 0;
        w[5] = 0;
        Machine.Guard g = machine.send(me, t.pager(), w);
        if (g != Machine.Guard.OK) {
            stats.refusal(machine.lastRefusal());
            kill(t, at + ", the fault message was refused (" + machine.lastRefusal() + ")");
            return;
        }
        stats.messages++;
        stats.faultMessages++;
        stats.event(stats.steps, me, EVENT_FAULT, f.cr2());
        t.state(State.FAULTED);
        t.faultPage(v);
        t.faultWrite(protection);
    }

    /** Ends a thread for good: it keeps its registers and is never scheduled again. */
    public void kill(KernelThread t, String why) {
        t.state(State.DEAD);
        t.end("killed: " + why);
        stats.kills++;
        stats.event(stats.steps, t.id(), EVENT_KILL, 0);
    }

    // ================================================================ the scheduler loop

    /**
     * Runs at most {@code maxSteps} scheduler steps (a step: one thread on the CPU until it traps, faults, halts or
     * uses up its slice), or until no thread can run. Returns the statistics so far.
     */
    public Stats run(long maxSteps) {
        refuseIfStopped();
        Cpu cpu = platform.cpu();
        long end = stats.steps + maxSteps;
        stopReason = "the step limit (" + maxSteps + ") was reached";
        while (stats.steps < end) {
            wake();
            int count = 0;
            boolean anyLive = false;
            for (KernelThread t : threads) {
                if (t == null) {
                    continue;
                }
                anyLive |= t.state() != State.DEAD;
                if (t.state() == State.READY) {
                    runnable[count++] = t.id();
                }
            }
            if (count == 0) {
                stopReason = anyLive ? "every live thread is blocked" : "every thread has ended";
                break;
            }
            KernelThread t = threads[runnable[scheduler.pick(count)]];
            long slice = scheduler.slice();
            try {
                Stop stop = cpu.run(t.process().space(), t, slice);
                stats.instructions += cpu.lastInstructionCount();
                stats.steps++;
                handle(t, stop);
                checkIfAsked();
            } catch (RuntimeException e) {
                throw aborted(e, "thread " + t.id() + "'s scheduler step");
            }
        }
        return stats;
    }

    /**
     * {@code e} escaped the middle of {@code step}: when it is a frame's failed page-in ({@link
     * PhysicalMemory#frameNotPagedIn}), the kernel stops for good, since that step is half done (registers set by part
     * of a slice, a system call's effect in part), and every later step is refused ({@link #refuseIfStopped}). Returns
     * {@code e}, to be thrown as it is: the caller sees what the page-in threw.
     */
    private RuntimeException aborted(RuntimeException e, String step) {
        int frame = platform.memory().frameNotPagedIn(e);
        if (frame >= 0 && stopped == null) {
            stopped = "the kernel stopped because frame " + frame + " could not be paged in during " + step + " ("
                    + e.getMessage() + "): it runs no further step from the middle of that one";
            stopReason = stopped;
        }
        return e;
    }

    /** Throws {@link IllegalStateException} when a step was aborted by a failed page-in ({@link #aborted}). */
    private void refuseIfStopped() {
        if (stopped != null) {
            throw new IllegalStateException(stopped);
        }
    }

    /** Why the kernel runs no further step: a step aborted by a frame that could not be paged in (null: it runs). */
    public String stopped() {
        return stopped;
    }

    /** What the kernel does when thread {@code t}'s slice stops with {@code stop}. */
    private void handle(KernelThread t, Stop stop) {
        if (stop instanceof Stop.Trap trap) {
            if (trap.vector() == Abi.SYSCALL_VECTOR) {
                trap(t, t);
            } else {
                kill(t, String.format("int 0x%02x at eip 0x%08x", trap.vector(), t.get(Reg.EIP)));
            }
        } else if (stop instanceof Stop.Fault fault) {
            fault(t, fault.fault());
        } else if (stop instanceof Stop.BadInstruction bad) {
            kill(t, String.format("%s at eip 0x%08x", bad.reason(), bad.eip()));
        } else if (stop instanceof Stop.Halted) {
            kill(t, String.format("hlt at eip 0x%08x", t.get(Reg.EIP)));
        }
    }

    /**
     * Replays one scheduler step from an operation log: the waiters are woken as at the start of every step, thread
     * {@code t}'s registers are set to {@code registers} (in {@link Reg} order: what they were when its slice
     * stopped), and {@code stop} is handled as {@link #run} handles it (a system call goes through the machine's
     * actions again).
     */
    public void replayStep(KernelThread t, int[] registers, Stop stop) {
        refuseIfStopped();
        wake();
        try {
            for (Reg r : Reg.values()) {
                t.set(r, registers[r.ordinal()]);
            }
            stats.steps++;
            handle(t, stop);
            checkIfAsked();
        } catch (RuntimeException e) {
            throw aborted(e, "thread " + t.id() + "'s replayed step");
        }
    }

    /**
     * Completes the receive of woken waiters and restarts faulted threads whose page is now mapped: what every
     * scheduler step does first ({@link #run}, {@link #replayStep}). A driver that logs each step's record when the
     * thread's slice stops calls it at the end of every step as well (the next step's is then a no-op), so that a
     * checkpoint begun as that record is appended snapshots no effect of the step whose record comes after it.
     */
    public void wake() {
        refuseIfStopped();
        try {
            wakeWaiters();
        } catch (RuntimeException e) {
            throw aborted(e, "the wake of waiting and faulted threads");
        }
    }

    private void wakeWaiters() {
        for (KernelThread t : threads) {
            if (t == null) {
                continue;
            }
            if (t.state() == State.WAITING && !machine.waiting(t.id())) {
                t.state(State.READY);
                receive(t, t);
            } else if (t.state() == State.FAULTED
                    && machine.pt(t.id(), t.faultPage()) != Machine.NO_FRAME
                    && !(t.faultWrite() && t.process().readOnly(t.faultPage()))) {
                t.state(State.READY);
            }
        }
    }

    /**
     * Recovery: puts the machine's state words, every thread's registers and scheduling state and every process's
     * read-only pages back as a checkpoint recorded them (this kernel was booted from the same description), then
     * makes the page tables say what the restored page map says. Frame contents are the caller's to restore. The
     * arrays are indexed by thread object ({@code readOnly} by process object); the threads are those the restored
     * machine says are live: a thread deleted before the checkpoint is gone, one created before it is made again
     * (named by {@link #createdThreadName}, in its process's address space). Called through
     * {@link KernelSnapshot#restore}, which decodes what {@link KernelSnapshot#write} encoded. With the spec in
     * lockstep ({@code checkInvariants}), {@code specWords} are its words recorded with the machine's (null: none).
     */
    void restore(
            int[] machineWords,
            int[] specWords,
            int[][] registers,
            KernelThread.State[] states,
            int[] faultPages,
            boolean[] faultWrites,
            java.util.BitSet[] readOnly) {
        if (specWords == null) {
            machine.restoreState(machineWords);
        } else {
            machine.restoreState(machineWords, specWords);
        }
        for (int x = 0; x < threads.length; x++) {
            int q = machine.proc(x);
            KernelThread have = threads[x];
            if (have != null && (q == Machine.NO_OBJ || have.process() != processOf[q])) {
                have.process().threads.remove(have);
                threads[x] = null;
            }
        }
        for (int q = 0; q < processOf.length; q++) {
            if (machine.freeProcess(q) && processOf[q] != null) {
                processes.remove(processOf[q]);
                platform.destroy(processOf[q].space());
                processOf[q] = null;
            }
        }
        for (int x = 0; x < threads.length; x++) {
            int q = machine.proc(x);
            if (q == Machine.NO_OBJ || threads[x] != null) {
                continue;
            }
            if (processOf[q] == null) {
                processOf[q] = new Process(q, createdProcessName(q), platform.newAddressSpace());
                processes.add(processOf[q]);
            }
            threads[x] = new KernelThread(x, createdThreadName(x), processOf[q], 0, BootDescription.FaultPolicy.KILL);
            processOf[q].threads.add(threads[x]);
        }
        for (KernelThread t : threads) {
            if (t == null) {
                continue;
            }
            int[] r = registers[t.id()];
            for (Reg reg : Reg.values()) {
                t.set(reg, r[reg.ordinal()]);
            }
            t.state(states[t.id()]);
            t.faultPage(faultPages[t.id()]);
            t.faultWrite(faultWrites[t.id()]);
            if (states[t.id()] == State.DEAD && t.end().isEmpty()) {
                t.end("ended before the checkpoint");
            }
        }
        for (int q = 0; q < processOf.length; q++) {
            for (int v = 1; processOf[q] != null && v <= limits.pages(); v++) {
                processOf[q].readOnly(v, readOnly[q].get(v));
            }
        }
        mirrorAll();
    }

    // ================================================================ the checkpointer's pages

    /** The checkpointer's thread object, or -1 when the boot description declares none. */
    public int checkpointer() {
        return checkpointer;
    }

    /**
     * The kernel maps frame {@code f} into the checkpointer (Kernel.tla's {@code MapSnapshot(c, x, v)}, x's page v
     * being the root of {@code f}): the machine records the mapping at the checkpointer's free page at the head of
     * its free list (no search), which its page tables then map read-only. Returns that page (1..pages), {@link #SNAPSHOT_NO_ROOT} when no process maps
     * {@code f} as its root (nothing is changed), or {@link #SNAPSHOT_NO_FREE_PAGE} when the checkpointer's window is
     * full (nothing is changed: it must unmap first). The root is found by the page map of every live process, root
     * by root (a derived mapping of {@code f} is refused by the machine's {@code SnapshotRoot} and passed over).
     *
     * @throws IllegalStateException when the system has no checkpointer
     */
    public int mapSnapshot(int f) {
        if (checkpointer < 0) {
            throw new IllegalStateException("the boot description declares no checkpointer");
        }
        for (Process x : processes) {
            for (int v = 1; v <= limits.pages(); v++) {
                if (machine.procPt(x.id(), v) != f) {
                    continue;
                }
                Machine.Guard g = machine.mapSnapshot(checkpointer, x.id(), v);
                if (g == Machine.Guard.OK) {
                    int landed = machine.changedPage(0);
                    snapshotPages.set(landed);
                    mirror();
                    return landed;
                }
                if (g == Machine.Guard.CheckpointerHasFreePage) {
                    return SNAPSHOT_NO_FREE_PAGE;
                }
                if (g != Machine.Guard.SnapshotRoot) {
                    throw new IllegalStateException("MapSnapshot of frame " + f + " refused: " + g);
                }
            }
        }
        return SNAPSHOT_NO_ROOT;
    }

    /**
     * The checkpointer drops its snapshot mapping at page {@code v} (Kernel.tla's {@code UnmapSnapshot(c, v)}), and its
     * page tables follow. Returns the machine's answer: {@code OK}, or the guard that refused (the mapping is gone
     * already, say because its root was deleted, which takes what derives from it along).
     */
    public Machine.Guard unmapSnapshot(int v) {
        if (checkpointer < 0) {
            throw new IllegalStateException("the boot description declares no checkpointer");
        }
        Machine.Guard g = machine.unmapSnapshot(checkpointer, v);
        if (g == Machine.Guard.OK) {
            mirror();
        }
        return g;
    }

    /** The frame the checkpointer's page tables map at page {@code v} (1..pages), or -1. */
    public int checkpointerFrame(int v) {
        return processOf[machine.proc(checkpointer)].space().frameOf(vpn(v));
    }

    /** Why the last {@link #run} stopped. */
    public String stopReason() {
        return stopReason;
    }

    // ================================================================ page tables and invariants

    /**
     * Makes every address space's page tables say what the machine's page map says, each page writable unless its
     * process holds it read-only: at boot and after a recovery.
     */
    private void mirrorAll() {
        for (Process p : processes) {
            for (int v = 1; v <= limits.pages(); v++) {
                mirror(p, v);
            }
        }
    }

    /**
     * After a page operation: the page tables follow the pages the machine's steps changed
     * ({@link Machine#changedPage}), and only those. A page of an address space already destroyed (a deleted
     * process) has no page table left to change.
     */
    private void mirror() {
        for (int i = 0; i < machine.changedPageCount(); i++) {
            Process p = processOf[machine.changedPageProcess(i)];
            if (p != null) {
                mirror(p, machine.changedPage(i));
            }
        }
    }

    /** Makes page v of p's page tables say what the machine's page map says. */
    private void mirror(Process p, int v) {
        mirrorVisits++;
        AddressSpace space = p.space();
        int f = machine.procPt(p.id(), v);
        int vpn = vpn(v);
        int have = space.frameOf(vpn);
        if (f == Machine.NO_FRAME) {
            p.readOnly(v, false);
            if (checkpointer >= 0 && p.id() == machine.proc(checkpointer)) {
                snapshotPages.clear(v);
            }
            if (have >= 0) {
                space.unmap(vpn);
            }
            return;
        }
        int want = physical(f);
        boolean writable = userWritable(p, v);
        if (want != have || space.writable(vpn) != writable) {
            if (have >= 0) {
                space.unmap(vpn);
            }
            space.map(vpn, want, writable);
        }
    }

    /** Whether user code may write page v of p: unless p holds it read-only or it is a checkpointer's snapshot page. */
    private boolean userWritable(Process p, int v) {
        return !p.readOnly(v) && !(snapshotPages.get(v) && checkpointer >= 0 && p.id() == machine.proc(checkpointer));
    }

    /** The checkpointer's pages a snapshot frame is mapped at now (1..pages). */
    public java.util.BitSet snapshotPages() {
        return (java.util.BitSet) snapshotPages.clone();
    }

    /**
     * Where the page tables and the machine's page map disagree, or null. Each process's window must decode to
     * exactly its spec page map, with the write right where the process holds one.
     */
    public String pageTableMismatch() {
        for (Process p : processes) {
            for (int v = 1; v <= limits.pages(); v++) {
                int f = machine.procPt(p.id(), v);
                int want = f == Machine.NO_FRAME ? -1 : physical(f);
                int have = p.space().frameOf(vpn(v));
                if (want != have) {
                    return String.format(
                            "%s: page 0x%05x maps frame %d in its page tables, the machine says %d",
                            p.name(), vpn(v), have, want);
                }
                if (want >= 0 && p.space().writable(vpn(v)) != userWritable(p, v)) {
                    return String.format(
                            "%s: page 0x%05x is %s in its page tables, the kernel holds it %s",
                            p.name(),
                            vpn(v),
                            userWritable(p, v) ? "read-only" : "writable",
                            userWritable(p, v) ? "writable" : "read-only");
                }
            }
        }
        return null;
    }

    /** Every generated invariant and the page tables; throws {@link InvariantViolation} naming what broke. */
    public void checkInvariants() {
        List<String> failing = machine.failingInvariants();
        String pages = pageTableMismatch();
        stats.invariantChecks++;
        if (!failing.isEmpty() || pages != null) {
            throw new InvariantViolation("after step " + stats.steps + ": "
                    + (failing.isEmpty() ? "" : "invariants " + String.join(", ", failing) + " do not hold")
                    + (pages == null ? "" : (failing.isEmpty() ? "" : "; ") + pages));
        }
    }

    private void checkIfAsked() {
        if (options.checkInvariants()) {
            checkInvariants();
        }
    }

    // ================================================================ views

    public Machine machine() {
        return machine;
    }

    public Limits limits() {
        return limits;
    }

    public Stats stats() {
        return stats;
    }

    public Options options() {
        return options;
    }

    public List<Process> processes() {
        return List.copyOf(processes);
    }

    /** The threads in spec order (those the boot description declares). */
    public List<KernelThread> threads() {
        List<KernelThread> out = new ArrayList<>();
        for (KernelThread t : threads) {
            if (t != null) {
                out.add(t);
            }
        }
        return out;
    }

    /** The process of process object {@code q}, or null when the object is free. */
    public Process processObject(int q) {
        return q >= 0 && q < processOf.length ? processOf[q] : null;
    }

    /** The thread of thread object {@code id}, or null when the object is free. */
    public KernelThread thread(int id) {
        return id >= 0 && id < threads.length ? threads[id] : null;
    }

    public KernelThread thread(String name) {
        for (KernelThread t : threads) {
            if (t != null && t.name().equals(name)) {
                return t;
            }
        }
        throw new IllegalArgumentException("no thread named " + name);
    }

    /** The communication query over the current tables. */
    public Authority authority() {
        return Authority.of(machine, this::alive);
    }
}
