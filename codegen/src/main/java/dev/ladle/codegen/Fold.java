package dev.ladle.codegen;

import dev.ladle.codegen.Ir.*;
import java.util.List;

/**
 * Constant expressions: which are constants, their folded value and text, and the constant bounds of an integer
 * (a range's ends, a sequence's bound) that give sets of integers their layout.
 */
final class Fold {

    private Fold() {}

    /**
     * Whether e is a constant expression (literals and the spec's constants) that can be computed when the
     * machine is built: not one TLC would stop on (2 \\div 0, an overflow), which is computed where the spec
     * evaluates it, so it raises there as in TLC, never when the machine is constructed.
     */
    static boolean isConstant(Expr e) {
        return constantShape(e) && !(value(e) instanceof Stops);
    }

    /** What folding literals gives: a value, a stop (TLC raises there), or nothing (a constant of the config). */
    private sealed interface Value permits Known, Stops, Unknown {}

    private record Known(int value) implements Value {}

    private record Stops() implements Value {}

    private record Unknown() implements Value {}

    /** e's value when it is made of literals only; a stop wins over a constant of the config on either side. */
    private static Value value(Expr e) {
        if (e instanceof IntLit l) {
            return new Known(l.value());
        } else if (e instanceof Neg n) {
            Value a = value(n.a());
            return a instanceof Known k ? exact(-(long) k.value()) : a;
        } else if (e instanceof Bin b) {
            Value x = value(b.a());
            Value y = value(b.b());
            if (x instanceof Stops || y instanceof Stops) {
                return new Stops();
            }
            if (!(x instanceof Known kx) || !(y instanceof Known ky)) {
                return new Unknown();
            }
            int p = kx.value();
            int q = ky.value();
            return switch (b.op()) {
                case ADD -> exact((long) p + q);
                case SUB -> exact((long) p - q);
                case MUL -> exact((long) p * q);
                case DIV -> q == 0 ? new Stops() : new Known(Math.floorDiv(p, q));
                case MOD -> q <= 0 ? new Stops() : new Known(Math.floorMod(p, q));
                default -> new Unknown();
            };
        }
        return new Unknown();
    }

    /** A 32-bit result, or a stop where TLC reports an overflow. */
    private static Value exact(long v) {
        return v < Integer.MIN_VALUE || v > Integer.MAX_VALUE ? new Stops() : new Known((int) v);
    }

    private static boolean constantShape(Expr e) {
        if (e instanceof IntLit || e instanceof ConstInt) {
            return true;
        } else if (e instanceof Bin b) {
            return constantShape(b.a()) && constantShape(b.b());
        } else if (e instanceof Neg n) {
            return constantShape(n.a());
        } else {
            return false;
        }
    }

    /** A constant that is at least e, when one is evident from e's type (a bound variable, a Len). */
    static Expr upperBoundOf(Expr e) {
        if (isConstant(e)) {
            return e;
        }
        if (e instanceof Len l && l.seq().type() instanceof SeqT st) {
            return st.max();
        }
        if (e.type() instanceof RangeT r && isConstant(r.hi())) {
            return r.hi();
        }
        if (e instanceof Bin b && b.op() == BinOp.SUB && isConstant(b.b())) {
            Expr a = upperBoundOf(b.a());
            return a == null ? null : new Bin(BinOp.SUB, a, b.b());
        }
        if (e instanceof Bin b && b.op() == BinOp.MOD && isConstant(b.b())) {
            // x % k lies in 0..k-1 (TLC stops when k is not positive)
            return new Bin(BinOp.SUB, b.b(), new IntLit(1));
        }
        if (e instanceof Bin b && b.op() == BinOp.ADD) {
            Expr x = upperBoundOf(b.a());
            Expr y = upperBoundOf(b.b());
            return x == null || y == null ? null : new Bin(BinOp.ADD, x, y);
        }
        return null;
    }

    static Expr lowerBoundOf(Expr e) {
        if (isConstant(e)) {
            return e;
        }
        if (e instanceof Len || e instanceof Bin b && b.op() == BinOp.MOD && isConstant(b.b())) {
            return new IntLit(0);
        }
        if (e.type() instanceof RangeT r && isConstant(r.lo())) {
            return r.lo();
        }
        return null;
    }

    /** Two sets over integer ranges are stored over their ranges: bitsets over different ones do not mix. */
    static boolean sameUniverse(Type a, Type b) {
        if (a instanceof SetT x
                && b instanceof SetT y
                && x.elem() instanceof RangeT rx
                && y.elem() instanceof RangeT ry) {
            return show(rx.lo()).equals(show(ry.lo())) && show(rx.hi()).equals(show(ry.hi()));
        }
        return true;
    }

    static String differentRanges(Type a, Type b) {
        RangeT x = (RangeT) ((SetT) a).elem();
        RangeT y = (RangeT) ((SetT) b).elem();
        return "unsupported: sets over two different integer ranges meet here (" + describe(x.lo()) + ".."
                + describe(x.hi()) + " and " + describe(y.lo()) + ".." + describe(y.hi())
                + "); intersect one with the other's range first";
    }

    /** A constant expression as text, literals folded (8 - 1 is 7). */
    static String show(Expr e) {
        Layout.Formula f = Layout.of(
                        new Spec(
                                "",
                                List.of(),
                                List.of(),
                                List.of(),
                                List.of(),
                                "",
                                null,
                                List.of(),
                                List.of(),
                                List.of(),
                                List.of(),
                                null,
                                List.of(),
                                new Origins()),
                        true)
                .constantOrNull(e);
        if (f instanceof Layout.Lit l) {
            return Integer.toString(l.value());
        }
        if (e instanceof ConstInt c) {
            return c.name();
        }
        return e.toString();
    }

    /** A bound for a message: {@link #show} for a constant or a bound name, never the IR's own text. */
    private static String describe(Expr e) {
        if (e instanceof Local l) {
            return l.name();
        }
        String s = show(e);
        return s.equals(e.toString()) ? "(a value computed there)" : s;
    }

    /** lo and hi of a set of integers typed by constant bounds (a literal's range), else null. */
    static int[] literalRange(Type t) {
        if (t instanceof SetT st
                && st.elem() instanceof RangeT r
                && r.lo() instanceof IntLit lo
                && r.hi() instanceof IntLit hi) {
            return new int[] {lo.value(), hi.value()};
        }
        return null;
    }
}
