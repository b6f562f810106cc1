package dev.ladle.kernel.boot;

import java.util.List;

/**
 * A parsed boot description: the initial authority of a system, in the spirit of seL4's capDL. The text format
 * and its parser are in {@link BootParser}; every declaration keeps its position so later checks (an image that
 * does not fit, a pager without the send right) can name the line and column too.
 *
 * @param file the name errors carry
 * @param limits the machine's sizes (the spec's constants)
 * @param processes in declaration order
 * @param threads in declaration order; thread {@code i} is the spec's thread {@code i}
 * @param caps every initial local-id table entry
 */
public record BootDescription(
        String file, Limits limits, List<ProcessDecl> processes, List<ThreadDecl> threads, List<CapDecl> caps) {

    /** Where a declaration or a word of it stands. */
    public record Pos(int line, int column) {}

    /**
     * @param threads spec threads (at least the declared ones; the rest start with empty tables)
     * @param localIds slots of every local-id table
     * @param pages pages of every page window
     * @param frames physical frames the spec hands out
     * @param vector messages every vector holds
     * @param base the window's first virtual page number (address >> 12); the default, 0x08047, holds the ELF
     *     headers page the linker puts before a {@code .text} at the classic 0x08048000
     */
    public record Limits(int threads, int localIds, int pages, int frames, int vector, int base) {
        public static final Limits DEFAULT = new Limits(0, 8, 64, 256, 4, 0x08047);
    }

    /**
     * A process: an address space loaded from an ELF32 image, with {@code stack} pages per thread at the top of its
     * window (its first thread's at the very top, the next one's right below, and so on) and {@code heap} zeroed pages
     * right after the image.
     */
    public record ProcessDecl(
            String name, String image, int stack, int heap, Pos pos, Pos imagePos, Pos stackPos, Pos heapPos) {}

    /** What happens when a thread touches an unmapped page. */
    public enum FaultPolicy {
        PAGER,
        KILL
    }

    /**
     * A thread running in a process, from the image's entry point or from {@code entry} (a symbol of the image or an
     * address; null: the image's entry point). {@code pager} is a local id in the thread's own table (0: none);
     * {@code confined} puts it in the spec's confined group; {@code checkpointerPos} (null: not one) marks the system's
     * checkpointer (the specs' {@code Checkpointers}), the thread the kernel maps a checkpoint's frames into.
     */
    public record ThreadDecl(
            String name,
            String process,
            int pager,
            FaultPolicy faults,
            boolean confined,
            Pos pos,
            Pos pagerPos,
            String entry,
            Pos entryPos,
            Pos checkpointerPos,
            Pos processPos) {
        /** Whether this is the system's checkpointer. */
        public boolean checkpointer() {
            return checkpointerPos != null;
        }
    }

    /** Slot {@code localId} of {@code thread}'s table names {@code target} with {@code rights} (send 1, grant 2). */
    public record CapDecl(
            String thread,
            int localId,
            String target,
            int rights,
            Pos pos,
            Pos threadPos,
            Pos localIdPos,
            Pos targetPos) {}

    public int threadIndex(String name) {
        for (int i = 0; i < threads.size(); i++) {
            if (threads.get(i).name().equals(name)) {
                return i;
            }
        }
        return -1;
    }

    /** The checkpointer's thread index (the specs' {@code Checkpointers}, at most one), or -1 when none is declared. */
    public int checkpointer() {
        for (int i = 0; i < threads.size(); i++) {
            if (threads.get(i).checkpointer()) {
                return i;
            }
        }
        return -1;
    }

    public ProcessDecl process(String name) {
        return processes.stream().filter(p -> p.name().equals(name)).findFirst().orElse(null);
    }
}
