package dev.ladle.codegen;

import dev.ladle.codegen.Ir.ConstKind;
import dev.ladle.codegen.Ir.Constant;
import dev.ladle.codegen.Ir.EnumT;
import dev.ladle.codegen.Ir.Expr;
import dev.ladle.codegen.Ir.Type;
import dev.ladle.codegen.Ir.Variable;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What type inference ({@link Types}) found: each constant's kind, the string enums, the sequence bounds, the
 * types of the data constants and of the variables. Filled by {@link Types} step by step (each step lowers
 * expressions with what the steps before it found), read-only afterwards.
 */
final class Typing {
    final Map<String, ConstKind> constKinds = new LinkedHashMap<>();
    final Map<String, Type> dataTypes = new LinkedHashMap<>();
    final Map<String, EnumT> enumOf = new HashMap<>();
    final List<EnumT> enums = new ArrayList<>();
    /** Keyed by {@link Nodes#seqKey}: a variable and the depth of the sequence inside it. */
    final Map<String, Expr> seqBounds = new HashMap<>();

    final Map<String, Type> varTypes = new LinkedHashMap<>();
    final List<Constant> constants = new ArrayList<>();
    final List<Variable> data = new ArrayList<>();
    final List<Variable> variables = new ArrayList<>();
}
