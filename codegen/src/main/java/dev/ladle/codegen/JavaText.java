package dev.ladle.codegen;

import dev.ladle.codegen.Ir.BinOp;
import java.util.ArrayList;
import java.util.List;

/**
 * The Java text the emitters build expressions from, with the folding that keeps generated code readable:
 * negation without double negation ({@link #not}), comparisons and index arithmetic on literals folded
 * ({@link #cmp}, {@link #arith}, {@link #foldBin}), conjunctions without {@code true} operands ({@link #junction}),
 * bit tests and offsets with literal parts folded ({@link #bitTest}, {@link #sum}). Every helper is a function of
 * its text arguments.
 */
final class JavaText {

    private JavaText() {}

    /**
     * TLA+ text as it may appear in a Javadoc {@code <pre>} block: HTML-escaped, and with nothing javac would
     * read as a unicode escape ({@code \\union}) or the end of the comment.
     */
    static String javadocText(String tla) {
        return tla.replace("&", "&amp;")
                .replace("<", "&lt;")
                .replace(">", "&gt;")
                .replace("@", "&#64;")
                .replace("*/", "*&#47;")
                .replace("\\u", "&#92;u");
    }

    /** The negation of a Java boolean expression, without a double negation. */
    static String not(String c) {
        if (c.startsWith("!") && c.length() > 1) {
            String rest = c.substring(1);
            if (rest.startsWith("(") && rest.endsWith(")") && balanced(rest)) {
                return rest.substring(1, rest.length() - 1);
            }
            if (rest.matches("[A-Za-z_][A-Za-z0-9_]*")) {
                return rest;
            }
        }
        if (c.equals("true")) {
            return "false";
        }
        if (c.equals("false")) {
            return "true";
        }
        String flipped = flipComparison(c);
        if (flipped != null) {
            return flipped;
        }
        // De Morgan, operand by operand in the same order: !(i >= 0 && i < n) is (i < 0 || i >= n)
        for (String[] sep : new String[][] {{" && ", " || "}, {" || ", " && "}}) {
            List<String> parts = splitTop(c, sep[0]);
            if (parts.size() > 1 && parts.stream().noneMatch(p -> p.contains(" ? "))) {
                List<String> negated = new ArrayList<>();
                for (String part : parts) {
                    String f = flipComparison(part);
                    negated.add(f != null ? f : group(not(part)));
                }
                return "(" + String.join(sep[1], negated) + ")";
            }
        }
        if (c.matches("[A-Za-z_][A-Za-z0-9_.]*\\(.*\\)") && balanced(c.substring(c.indexOf('(')))) {
            return "!" + c; // a method call
        }
        return c.matches("[A-Za-z_][A-Za-z0-9_]*") ? "!" + c : "!" + paren(c);
    }

    /** c without the parentheses around the whole of it, if it has them. */
    private static String unwrapped(String c) {
        return c.startsWith("(") && c.endsWith(")") && balanced(c) ? c.substring(1, c.length() - 1) : c;
    }

    /** The operands of c (its outer parentheses dropped) split at sep outside any parentheses or brackets. */
    static List<String> splitTop(String c, String sep) {
        String e = unwrapped(c);
        List<String> out = new ArrayList<>();
        int depth = 0;
        int from = 0;
        for (int i = 0; i < e.length(); i++) {
            char ch = e.charAt(i);
            if (ch == '(' || ch == '[') {
                depth++;
            } else if (ch == ')' || ch == ']') {
                depth--;
            } else if (depth == 0 && e.startsWith(sep, i)) {
                out.add(e.substring(from, i));
                from = i + sep.length();
                i = from - 1;
            }
        }
        out.add(e.substring(from));
        return out;
    }

    private static final List<String[]> FLIPS = List.of(
            new String[] {" != ", " == "},
            new String[] {" == ", " != "},
            new String[] {" <= ", " > "},
            new String[] {" >= ", " < "},
            new String[] {" < ", " >= "},
            new String[] {" > ", " <= "});

    /**
     * The negation of a single comparison of ints (a != b becomes a == b), so a guard reads as the condition
     * that refuses; null when c is not one comparison at its top level.
     */
    static String flipComparison(String c) {
        String e = unwrapped(c);
        int depth = 0;
        int at = -1;
        String[] flip = null;
        for (int i = 0; i < e.length(); i++) {
            char ch = e.charAt(i);
            if (ch == '(' || ch == '[') {
                depth++;
            } else if (ch == ')' || ch == ']') {
                depth--;
            } else if (depth == 0) {
                if (e.startsWith(" && ", i)
                        || e.startsWith(" || ", i)
                        || e.startsWith(" ? ", i)
                        || e.startsWith(" & ", i)
                        || e.startsWith(" | ", i)
                        || e.startsWith(" ^ ", i)) {
                    return null;
                }
                for (String[] f : FLIPS) {
                    if (e.startsWith(f[0], i)) {
                        if (flip != null) {
                            return null;
                        }
                        flip = f;
                        at = i;
                        break;
                    }
                }
            }
        }
        if (flip == null || e.startsWith("!")) {
            return null;
        }
        return e.substring(0, at) + flip[1] + e.substring(at + flip[0].length());
    }

    // ---- constant folding on the Java text: a literal operand is known at generation time

    /** The value of a Java int literal, or null when x is not one. */
    static Integer intLit(String x) {
        if (!x.matches("-?\\d{1,10}")) {
            return null;
        }
        long v = Long.parseLong(x);
        return v < Integer.MIN_VALUE || v > Integer.MAX_VALUE ? null : (int) v;
    }

    /** x op y for a comparison op (< <= > >= == !=), folded to true or false when both sides are literals. */
    static String cmp(String x, String op, String y) {
        Integer a = intLit(x);
        Integer b = intLit(y);
        if (a != null && b != null) {
            boolean r = switch (op) {
                case "<" -> a < b;
                case "<=" -> a <= b;
                case ">" -> a > b;
                case ">=" -> a >= b;
                case "==" -> a.intValue() == b.intValue();
                case "!=" -> a.intValue() != b.intValue();
                default -> throw new IllegalArgumentException(op);
            };
            return Boolean.toString(r);
        }
        if ((x.equals("true") || x.equals("false")) && (y.equals("true") || y.equals("false"))) {
            boolean eq = x.equals(y);
            return Boolean.toString(op.equals("==") == eq);
        }
        return x + " " + op + " " + y;
    }

    /**
     * x + y or x - y on index arithmetic, folded when both are literals and the result fits (otherwise left to
     * run, as the spec's own arithmetic is checked where it is evaluated).
     */
    static String arith(String x, char op, String y) {
        Integer a = intLit(x);
        Integer b = intLit(y);
        if (b != null && b == 0) {
            return x;
        }
        if (a != null && b != null) {
            long r = op == '+' ? (long) a + b : (long) a - b;
            if (r >= Integer.MIN_VALUE && r <= Integer.MAX_VALUE) {
                return Long.toString(r);
            }
        }
        return "(" + x + " " + op + " " + y + ")";
    }

    /**
     * The conjunction (and) or disjunction of side-effect-free Java conditions, folding literal operands: true
     * drops out of a conjunction, and a false operand ends it (Java would not evaluate what follows); dually for
     * a disjunction. Unparenthesised; "true"/"false" when it folds entirely.
     */
    static String junction(List<String> parts, boolean and) {
        String unit = Boolean.toString(and);
        String zero = Boolean.toString(!and);
        List<String> kept = new ArrayList<>();
        for (String p : parts) {
            if (p.equals(unit)) {
                continue;
            }
            kept.add(p);
            if (p.equals(zero)) {
                break;
            }
        }
        if (kept.isEmpty()) {
            return unit;
        }
        if (kept.size() > 1 && kept.get(0).equals(zero)) {
            return zero;
        }
        return String.join(and ? " && " : " || ", kept);
    }

    /** The word of bit i of the bitset at off (i folded when it is a literal). */
    static String bitWord(String off, String i) {
        Integer b = intLit(i);
        if (b != null && b >= 0) {
            return b >>> 5 == 0 ? off : off + " + " + (b >>> 5);
        }
        return off + " + (" + i + " >>> 5)";
    }

    /** Whether bit i of the bitset at arr[off...] is set, as a Java condition. */
    static String bitTest(String arr, String off, String i) {
        Integer b = intLit(i);
        String word = arr + "[" + bitWord(off, i) + "]";
        if (b != null && b >= 0) {
            return (b & 31) == 0 ? "(" + word + " & 1) != 0" : "((" + word + " >>> " + (b & 31) + ") & 1) != 0";
        }
        return "((" + word + " >>> (" + i + " & 31)) & 1) != 0";
    }

    /** x op y on two literals as TLC computes it, or null when it does not fold (TLC would stop, or not literals). */
    static String foldBin(BinOp op, String x, String y) {
        Integer a = intLit(x);
        Integer b = intLit(y);
        // x + 0, x - 0, x * 1: x (both operands are still evaluated, and these cannot overflow)
        if ((op == BinOp.ADD || op == BinOp.SUB) && b != null && b == 0) {
            return x;
        }
        if ((op == BinOp.ADD && a != null && a == 0) || (op == BinOp.MUL && a != null && a == 1)) {
            return y;
        }
        if (op == BinOp.MUL && b != null && b == 1) {
            return x;
        }
        if (a == null || b == null) {
            return null;
        }
        try {
            return switch (op) {
                case ADD -> Integer.toString(Math.addExact(a, b));
                case SUB -> Integer.toString(Math.subtractExact(a, b));
                case MUL -> Integer.toString(Math.multiplyExact(a, b));
                case DIV ->
                    b == 0 || (a == Integer.MIN_VALUE && b == -1) ? null : Integer.toString(Math.floorDiv(a, b));
                case MOD -> b <= 0 ? null : Integer.toString(Math.floorMod(a, b));
                case LT -> Boolean.toString(a < b);
                case LE -> Boolean.toString(a <= b);
                case GT -> Boolean.toString(a > b);
                case GE -> Boolean.toString(a >= b);
            };
        } catch (ArithmeticException overflow) {
            return null; // left to run: the generated code raises where TLC does
        }
    }

    /** s without the parentheses around all of it, if it has them (for an if's condition). */
    static String unparen(String s) {
        return s.startsWith("(") && s.endsWith(")") && balanced(s) ? s.substring(1, s.length() - 1) : s;
    }

    /** s as one operand: parenthesised unless it is a literal or already one group. */
    static String group(String s) {
        return s.matches("true|false|!?[A-Za-z_][A-Za-z0-9_]*") ? s : paren(s);
    }

    static String paren(String s) {
        return s.startsWith("(") && s.endsWith(")") && balanced(s) ? s : "(" + s + ")";
    }

    private static boolean balanced(String s) {
        int d = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '(') {
                d++;
            } else if (c == ')') {
                d--;
                if (d == 0 && i < s.length() - 1) {
                    return false;
                }
            }
        }
        return true;
    }

    private static final java.util.regex.Pattern TRAILING_LITERAL = java.util.regex.Pattern.compile("(.*) \\+ (\\d+)");

    /**
     * off + delta for an offset (a sum of terms): a literal delta folds into a literal last term, so a field of a
     * nested record is {@code slot + 8}, not {@code slot + 7 + 1}.
     */
    static String sum(String off, String delta) {
        if (delta.equals("0")) {
            return off;
        }
        if (delta.matches("\\d+")) {
            var m = TRAILING_LITERAL.matcher(off);
            if (off.matches("\\d+")) {
                return Long.toString(Long.parseLong(off) + Long.parseLong(delta));
            }
            if (m.matches() && !m.group(1).isEmpty()) {
                long k = Long.parseLong(m.group(2)) + Long.parseLong(delta);
                if (k <= Integer.MAX_VALUE) {
                    return m.group(1) + " + " + k;
                }
            }
        }
        return off + " + " + delta;
    }

    /** a * b, without the factor when b is 1. */
    static String mul(String a, String b) {
        return b.equals("1") ? a : a + " * " + b;
    }
}
