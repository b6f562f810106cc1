package dev.ladle.codegen;

import dev.ladle.codegen.Ir.*;
import java.util.Map;
import tla2sany.semantic.OpApplNode;

/** Integer arithmetic and comparisons: + - * \div % (and unary -), < <= > >=. */
final class LowerIntegers {

    private final Exprs x;

    LowerIntegers(Exprs x) {
        this.x = x;
    }

    void register(Map<String, Exprs.Construct> table) {
        binary(table, "+", BinOp.ADD);
        binary(table, "-", BinOp.SUB);
        binary(table, "*", BinOp.MUL);
        binary(table, "\\div", BinOp.DIV);
        binary(table, "%", BinOp.MOD);
        binary(table, "<", BinOp.LT);
        binary(table, "\\leq", BinOp.LE);
        binary(table, ">", BinOp.GT);
        binary(table, "\\geq", BinOp.GE);
        table.put("-.", this::negate);
    }

    private void binary(Map<String, Exprs.Construct> table, String op, BinOp bin) {
        table.put(op, (a, env, expected) -> arith(bin, a, env));
    }

    private Expr arith(BinOp op, OpApplNode a, Env env) {
        Expr p = x.lower(a.getArgs()[0], env, new IntT());
        Expr q = x.lower(a.getArgs()[1], env, new IntT());
        return p == null || q == null ? null : new Bin(op, p, q);
    }

    private Expr negate(OpApplNode a, Env env, Type expected) {
        Expr p = x.lower(a.getArgs()[0], env, new IntT());
        return p == null ? null : new Neg(p);
    }
}
