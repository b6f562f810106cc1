package dev.ladle.codegen;

import dev.ladle.codegen.Ir.Expr;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * What the emit passes refuse while generating one definition (an action, an invariant, TypeOK, Init, the
 * readers of one variable): the first construct they cannot generate, as a value. The expression emitters
 * enter every expression they emit; a refusal is located at the innermost one whose origin is known (see
 * {@link Ir.Origins}), so the error names the construct, not the definition around it. Once a definition is
 * refused, the emitters return placeholders without emitting anything more, and the pass drops the definition.
 */
final class Refusals {
    private final Ir.Origins origins;
    private final Deque<Expr> within = new ArrayDeque<>();
    private String message;
    private Diagnostic where;

    Refusals(Ir.Origins origins) {
        this.origins = origins;
    }

    boolean refused() {
        return message != null;
    }

    /** The reason of the first refusal (null when none). */
    String message() {
        return message;
    }

    void enter(Expr e) {
        within.push(e);
    }

    void leave() {
        within.pop();
    }

    /** Refuses the definition being emitted (only the first refusal counts), at the innermost located expression. */
    void refuse(String why) {
        if (message != null) {
            return;
        }
        message = why;
        for (Expr e : within) {
            Diagnostic w = origins.where(e);
            if (w != null) {
                where = w;
                return;
            }
        }
    }

    /** Refuses at the construct e (or, when e has no known origin, at the definition). */
    void refuseAt(Expr e, String why) {
        enter(e);
        refuse(why);
        leave();
    }

    /**
     * The refusal as a located error, context prefixed to its reason; at fallback (the definition) when no
     * expression around it has a known origin. Null when nothing was refused.
     */
    Diagnostic diagnostic(Diagnostic fallback, String context) {
        if (message == null) {
            return null;
        }
        Diagnostic w = where != null ? where : fallback;
        return new Diagnostic(w.module(), w.line(), w.column(), context + message);
    }
}
