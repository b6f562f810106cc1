package dev.ladle.codegen;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Names for guards and their constants, from the spec's own names or from a short guard's text. */
final class GuardNames {

    private GuardNames() {}

    private static final Map<String, String> OPERATOR_WORDS = Map.ofEntries(
            Map.entry("~", "NOT"),
            Map.entry("\\lnot", "NOT"),
            Map.entry("\\neg", "NOT"),
            Map.entry("=", "EQ"),
            Map.entry("/=", "NE"),
            Map.entry("#", "NE"),
            Map.entry("<", "LT"),
            Map.entry("<=", "LE"),
            Map.entry("=<", "LE"),
            Map.entry("\\leq", "LE"),
            Map.entry(">", "GT"),
            Map.entry(">=", "GE"),
            Map.entry("\\geq", "GE"),
            Map.entry("\\in", "IN"),
            Map.entry("\\notin", "NOT_IN"),
            Map.entry("\\subseteq", "SUBSET_OF"),
            Map.entry("+", "PLUS"),
            Map.entry("-", "MINUS"),
            Map.entry("*", "TIMES"),
            Map.entry("\\div", "DIV"),
            Map.entry("%", "MOD"),
            Map.entry("\\cup", "UNION"),
            Map.entry("\\union", "UNION"),
            Map.entry("\\cap", "INTER"),
            Map.entry("\\intersect", "INTER"),
            Map.entry("/\\", "AND"),
            Map.entry("\\land", "AND"),
            Map.entry("\\/", "OR"),
            Map.entry("\\lor", "OR"),
            Map.entry("=>", "IMPLIES"),
            Map.entry("{}", "EMPTY"),
            Map.entry("<<>>", "EMPTY"));

    private static final Pattern TOKEN = Pattern.compile(
            "\\s*(\"[^\"]*\"|[A-Za-z_][A-Za-z0-9_]*|\\d+|\\\\[a-z]+|<<>>|\\{\\}|/\\\\|\\\\/|/=|<=|=<|>=|=>"
                    + "|[~=#<>+*%\\-]|[()\\[\\].,{}]|<<|>>)");

    /**
     * An upper-snake name for a short guard from its text ({@code ~Busy} is NOT_BUSY, {@code k <= n} K_LE_N), or
     * null when the text is long or has what no word stands for (quantifiers, EXCEPT, comments).
     */
    static String nameFromText(String text) {
        if (text.isEmpty() || text.contains("\n") || text.length() > 40) {
            return null;
        }
        List<String> words = new ArrayList<>();
        Matcher m = TOKEN.matcher(text);
        int at = 0;
        while (at < text.length()) {
            if (!m.find(at) || m.start() != at) {
                return text.substring(at).isBlank() ? join(words) : null;
            }
            String t = m.group(1);
            at = m.end();
            if (t.startsWith("\"")) {
                words.add(upperSnake(t.substring(1, t.length() - 1)));
            } else if (Character.isLetterOrDigit(t.charAt(0)) || t.charAt(0) == '_') {
                words.add(upperSnake(t));
            } else if (OPERATOR_WORDS.containsKey(t)) {
                words.add(OPERATOR_WORDS.get(t));
            } else if (!"()[].,{}<<>>".contains(t)) {
                return null; // \\A, \\E, \\o and the like: no short name
            }
        }
        return join(words);
    }

    private static String join(List<String> words) {
        if (words.isEmpty() || words.size() > 7) {
            return null;
        }
        String n = String.join("_", words).replaceAll("_+", "_").replaceAll("^_|_$", "");
        return n.isEmpty() || n.length() > 48 ? null : n;
    }

    static String upperSnake(String s) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isUpperCase(c)
                    && i > 0
                    && (Character.isLowerCase(s.charAt(i - 1))
                            || (i + 1 < s.length()
                                    && Character.isLowerCase(s.charAt(i + 1))
                                    && Character.isUpperCase(s.charAt(i - 1))))) {
                sb.append('_');
            }
            sb.append(Character.isLetterOrDigit(c) ? Character.toUpperCase(c) : '_');
        }
        return sb.toString();
    }
}
