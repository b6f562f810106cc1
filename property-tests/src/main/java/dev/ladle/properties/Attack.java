package dev.ladle.properties;

import dev.ladle.kernel.Abi;
import dev.ladle.kernel.Authority;
import dev.ladle.kernel.Kernel;
import dev.ladle.kernel.KernelThread;
import dev.ladle.kernel.Machine;
import dev.ladle.kernel.Stats;
import dev.ladle.kernel.hw.PageFault;
import dev.ladle.kernel.hw.PhysicalMemory;
import dev.ladle.kernel.hw.Reg;
import dev.ladle.kernel.hw.RegisterFile;
import dev.ladle.kernel.hw.Stop;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs a list of adversarial system calls on the {@link Islands} system through the kernel's scheduler and trap
 * entry (each time a thread is scheduled it makes the next call of the list) and checks, after every call:
 *
 * <ul>
 *   <li>the kernel did not throw (a throw is reported with the call that caused it);
 *   <li>a refused call changed nothing: the machine's state words, every page table, every register but EAX,
 *       and EAX holds the result code alone;
 *   <li>confinement: no local id names a thread of another island, the communication query's potential
 *       authority stays inside the island, and no frame is ever mapped by threads of two islands;
 *   <li>every generated invariant and the page tables (the kernel checks them after every step);
 *   <li>with a {@link SpecShadow}: the call is the spec action the ABI says, enabled exactly when the kernel
 *       said OK, and the spec's state after it equals the kernel's.
 * </ul>
 *
 * <p>On a platform that runs user code, the list may also hold memory accesses ({@link Access}), made by real
 * instructions; after each ({@link #checkAccess}): the CPU did what the page tables say (the physical address an
 * access that completes reaches, or the page fault with its CR2 and error code), no byte of memory changed but those
 * the thread wrote through a page mapped writable in its own address space, no page table, no other thread's
 * registers or scheduling state changed, and the kernel handled a fault as the boot description says (the fault
 * message to the thread's pager, the spec's {@code Send}, else the end of the thread) and changed nothing else.
 */
final class Attack {
    private final List<? extends Move> calls;
    private final AttackPlatform platform;
    private final Kernel kernel;
    private final SpecShadow shadow;
    private final Map<Integer, Integer> frameIsland = new HashMap<>();
    /**
     * The island of each thread object: the boot's, and a created thread joins its creator's; a checkpointer (a thread
     * object past the islands') is in none.
     */
    private final int[] island;

    private final boolean[] blocked;
    private int next;
    /** Moves issued, an access run again after its fault counted again. */
    private long issued;

    private Move current;
    private KernelThread caller;
    private int[] stateBefore;
    /** The free frame a COPY_PAGE would take, read before the call (the kernel's choice, an argument of the spec's CopyPage). */
    private int frameBefore;
    /**
     * The free slot an entry or a creation would fill in each thread's table, read before the call (the heads of the
     * kernel's free lists: its choice, an argument of the spec's MapCap, GrantCap, CopyCap and the creations).
     */
    private int[] slotsBefore = new int[0];
    /**
     * The free page a page item would land in for each thread, read before the call (the heads of the kernel's free
     * lists of the pages of the threads' address spaces: its choice, an argument of the spec's MapPage, GrantPage and
     * CopyPage).
     */
    private int[] freePagesBefore = new int[0];

    private List<Map<Integer, Integer>> pagesBefore;
    private int[] regsBefore;
    long refused;
    /** Threads and processes created or deleted. */
    long lifecycle;

    long steps;

    /** Memory accesses run (each also a step), those that faulted, and what the kernel did with the faults. */
    long accesses;

    long accessFaults;
    long faultsToPager;
    long faultsKilling;
    long accessesRunAgain;
    /** Accesses run again that completed (the page their pager mapped lets them). */
    long accessesRunAgainCompleted;
    /**
     * Accesses run again whose page was taken away again between the kernel's restart of the thread and its run (the
     * pager unmapped the page it had mapped, which takes the mapping derived from it along): they fault again.
     */
    long accessesRunAgainUnmappedSince;
    /** Threads stopped at a fault whose restart by the kernel was checked (their page mapped when it woke them). */
    private final java.util.Set<KernelThread> restarted =
            java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
    /** Pagers' answers made (a page item sent to a thread stopped at a fault). */
    long answers;
    /** Whether the move issued last is an access run again after its fault. */
    private boolean runAgain;
    /** Calls whose int 0x30 could not be fetched (no code page in the caller's process). */
    long unmadeCalls;
    /** Accesses whose mov could not be fetched (no code page in the caller's process): counted among the accesses. */
    long unmadeAccesses;
    /** Whether the move issued last is an access whose instruction's fetch faults. */
    private boolean unmadeAccess;
    /**
     * Moves whose instruction's address held other bytes than the image's (the process's code page granted away and
     * another frame landed there): the CPU ran those bytes; calls among them are counted here and not as calls.
     */
    long foreignCode;

    long foreignCalls;
    /** Whether the move issued last runs other bytes than the image's, and the frames its space could write then. */
    private boolean foreign;

    private java.util.Set<Long> writableBefore;
    /** Faults by error code (P, W, U: 4 a read of a page not present, 6 a write to one, 7 a write to a read-only one). */
    final long[] faultCodes = new long[8];
    /** Threads stopped at an access that faulted and went to their pager: they run it again once resumed. */
    private final Map<KernelThread, Access> pending = new java.util.IdentityHashMap<>();

    private AttackPlatform.Expected expected;
    private byte[] memoryBefore;
    private Map<KernelThread, int[]> othersBefore;
    private Map<KernelThread, KernelThread.State> statesBefore;
    private Machine twin;

    /** Set by the tests that show the trace validator bites: the ABI's page numbers are read one page off. */
    boolean mistranslatePages;

    /** With a shadow: every spec step, applied or refused, with its arguments and the kernel's state after it. */
    final List<Recorded> recorded = new java.util.ArrayList<>();

    /** The kernel's abstract state ({@code Kernel.tla}'s words) at boot. */
    int[] bootState;

    /** One spec step as the generated machine was called, and the kernel's abstract state after it. */
    record Recorded(String action, Object[] args, boolean applied, int[] after) {}

    Attack(List<? extends Move> calls, boolean validateTrace) {
        this(calls, validateTrace, Islands.BOOT);
    }

    Attack(List<? extends Move> calls, boolean validateTrace, String boot) {
        this(calls, validateTrace, boot, new AdversaryPlatform(64));
    }

    /** An attack on {@code platform} (closed by the caller). */
    Attack(List<? extends Move> calls, boolean validateTrace, String boot, AttackPlatform platform) {
        if (calls.stream().anyMatch(m -> m instanceof Access) && (validateTrace || !platform.runsAccesses())) {
            throw new IllegalArgumentException("memory accesses need a platform that runs user code and no shadow");
        }
        this.calls = calls;
        this.platform = platform;
        this.kernel = Islands.boot(platform, true, boot);
        this.shadow = validateTrace ? new SpecShadow(kernel.machine()) : null;
        this.bootState = kernel.machine().copySpecState();
        this.blocked = new boolean[kernel.machine().sizes().threads()];
        this.island = Arrays.copyOf(Islands.ISLAND, Math.max(Islands.ISLAND.length, blocked.length));
        for (int t = Islands.ISLAND.length; t < island.length; t++) {
            island[t] = -1 - t;
        }
        platform.program(this::issue);
        checkConfinement("at boot");
    }

    /** The kernel's machine (its sizes are the spec's constants). */
    Machine machine() {
        return kernel.machine();
    }

    Kernel kernel() {
        return kernel;
    }

    AttackPlatform platform() {
        return platform;
    }

    /** Runs after every call the kernel completed and the checks passed (persistence hooks in here). */
    Runnable afterStep = () -> {};

    /**
     * Held while a step's effects are checked (the checks run after {@link #aroundStep}, which takes it for the step):
     * a persistent world's lock, which its checkpointer takes to map and unmap snapshot pages.
     */
    Object lock = new Object();

    /**
     * The machine's words as the checks compare them: as they are, or (a system whose checkpointer maps snapshot pages
     * between the steps) as if the checkpointer held no snapshot page.
     */
    java.util.function.UnaryOperator<int[]> machineWords = java.util.function.UnaryOperator.identity();

    /** Slices the checkpointer thread was given (it makes no call: the first one ends it). */
    long checkpointerSlices;

    private int[] machineState() {
        return machineWords.apply(kernel.machine().copyState());
    }

    /** Every address space's mappings but the checkpointer's (its snapshot pages come and go between steps). */
    private List<Map<Integer, Integer>> mappings() {
        int c = kernel.checkpointer();
        return platform.mappings(c < 0 ? null : kernel.thread(c).process().space());
    }

    /**
     * Runs each scheduler step (the argument): the persistence trace validation records the step's operation before
     * it and takes its effect after it, all under the world's lock, so a checkpoint's snapshot falls between steps.
     */
    java.util.function.Consumer<Runnable> aroundStep = Runnable::run;

    /** The CPU's side: the scheduled thread loads the next call into its registers and traps. */
    private Move issue(RegisterFile regs) {
        KernelThread t = (KernelThread) regs;
        if (t.id() == kernel.checkpointer()) {
            checkpointerSlices++;
            return null; // a halt: the checkpointer runs no code, its address space is what matters
        }
        checkRestarts();
        Access again = pending.remove(t);
        restarted.remove(t);
        if (again == null && next >= calls.size()) {
            return null;
        }
        caller = t;
        if (again != null) {
            current = again; // its registers are as the fault left them
            accessesRunAgain++;
        } else {
            if (shadow != null) {
                wakeShadow();
            }
            current = calls.get(next++);
            if (current instanceof PagerAnswer answer) {
                current = answer(t, answer);
            }
            current.load(regs);
        }
        runAgain = again != null;
        issued++;
        stateBefore = machineState();
        frameBefore = kernel.machine().nextFreeFrame();
        if (slotsBefore.length != kernel.machine().sizes().threads()) {
            slotsBefore = new int[kernel.machine().sizes().threads()];
        }
        for (int x = 0; x < slotsBefore.length; x++) {
            slotsBefore[x] = kernel.machine().nextFreeSlot(x);
        }
        if (freePagesBefore.length != kernel.machine().sizes().threads()) {
            freePagesBefore = new int[kernel.machine().sizes().threads()];
        }
        for (int x = 0; x < freePagesBefore.length; x++) {
            freePagesBefore[x] = kernel.machine().nextFreePage(x);
        }
        pagesBefore = mappings();
        regsBefore = caller.registers().clone();
        if (platform.runsAccesses()) {
            // a call is an int 0x30 fetched from the image's code: a process made at run time has none mapped
            expected = current instanceof Access a
                    ? platform.expect(caller.process().space(), a.address(), a.kind().write)
                    : platform.expect(caller.process().space(), platform.trapInstruction(), false);
            // an access is a mov fetched from the image's code too: without a code page it faults on the fetch
            unmadeAccess = false;
            if (current instanceof Access a) {
                AttackPlatform.Expected fetch =
                        platform.expect(caller.process().space(), platform.instructionOf(a.kind()), false);
                if (fetch.fault() != null) {
                    expected = fetch;
                    unmadeAccess = true;
                }
            }
            memoryBefore = platform.userMemory();
            // the bytes the fetch reaches: the image's, or another frame's where the image's code page was (its
            // process granted it away and a page item landed there): the CPU then runs those, whatever they are
            int instruction =
                    current instanceof Access a ? platform.instructionOf(a.kind()) : platform.trapInstruction();
            AttackPlatform.Expected fetch = platform.expect(caller.process().space(), instruction, false);
            foreign = false;
            if (fetch.fault() == null) {
                byte[] own = platform.instructionBytes(instruction);
                int at = (int) fetch.physical();
                foreign = !Arrays.equals(own, 0, own.length, memoryBefore, at, at + own.length);
            }
            if (foreign) {
                writableBefore = new java.util.HashSet<>();
                for (int v = 0; v < Islands.PAGES; v++) {
                    AttackPlatform.Expected w =
                            platform.expect(caller.process().space(), (Islands.BASE + v) << 12, true);
                    if (w.fault() == null) {
                        writableBefore.add(w.physical() >>> 12);
                    }
                }
            }
            othersBefore = new java.util.IdentityHashMap<>();
            statesBefore = new java.util.IdentityHashMap<>();
            for (KernelThread x : kernel.threads()) {
                othersBefore.put(x, x.registers().clone());
                statesBefore.put(x, x.state());
            }
        }
        return current;
    }

    /**
     * The kernel restarts a thread stopped at a fault that went to its pager only once the faulting page is mapped:
     * it does so as a scheduler step begins, before it puts a thread on the CPU, so here (the CPU asks for the step's
     * move) every such thread no longer stopped must have that page mapped. Its access is run when it is scheduled,
     * which may be steps later (its pager may have taken the page away again by then). A thread that ended drops it.
     */
    private void checkRestarts() {
        Machine m = kernel.machine();
        for (var it = pending.entrySet().iterator(); it.hasNext(); ) {
            var e = it.next();
            KernelThread x = e.getKey();
            if (x.state() == KernelThread.State.DEAD) {
                it.remove();
                restarted.remove(x);
                continue;
            }
            if (x.state() != KernelThread.State.FAULTED && restarted.add(x)) {
                int v = (e.getValue().address() >>> 12) - Islands.BASE + 1;
                if (v < 1 || v > Islands.PAGES || m.pt(x.id(), v) == Machine.NO_FRAME) {
                    throw new AssertionError(where() + ": the kernel restarted " + x.name() + ", stopped at "
                            + e.getValue() + ", but page " + v + " of its space is not mapped");
                }
            }
        }
    }

    /**
     * The system call of a pager's answer: the page item {@code answer} describes, sent along {@code pager}'s
     * capability to the first thread it pages that is stopped at a fault (the capability of that thread's current
     * generation); a yield when there is none, or the pager holds no writable page.
     */
    private Syscall answer(KernelThread pager, PagerAnswer answer) {
        Machine m = kernel.machine();
        int me = pager.id();
        for (KernelThread x : kernel.threads()) {
            if (x.state() != KernelThread.State.FAULTED || x.pager() == 0 || m.cspaceObj(x.id(), x.pager()) != me) {
                continue;
            }
            for (int d = 1; d <= Islands.LOCAL_IDS; d++) {
                if (m.cspaceObj(me, d) != x.id() || m.cspaceGen(me, d) != m.gen(x.id())) {
                    continue;
                }
                // its writable pages only: a grant of its read-only code page would leave the pager without the
                // code its moves run (another frame may land there, whose bytes the CPU then runs)
                List<Integer> pages = new java.util.ArrayList<>();
                for (int v = 1; v <= Islands.PAGES; v++) {
                    if (m.pt(me, v) != Machine.NO_FRAME && !pager.process().readOnly(v)) {
                        pages.add(v);
                    }
                }
                if (pages.isEmpty()) {
                    break;
                }
                int v = pages.get(answer.pick() % pages.size());
                int item =
                        (Islands.BASE + v - 1) << Abi.ITEM_NUMBER_SHIFT | (answer.readOnly() ? Abi.ITEM_READ_ONLY : 0);
                answers++;
                return new Syscall(answer.op(), d, new int[] {0, 0, 0, 0, 0, item});
            }
        }
        return new Syscall(Abi.OP_YIELD, 0, new int[6]);
    }

    /** The kernel completes the receive of a waiter woken by a send before it schedules: so does the spec. */
    private void wakeShadow() {
        for (KernelThread t : kernel.threads()) {
            if (blocked[t.id()] && t.state() != KernelThread.State.WAITING) {
                blocked[t.id()] = false;
                step("Receive", shadow.spec.receive(t.id()).description, true, t.id());
                settle();
            }
        }
    }

    void run() {
        while (next < calls.size()) {
            long before = issued;
            long slices = checkpointerSlices;
            long traced = kernel.stats().trace().size();
            Throwable[] thrown = {null};
            aroundStep.accept(() -> {
                try {
                    kernel.run(1);
                } catch (RuntimeException | Error e) {
                    thrown[0] = e;
                }
            });
            if (thrown[0] != null) {
                throw new AssertionError(where() + ": the kernel threw " + thrown[0], thrown[0]);
            }
            synchronized (lock) {
                if (!checkStep(before, slices, traced)) {
                    return;
                }
            }
        }
    }

    /** Checks the step just made (under {@link #lock}); false when no thread could run any more. */
    private boolean checkStep(long before, long slices, long traced) {
        if (checkpointerSlices != slices) {
            steps++;
            if (kernel.thread(kernel.checkpointer()).state() != KernelThread.State.DEAD) {
                throw new AssertionError(where() + ": the checkpointer's halt did not end it");
            }
            afterStep.run();
            return true;
        }
        if (issued == before) {
            return false; // no thread can run any more (all blocked or ended)
        }
        steps++;
        if (foreign) {
            checkForeignCode();
            afterStep.run();
            return true;
        }
        if (current instanceof Access a && unmadeAccess) {
            accesses++;
            unmadeAccesses++;
            checkUnmadeCall(platform.instructionOf(a.kind()));
            afterStep.run();
            return true;
        }
        if (current instanceof Access a) {
            checkAccess(a);
            afterStep.run();
            return true;
        }
        if (platform.runsAccesses() && !(platform.lastStop() instanceof Stop.Trap)) {
            checkUnmadeCall(platform.trapInstruction());
            afterStep.run();
            return true;
        }
        List<Stats.Event> trace = kernel.stats().trace();
        if (trace.size() != traced + 1) {
            throw new AssertionError(where() + ": the trap was not traced");
        }
        int result = trace.get(trace.size() - 1).result();
        check((Syscall) current, result);
        afterStep.run();
        return true;
    }

    private String where() {
        return "call " + next + " of " + calls.size() + " (" + (caller == null ? "?" : caller.name()) + " " + current
                + ")";
    }

    private void check(Syscall call, int result) {
        if (result != Abi.OK) {
            refused++;
            if (!Arrays.equals(stateBefore, machineState())) {
                throw new AssertionError(
                        where() + " refused with " + Abi.resultName(result) + " changed the machine's state");
            }
            if (!pagesBefore.equals(mappings())) {
                throw new AssertionError(where() + " refused with " + Abi.resultName(result) + " changed a page table");
            }
            int[] after = caller.registers();
            if (after[Reg.EAX.ordinal()] != result) {
                throw new AssertionError(
                        where() + " refused: EAX is " + after[Reg.EAX.ordinal()] + ", not the result code " + result);
            }
            for (Reg r : Reg.values()) {
                if (r != Reg.EAX && after[r.ordinal()] != regsBefore[r.ordinal()]) {
                    throw new AssertionError(
                            where() + " refused with " + Abi.resultName(result) + " changed register " + r);
                }
            }
        }
        if (result == Abi.OK
                && (call.op() == Abi.OP_THREAD_CREATE
                        || call.op() == Abi.OP_PROCESS_CREATE
                        || call.op() == Abi.OP_THREAD_DELETE
                        || call.op() == Abi.OP_PROCESS_DELETE)) {
            lifecycle++;
        }
        if (result == Abi.OK && (call.op() == Abi.OP_THREAD_CREATE || call.op() == Abi.OP_PROCESS_CREATE)) {
            island[kernel.machine().cspaceObj(caller.id(), caller.get(Reg.EBX))] = island[caller.id()];
        }
        checkConfinement(where() + " -> " + Abi.resultName(result));
        if (shadow != null) {
            validate(call, result);
        }
    }

    private void checkConfinement(String where) {
        Machine m = kernel.machine();
        // a frame a deletion returned to the allocator belongs to no island until it is handed out again
        frameIsland.keySet().removeIf(m::free);
        int n = Islands.THREADS.length;
        for (int x = 0; x < n; x++) {
            for (int l = 1; l <= Islands.LOCAL_IDS; l++) {
                int o = m.cspaceObj(x, l);
                if (o != Machine.NO_OBJ && m.cspaceGen(x, l) == m.gen(o) && island[o] != island[x]) {
                    throw new AssertionError(where + ": " + Islands.THREADS[x] + "'s local id " + l + " names "
                            + Islands.THREADS[o] + " of another island");
                }
            }
            for (int v = 1; v <= Islands.PAGES; v++) {
                int f = m.pt(x, v);
                if (f != Machine.NO_FRAME) {
                    int firstHolder = x; // a frame seen for the first time joins the island of the thread mapping it
                    int owner = frameIsland.computeIfAbsent(f, k -> island[firstHolder]);
                    if (owner != island[x]) {
                        throw new AssertionError(where + ": " + Islands.THREADS[x] + " maps frame " + f
                                + ", which belongs to island " + owner);
                    }
                }
            }
        }
        Authority a = kernel.authority();
        for (int x = 0; x < n; x++) {
            for (int y = 0; y < n; y++) {
                if (a.canSendPotentially(x, y) && island[x] != island[y]) {
                    throw new AssertionError(where + ": " + Islands.THREADS[x] + " could come to send to "
                            + Islands.THREADS[y] + " of another island");
                }
            }
        }
    }

    // ---------------------------------------------------------------- memory accesses

    /** What an access did, against what the page tables said before it ({@link #expected}). */
    private void checkAccess(Access a) {
        accesses++;
        String at = where();
        Stop stop = platform.lastStop();
        int[] after = caller.registers();
        int instruction = platform.instructionOf(a.kind());
        long pa = expected.physical();
        byte[] memory = memoryBefore.clone();
        int[] stateAfter = machineState();
        if (runAgain) {
            checkRunAgain(at, a);
        }
        if (expected.fault() != null) {
            PageFault want = expected.fault();
            if (!(stop instanceof Stop.Fault f)
                    || f.fault().cr2() != want.cr2()
                    || f.fault().errorCode() != want.errorCode()) {
                throw new AssertionError(String.format(
                        "%s: expected a page fault at 0x%08x with error code %d (%s), but the CPU stopped with %s",
                        at, want.cr2(), want.errorCode(), expected.why(), stop));
            }
            accessFaults++;
            faultCodes[want.errorCode() & 7]++;
            sameRegisters(at, regsBefore, after, instruction);
            checkFaultHandled(at, want, instruction, stateAfter);
        } else {
            if (!(stop instanceof Stop.Preempted)) {
                throw new AssertionError(String.format(
                        "%s: the page tables map 0x%08x to physical 0x%x%s, but the CPU stopped with %s",
                        at, a.address(), pa, a.kind().write ? " writable" : "", stop));
            }
            int[] want = regsBefore.clone();
            want[Reg.EIP.ordinal()] = platform.instructionOf(Access.Kind.READ8) - 2; // back at the loop
            if (!a.kind().write) {
                int v = 0;
                for (int i = 0; i < a.kind().size; i++) {
                    v |= (memoryBefore[(int) pa + i] & 0xff) << (8 * i);
                }
                int eax = want[Reg.EAX.ordinal()];
                want[Reg.EAX.ordinal()] = a.kind().size == 4 ? v : (eax & ~0xff) | v;
            } else {
                for (int i = 0; i < a.kind().size; i++) {
                    memory[(int) pa + i] = (byte) (a.value() >>> (8 * i));
                }
            }
            for (Reg r : Reg.values()) {
                if (r != Reg.EFLAGS && after[r.ordinal()] != want[r.ordinal()]) {
                    throw new AssertionError(String.format(
                            "%s: after the access %s is 0x%x, not 0x%x (physical 0x%x)",
                            at, r, after[r.ordinal()], want[r.ordinal()], pa));
                }
            }
            if (!Arrays.equals(stateBefore, stateAfter)) {
                throw new AssertionError(at + ": an access that completed changed the machine's state");
            }
            if (caller.state() != KernelThread.State.READY) {
                throw new AssertionError(at + ": an access that completed left its thread " + caller.state());
            }
        }
        sameMemory(at, memory);
        unchangedElsewhere(at);
    }

    /**
     * An access run again: the kernel woke its thread because the faulting page is mapped now (writable, after a
     * write to a page it held read-only). When the mapping lets the access (a read, or a page mapped writable), the
     * hand-written walk of the page tables must predict that it completes, at the frame the machine maps there (the
     * CPU is then checked against that prediction: the physical address, the value read or written); a write woken by
     * a read-only mapping of a page it lacked faults again (error code 7) and goes to the pager again.
     */
    private void checkRunAgain(String at, Access a) {
        Machine m = kernel.machine();
        int v = (a.address() >>> 12) - Islands.BASE + 1;
        int frame = v >= 1 && v <= Islands.PAGES ? m.pt(caller.id(), v) : Machine.NO_FRAME;
        if (frame == Machine.NO_FRAME) {
            // mapped when the kernel restarted the thread (checkRestarts), taken away since: it faults again
            if (expected.fault() == null) {
                throw new AssertionError(
                        at + ": run again, page " + v + " is not mapped, but the walk says " + expected.why());
            }
            accessesRunAgainUnmappedSince++;
            return;
        }
        boolean lets = !a.kind().write || !caller.process().readOnly(v);
        if (!lets) {
            if (expected.fault() == null || expected.fault().errorCode() != 7) {
                throw new AssertionError(
                        at + ": a write run again on a page mapped read-only, and the walk says " + expected.why());
            }
            return;
        }
        if (expected.fault() != null) {
            throw new AssertionError(at + ": run again after its pager mapped page " + v + " (frame " + frame
                    + "), but the walk of the page tables says " + expected.why());
        }
        if (expected.physical() >>> 12 != frame) { // the spec's frame f is physical frame f (frame 0 never handed out)
            throw new AssertionError(String.format(
                    "%s: run again after its pager mapped frame %d, but the walk reaches physical 0x%x",
                    at, frame, expected.physical()));
        }
        accessesRunAgainCompleted++;
    }

    /**
     * A call whose {@code int 0x30} could not be fetched (its process has no code page: one made at run time, or one
     * that unmapped its own): the fetch faulted as the page tables say, the kernel handled the fault as the boot
     * says, and nothing else changed. (Before, such a step was taken for a call the kernel answered OK.)
     */
    private void checkUnmadeCall(int instruction) {
        if (!unmadeAccess) {
            unmadeCalls++;
        }
        String at = where();
        Stop stop = platform.lastStop();
        PageFault want = expected.fault();
        if (want == null
                || !(stop instanceof Stop.Fault f)
                || f.fault().cr2() != want.cr2()
                || f.fault().errorCode() != want.errorCode()) {
            throw new AssertionError(String.format(
                    "%s: the instruction's fetch did not fault: the CPU stopped with %s, the page tables say %s",
                    at, stop, expected));
        }
        sameRegisters(at, regsBefore, caller.registers(), instruction);
        checkFaultHandled(at, want, instruction, machineState());
        sameMemory(at, memoryBefore);
        unchangedElsewhere(at);
    }

    /**
     * A move that ran other bytes than the image's (another frame at the instruction's address): what they do is
     * theirs, so the step is checked by what the kernel must do with any stop. A system call (the trap the kernel
     * takes for one) keeps every island's authority to itself and the kernel's invariants. Any other stop changes no
     * mapping and no other thread, and no byte but in a frame the thread's space could write; the quantum's end leaves
     * the machine as it was and the thread ready; a page fault is one the walk of the page tables gives for its
     * address and is handled as the boot says; any other trap, a bad instruction or a halt ends the thread and
     * changes nothing else.
     */
    private void checkForeignCode() {
        foreignCode++;
        if (current instanceof Access) {
            accesses++;
        } else {
            foreignCalls++;
        }
        String at = where() + ", running another frame's bytes at its code address";
        Stop stop = platform.lastStop();
        if (stop instanceof Stop.Trap trap && trap.vector() == Abi.SYSCALL_VECTOR) {
            checkConfinement(at);
            return;
        }
        int[] stateAfter = machineState();
        byte[] now = platform.userMemory();
        int page = PhysicalMemory.PAGE_SIZE;
        for (int frame = 0; frame < now.length / page; frame++) {
            int from = frame * page;
            int i = Arrays.mismatch(memoryBefore, from, from + page, now, from, from + page);
            if (i >= 0 && !writableBefore.contains((long) frame)) {
                throw new AssertionError(String.format(
                        "%s: byte 0x%x of frame %d changed (0x%02x to 0x%02x), a frame its space cannot write",
                        at, i, frame, memoryBefore[from + i], now[from + i]));
            }
        }
        if (!pagesBefore.equals(mappings())) {
            throw new AssertionError(at + ": the step changed a page table's mappings");
        }
        for (KernelThread x : kernel.threads()) {
            int[] r = othersBefore.get(x);
            if (x != caller && (r == null || !Arrays.equals(r, x.registers()) || statesBefore.get(x) != x.state())) {
                throw new AssertionError(at + ": the step changed thread " + x.name() + "'s registers or state");
            }
        }
        if (stop instanceof Stop.Preempted) {
            if (!Arrays.equals(stateBefore, stateAfter) || caller.state() != KernelThread.State.READY) {
                throw new AssertionError(
                        at + ": the quantum's end changed the machine's state or left its thread " + caller.state());
            }
        } else if (stop instanceof Stop.Fault f) {
            AttackPlatform.Expected walk = platform.expect(
                    caller.process().space(), f.fault().cr2(), f.fault().write());
            if (walk.fault() == null || !walk.fault().equals(f.fault())) {
                throw new AssertionError(
                        String.format("%s: the CPU reported %s, but the page tables say %s", at, f.fault(), walk));
            }
            accessFaults++;
            faultCodes[f.fault().errorCode() & 7]++;
            checkFaultHandled(at, f.fault(), caller.get(Reg.EIP), stateAfter);
        } else {
            if (caller.state() != KernelThread.State.DEAD || !Arrays.equals(stateBefore, stateAfter)) {
                throw new AssertionError(at + ": " + stop + " must end the thread and change nothing else, but the"
                        + " thread is " + caller.state());
            }
        }
        checkConfinement(at);
    }

    private void unchangedElsewhere(String at) {
        if (!pagesBefore.equals(mappings())) {
            throw new AssertionError(at + ": the step changed a page table's mappings");
        }
        for (KernelThread x : kernel.threads()) {
            if (x == caller) {
                continue;
            }
            int[] r = othersBefore.get(x);
            if (r == null || !Arrays.equals(r, x.registers()) || statesBefore.get(x) != x.state()) {
                throw new AssertionError(at + ": the step changed thread " + x.name() + "'s registers or state");
            }
        }
        checkConfinement(at);
    }

    /** Every register as before the access but EFLAGS, and EIP at the faulting instruction. */
    private static void sameRegisters(String at, int[] before, int[] after, int instruction) {
        if (after[Reg.EIP.ordinal()] != instruction) {
            throw new AssertionError(String.format(
                    "%s: the fault left EIP at 0x%08x, not at the access (0x%08x)",
                    at, after[Reg.EIP.ordinal()], instruction));
        }
        for (Reg r : Reg.values()) {
            if (r != Reg.EIP && r != Reg.EFLAGS && after[r.ordinal()] != before[r.ordinal()]) {
                throw new AssertionError(at + ": the faulting access changed register " + r);
            }
        }
    }

    /** The frames' bytes are {@code want}; a difference is reported with the frame and who maps it. */
    private void sameMemory(String at, byte[] want) {
        byte[] now = platform.userMemory();
        int i = Arrays.mismatch(want, now);
        if (i < 0) {
            return;
        }
        int frame = i / PhysicalMemory.PAGE_SIZE;
        List<String> holders = new java.util.ArrayList<>();
        for (KernelThread x : kernel.threads()) {
            for (int v = 1; v <= Islands.PAGES; v++) {
                if (x.state() != KernelThread.State.DEAD && kernel.machine().pt(x.id(), v) == frame) {
                    holders.add(x.name() + " page " + v);
                }
            }
        }
        throw new AssertionError(String.format(
                "%s: byte 0x%x of frame %d (mapped by %s) is 0x%02x, not 0x%02x",
                at, i % PhysicalMemory.PAGE_SIZE, frame, holders.isEmpty() ? "nobody" : holders, now[i], want[i]));
    }

    /**
     * The kernel handled the fault as the boot description says: a thread with a pager ({@code faults pager}) whose
     * fault lies in the page window, on a page it lacks or a write to one it holds read-only, sends the pager the
     * fault message (the spec's {@code Send} of {@code FAULT_TAG, CR2, error code, EIP}) and waits; if that send is
     * refused, the pager is dead, or there is no pager, the thread ends and nothing else changes.
     */
    private void checkFaultHandled(String at, PageFault f, int eip, int[] stateAfter) {
        Machine m = kernel.machine();
        int me = caller.id();
        long vpn = Integer.toUnsignedLong(f.cr2()) >>> 12;
        int v = vpn >= Islands.BASE && vpn < Islands.BASE + Islands.PAGES ? (int) (vpn - Islands.BASE + 1) : -1;
        int[] before = stateBefore;
        Machine t = twin();
        t.restoreState(before);
        boolean mapped = v > 0 && t.pt(me, v) != Machine.NO_FRAME;
        // which pages are read-only is the kernel's, outside the machine; an access changes none of them
        boolean protection =
                f.present() && f.write() && mapped && caller.process().readOnly(v);
        int pager = caller.pager() == 0 ? Machine.NO_OBJ : t.cspaceObj(me, caller.pager());
        boolean pagerAlive = pager != Machine.NO_OBJ
                && kernel.thread(pager) != null
                && statesBefore.get(kernel.thread(pager)) != KernelThread.State.DEAD;
        boolean toPager = caller.faults() == dev.ladle.kernel.boot.BootDescription.FaultPolicy.PAGER
                && caller.pager() != 0
                && v > 0
                && (!mapped || protection)
                && (pager == Machine.NO_OBJ || pagerAlive);
        int[] sent = null;
        if (toPager) {
            if (t.send(me, caller.pager(), new int[] {Abi.FAULT_TAG, f.cr2(), f.errorCode(), eip, 0, 0})
                    == Machine.Guard.OK) {
                sent = t.copyState();
            }
        }
        if (sent != null) {
            faultsToPager++;
            if (caller.state() != KernelThread.State.FAULTED || caller.faultPage() != v) {
                throw new AssertionError(at + ": the fault went to the pager, but the thread is " + caller.state());
            }
            if (!Arrays.equals(sent, stateAfter)) {
                throw new AssertionError(at + ": the machine's state is not the fault message's Send to the pager");
            }
            if (current instanceof Access a && !unmadeAccess && !foreign) {
                // a call or an access not made (its fetch faulted) is not made again: the thread goes on with the next
                pending.put(caller, a);
            }
        } else {
            faultsKilling++;
            if (caller.state() != KernelThread.State.DEAD) {
                throw new AssertionError(at + ": the fault ends the thread ("
                        + (toPager ? "the message is refused" : "no pager for it") + "), but it is " + caller.state());
            }
            if (!Arrays.equals(before, stateAfter)) {
                throw new AssertionError(at + ": a fault that ended its thread changed the machine's state");
            }
        }
    }

    /** A machine of the kernel's sizes without the lockstep spec, set to a copied state to replay a step on. */
    private Machine twin() {
        if (twin == null) {
            Machine.Sizes z = kernel.machine().sizes();
            int[] noProc = new int[z.threads()];
            Arrays.fill(noProc, Machine.NO_OBJ);
            int[][] noPages = new int[z.threads()][z.pages()];
            for (int[] p : noPages) {
                Arrays.fill(p, Machine.NO_FRAME);
            }
            twin = new Machine(
                    z, false, new int[z.threads()][z.localIds()][], noProc, noPages, new boolean[z.threads()]);
        }
        return twin;
    }

    // ---------------------------------------------------------------- trace validation

    /** The spec action the ABI makes of the call, applied to the shadow, compared with what the kernel did. */
    private void validate(Syscall c, int result) {
        int t = caller.id();
        int[] w = c.words().clone();
        int d = c.operand();
        int item = w[5];
        int number = item >>> Abi.ITEM_NUMBER_SHIFT;
        int rights = (item >>> 4) & 3;
        boolean idOk = d >= 1 && d <= Islands.LOCAL_IDS;
        int target = idOk ? shadow.spec.cspaceObj(t, d) : Machine.NO_OBJ;
        boolean targetDead = target != Machine.NO_OBJ
                && (kernel.thread(target) == null || kernel.thread(target).state() == KernelThread.State.DEAD);
        boolean pageItem = c.op() == Abi.OP_MAP_PAGE || c.op() == Abi.OP_GRANT_PAGE || c.op() == Abi.OP_COPY_PAGE;
        // bit 6 (read-only) is a page item's; on a capability item it is refused as bit 7 is on any item
        boolean itemOk = (item & (pageItem ? Abi.ITEM_RESERVED : Abi.ITEM_RESERVED | Abi.ITEM_READ_ONLY)) == 0;
        int v = number - Islands.BASE + 1 + (mistranslatePages ? 1 : 0);
        boolean pageOk = v >= 1 && v <= Islands.PAGES;
        boolean capOk = number >= 1 && number <= Islands.LOCAL_IDS;
        boolean sendable = idOk && !targetDead;
        // the slot an entry lands in: the head of the receiver's free list before the call (the kernel's choice)
        int slot = target == Machine.NO_OBJ ? 0 : slotsBefore[target];
        // the page a page item lands in: the head of the free list of the receiver's address space before the call
        int page = target == Machine.NO_OBJ ? 0 : freePagesBefore[target];
        var s = shadow.spec;
        switch (c.op()) {
            case Abi.OP_SEND -> step("Send", sendable ? s.send(t, d, w).description : null, result == Abi.OK, t, d, w);
            case Abi.OP_MAP_PAGE ->
                step(
                        "MapPage",
                        sendable && itemOk && pageOk ? s.mapPage(t, d, w, v, page).description : null,
                        result == Abi.OK,
                        t,
                        d,
                        w,
                        v,
                        page);
            case Abi.OP_GRANT_PAGE ->
                step(
                        "GrantPage",
                        sendable && itemOk && pageOk ? s.grantPage(t, d, w, v, page).description : null,
                        result == Abi.OK,
                        t,
                        d,
                        w,
                        v,
                        page);
            case Abi.OP_COPY_PAGE ->
                step(
                        "CopyPage",
                        // the frame is the kernel's choice (the head of its free list before the call); the spec
                        // accepts any free one
                        sendable && itemOk && pageOk ? s.copyPage(t, d, w, v, frameBefore, page).description : null,
                        result == Abi.OK,
                        t,
                        d,
                        w,
                        v,
                        frameBefore,
                        page);
            case Abi.OP_MAP_CAP ->
                step(
                        "MapCap",
                        sendable && itemOk && capOk
                                ? s.mapCap(t, d, w, number, new int[] {rights}, slot).description
                                : null,
                        result == Abi.OK,
                        t,
                        d,
                        w,
                        number,
                        new int[] {rights},
                        slot);
            case Abi.OP_GRANT_CAP ->
                step(
                        "GrantCap",
                        sendable && itemOk && capOk ? s.grantCap(t, d, w, number, slot).description : null,
                        result == Abi.OK,
                        t,
                        d,
                        w,
                        number,
                        slot);
            case Abi.OP_COPY_CAP ->
                step(
                        "CopyCap",
                        sendable && itemOk && capOk
                                ? s.copyCap(t, d, w, number, new int[] {rights}, slot).description
                                : null,
                        result == Abi.OK,
                        t,
                        d,
                        w,
                        number,
                        new int[] {rights},
                        slot);
            case Abi.OP_RECEIVE -> step("Receive", s.receive(t).description, result == Abi.OK, t);
            case Abi.OP_WAIT -> {
                if (s.inboxLength(t) > 0) {
                    step("Receive", s.receive(t).description, result == Abi.OK, t);
                } else {
                    step("Wait", s.wait(t).description, result == Abi.OK, t);
                    blocked[t] = result == Abi.OK;
                }
            }
            case Abi.OP_UNMAP ->
                step(
                        "Unmap",
                        pageOk(d) ? s.unmap(t, d - Islands.BASE + 1).description : null,
                        result == Abi.OK,
                        t,
                        d - Islands.BASE + 1);
            case Abi.OP_REVOKE -> step("Revoke", idOk ? s.revoke(t, d).description : null, result == Abi.OK, t, d);
            case Abi.OP_THREAD_CREATE, Abi.OP_PROCESS_CREATE -> {
                // the kernel supplies a free thread object (and process object): for a refused call the lowest
                int u = -1;
                int q = -1;
                for (int x = kernel.machine().sizes().threads() - 1; x >= 0; x--) {
                    u = s.proc(x) == Machine.NO_OBJ ? x : u;
                    boolean free = true;
                    for (int y = 0; y < kernel.machine().sizes().threads(); y++) {
                        free &= s.proc(y) != x;
                    }
                    q = free ? x : q;
                }
                if (result == Abi.OK) {
                    // the objects the kernel took (the heads of its free lists, not always the lowest): the local id
                    // of the new thread is in EBX
                    u = kernel.machine().cspaceObj(t, caller.get(Reg.EBX));
                    q = kernel.machine().proc(u);
                }
                // the caller's slot the capability lands in: the head of its free list before the call
                int created = slotsBefore[t];
                if (c.op() == Abi.OP_THREAD_CREATE) {
                    step(
                            "CreateThread",
                            u >= 0 ? s.createThread(t, u, created).description : null,
                            result == Abi.OK,
                            t,
                            u,
                            created);
                } else {
                    step(
                            "CreateProcess",
                            u >= 0 && q >= 0 ? s.createProcess(t, u, q, created).description : null,
                            result == Abi.OK,
                            t,
                            u,
                            q,
                            created);
                }
            }
            case Abi.OP_THREAD_DELETE, Abi.OP_PROCESS_DELETE -> {
                if (c.op() == Abi.OP_THREAD_DELETE) {
                    step("DeleteThread", idOk ? s.deleteThread(t, d).description : null, result == Abi.OK, t, d);
                } else {
                    step("DeleteProcess", idOk ? s.deleteProcess(t, d).description : null, result == Abi.OK, t, d);
                }
                for (int x = 0; x < blocked.length; x++) {
                    blocked[x] &= s.proc(x) != Machine.NO_OBJ; // a deleted thread waits no more
                }
            }
            default -> lastAction = "(none: " + Abi.resultName(result) + ")";
        }
        int[] kernelState = settle();
        if (!Arrays.equals(kernelState, shadow.state())) {
            throw new AssertionError("trace validation, step " + steps + ", " + where() + ", action " + lastAction
                    + ": the spec's state differs from the kernel's in " + shadow.differingVariables(kernelState));
        }
    }

    private String lastAction = "";

    /** The kernel's abstract state now, recorded as the state after the steps that have none yet. */
    private int[] settle() {
        int[] state = kernel.machine().copySpecState();
        for (int i = recorded.size() - 1; i >= 0 && recorded.get(i).after() == null; i--) {
            Recorded r = recorded.get(i);
            recorded.set(i, new Recorded(r.action(), r.args(), r.applied(), state));
        }
        return state;
    }

    private static boolean pageOk(int vpn) {
        int v = vpn - Islands.BASE + 1;
        return v >= 1 && v <= Islands.PAGES;
    }

    /**
     * One action's verdict beside the kernel's: {@code guard} is the spec's guard description ("Send" when
     * enabled, "Send: HasRoom" when refused), null when the ABI refuses the call before any action.
     */
    private void step(String action, String guard, boolean kernelOk, Object... args) {
        lastAction = action;
        boolean enabled = guard != null && !guard.contains(": ");
        if (guard != null) {
            recorded.add(new Recorded(action, args.clone(), kernelOk, null));
        }
        if (enabled != kernelOk) {
            throw new AssertionError("trace validation, step " + steps + ", " + where() + ", action " + action
                    + ": the kernel " + (kernelOk ? "applied it" : "refused it") + " but the spec "
                    + (guard == null ? "has no such step" : enabled ? "enables it" : "refuses it (" + guard + ")"));
        }
    }
}
