package dev.ladle.kernel;

import dev.ladle.kernel.boot.BootDescription.FaultPolicy;
import dev.ladle.kernel.hw.Reg;
import dev.ladle.kernel.hw.RegisterFile;

/**
 * A thread object: the spec's thread {@link #id()} plus what the spec abstracts, its saved registers (restored
 * into the CPU on every switch) and its scheduling state. Its local-id table, vector and page map live in the
 * generated machine.
 */
public final class KernelThread implements RegisterFile {
    /** What the scheduler may do with a thread. */
    public enum State {
        /** Runnable. */
        READY,
        /** Blocked in {@code WAIT} (the spec's {@code waiting}); runnable again once a message wakes it. */
        WAITING,
        /**
         * Stopped at a page fault sent to its pager; runnable again once the page is mapped (writable, for a write to
         * a read-only page).
         */
        FAULTED,
        /** Exited or killed: never scheduled again, sends to it are refused. */
        DEAD
    }

    private final int id;
    private final String name;
    private final Process process;
    private final int pager;
    private final FaultPolicy faults;
    private final int[] regs = new int[Reg.values().length];
    private State state = State.READY;
    private int faultPage;
    private boolean faultWrite;
    private String end = "";

    KernelThread(int id, String name, Process process, int pager, FaultPolicy faults) {
        this.id = id;
        this.name = name;
        this.process = process;
        this.pager = pager;
        this.faults = faults;
    }

    /** The spec's thread id (0-based, the order of the boot description). */
    public int id() {
        return id;
    }

    public String name() {
        return name;
    }

    public Process process() {
        return process;
    }

    /** The pager's local id in this thread's table, 0 for none. */
    public int pager() {
        return pager;
    }

    public FaultPolicy faults() {
        return faults;
    }

    public State state() {
        return state;
    }

    void state(State s) {
        state = s;
    }

    /** The spec page a {@link State#FAULTED} thread waits for. */
    public int faultPage() {
        return faultPage;
    }

    void faultPage(int v) {
        faultPage = v;
    }

    /** Whether a {@link State#FAULTED} thread waits for the write right on its page (it faulted on a read-only page). */
    public boolean faultWrite() {
        return faultWrite;
    }

    void faultWrite(boolean write) {
        faultWrite = write;
    }

    /** Why a {@link State#DEAD} thread ended ("exit", "killed: ..."). */
    public String end() {
        return end;
    }

    void end(String why) {
        end = why;
    }

    @Override
    public int get(Reg r) {
        return regs[r.ordinal()];
    }

    @Override
    public void set(Reg r, int value) {
        regs[r.ordinal()] = value;
    }

    @Override
    public void get(Reg first, int count, int[] into, int at) {
        System.arraycopy(regs, first.ordinal(), into, at, count);
    }

    @Override
    public void set(Reg first, int count, int[] from, int at) {
        System.arraycopy(from, at, regs, first.ordinal(), count);
    }

    /** A copy of the saved registers in {@link Reg} order. */
    public int[] registers() {
        return regs.clone();
    }

    @Override
    public String toString() {
        return name;
    }
}
