package dev.ladle.persist;

import dev.ladle.persist.model.ObjectRef;

/**
 * One kernel operation as the operation log records it, appended before it takes effect: the syscall with its
 * arguments and result, the registers of the calling thread at the trap, and the object it creates, changes or
 * deletes (Persistence.tla's {@code Create(o)}, {@code Update(o)}, {@code Delete(o)}).
 */
public record Operation(int code, Effect effect, ObjectRef object, int thread, int[] args, int result, int[] regs) {
    /** What the operation does to its object, as the spec's actions name it. */
    public enum Effect {
        CREATE("Create"),
        UPDATE("Update"),
        DELETE("Delete");

        public final String action;

        Effect(String action) {
            this.action = action;
        }
    }
}
