package dev.ladle.checker;

import dev.ladle.tla.SourceError;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tla2sany.semantic.ModuleNode;
import tla2sany.semantic.OpDefNode;
import tlc2.tool.ConfigFileException;
import tlc2.tool.impl.ModelConfig;
import tlc2.util.Vect;

/**
 * A TLC configuration file, read with TLC's own parser and checked against its module before TLC
 * starts, so that a misspelt keyword or a name the module does not define is reported as {@code
 * file.cfg:line: message} (an input error) instead of a failed model check in TLC's Toolbox wording.
 */
final class CfgCheck {
    private static final Pattern AT_LINE = Pattern.compile("at line (\\d+)");

    /**
     * What a configuration names.
     *
     * @param file the {@code .cfg}
     * @param init the INIT operator, or empty
     * @param next the NEXT operator, or empty
     * @param spec the SPECIFICATION operator, or empty
     * @param invariants the INVARIANT(S) names
     * @param properties the PROPERTY / PROPERTIES names
     * @param constraints the CONSTRAINT(S) and ACTION_CONSTRAINT(S) names
     * @param others VIEW, SYMMETRY and the right-hand sides of {@code <-} substitutions
     */
    record Cfg(
            Path file,
            String init,
            String next,
            String spec,
            List<String> invariants,
            List<String> properties,
            List<String> constraints,
            List<String> others) {

        /** Every operator name the configuration asks the module for, with the keyword that asks. */
        List<String[]> named() {
            List<String[]> out = new ArrayList<>();
            add(out, "INIT", List.of(init));
            add(out, "NEXT", List.of(next));
            add(out, "SPECIFICATION", List.of(spec));
            add(out, "INVARIANT", invariants);
            add(out, "PROPERTY", properties);
            add(out, "CONSTRAINT", constraints);
            add(out, "VIEW, SYMMETRY or <-", others);
            return out;
        }

        private static void add(List<String[]> out, String keyword, List<String> names) {
            for (String n : names) {
                if (n != null && !n.isEmpty()) {
                    out.add(new String[] {keyword, n});
                }
            }
        }
    }

    private CfgCheck() {}

    /**
     * Reads {@code cfg} with TLC's parser.
     *
     * @throws IllegalArgumentException {@code file.cfg:line: message} when TLC's parser rejects it
     */
    static Cfg read(Path cfg) {
        ModelConfig config = new ModelConfig(cfg.toAbsolutePath().toString(), null);
        try {
            config.parse();
        } catch (ConfigFileException | tla2sany.parser.TokenMgrError e) {
            throw new IllegalArgumentException(
                    parseError(cfg, String.valueOf(e.getMessage())).toString(), e);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(cfg + ": TLC cannot read this configuration: " + e.getMessage(), e);
        }
        List<String> others = new ArrayList<>();
        if (config.getView() != null) {
            others.add(config.getView());
        }
        if (config.getSymmetry() != null) {
            others.add(config.getSymmetry());
        }
        config.getOverrides().values().forEach(others::add);
        List<String> constraints = new ArrayList<>(strings(config.getConstraints()));
        constraints.addAll(strings(config.getActionConstraints()));
        return new Cfg(
                cfg,
                nullToEmpty(config.getInit()),
                nullToEmpty(config.getNext()),
                nullToEmpty(config.getSpec()),
                strings(config.getInvariants()),
                strings(config.getProperties()),
                constraints,
                others);
    }

    /**
     * The configuration errors of {@code model}: TLC's parser's, and every operator it names that
     * {@code root} (the parsed module, with what it extends) does not define.
     */
    static List<SourceError> check(ModelRef model, ModuleNode root) {
        Cfg cfg;
        try {
            cfg = read(model.config());
        } catch (IllegalArgumentException e) {
            return List.of(parseError(
                    model.config(),
                    e.getCause() == null ? e.getMessage() : e.getCause().getMessage()));
        }
        Set<String> defined = new HashSet<>();
        for (OpDefNode d : root.getOpDefs()) {
            defined.add(d.getName().toString());
        }
        List<SourceError> errors = new ArrayList<>();
        String module = model.file().getFileName().toString();
        for (String[] named : cfg.named()) {
            String name = named[1];
            // INSTANCE'd names (LM!Spec) are resolved by TLC itself.
            if (name.contains("!") || defined.contains(name)) {
                continue;
            }
            int line = lineOf(model.config(), name);
            errors.add(new SourceError(
                    model.config(),
                    line,
                    0,
                    named[0] + " " + name + ": " + module + " (with what it extends) defines no " + name));
        }
        errors.addAll(constantErrors(model, root));
        return errors;
    }

    /**
     * Every CONSTANT of {@code root} (with what it extends) the configuration leaves without a value (TLC would
     * stop at it after starting), and every name the configuration's CONSTANT section gives a value that the
     * module neither declares nor defines (TLC ignores it: a misspelt constant).
     */
    private static List<SourceError> constantErrors(ModelRef model, ModuleNode root) {
        ModelConfig config = new ModelConfig(model.config().toAbsolutePath().toString(), null);
        try {
            config.parse();
        } catch (RuntimeException e) {
            return List.of(); // read() has reported it
        }
        Set<String> assigned = new java.util.LinkedHashSet<>();
        Vect<?> constants = config.getConstants();
        for (int i = 0; constants != null && i < constants.size(); i++) {
            if (constants.elementAt(i) instanceof Vect<?> line && line.size() > 0) {
                assigned.add(String.valueOf(line.elementAt(0)));
            }
        }
        Set<String> overridden = new HashSet<>(config.getOverrides().keySet());
        Set<String> declared = new java.util.LinkedHashSet<>();
        for (tla2sany.semantic.OpDeclNode c : root.getConstantDecls()) {
            declared.add(c.getName().toString());
        }
        Set<String> defined = new HashSet<>();
        for (OpDefNode d : root.getOpDefs()) {
            defined.add(d.getName().toString());
        }
        String module = model.file().getFileName().toString();
        List<SourceError> errors = new ArrayList<>();
        for (String c : declared) {
            if (!assigned.contains(c) && !overridden.contains(c)) {
                errors.add(new SourceError(
                        model.config(),
                        0,
                        0,
                        "CONSTANT " + c + " of " + module + " has no value: add `" + c + " = ...` (or `" + c
                                + " <- ...`) to the CONSTANT section"));
            }
        }
        for (String c : assigned) {
            if (!declared.contains(c) && !defined.contains(c)) {
                errors.add(new SourceError(
                        model.config(),
                        lineOf(model.config(), c),
                        0,
                        "CONSTANT " + c + ": " + module + " (with what it extends) declares no constant " + c
                                + closestName(c, declared)));
            }
        }
        return errors;
    }

    private static String closestName(String name, Set<String> candidates) {
        String best = null;
        int bestDistance = 3;
        for (String k : candidates) {
            int d = distance(name, k);
            if (d < bestDistance) {
                bestDistance = d;
                best = k;
            }
        }
        return best == null ? "" : " (did you mean " + best + "?)";
    }

    private static SourceError parseError(Path cfg, String tlcMessage) {
        Matcher at = AT_LINE.matcher(tlcMessage);
        int line = at.find() ? Integer.parseInt(at.group(1)) : 0;
        String word = line > 0 ? firstWord(cfg, line) : "";
        String message;
        if (word.equals("ALIAS")) {
            message = "ALIAS is not supported by the TLC this checker runs (TLC 2.18): remove it";
        } else if (!word.isEmpty() && word.matches("[A-Za-z_]+") && !isKeyword(word)) {
            String close = closestKeyword(word);
            message = "unknown keyword " + word + (close == null ? "" : " (did you mean " + close + "?)");
        } else {
            message = tlcMessage
                    .lines()
                    .map(String::strip)
                    .filter(l -> !l.isEmpty() && !l.startsWith("TLC found an error"))
                    .findFirst()
                    .orElse(tlcMessage.strip());
        }
        return new SourceError(cfg, line, 0, message);
    }

    private static boolean isKeyword(String word) {
        return Arrays.asList(ModelConfig.ALL_KEYWORDS).contains(word);
    }

    private static String closestKeyword(String word) {
        String best = null;
        int bestDistance = 3;
        for (String k : ModelConfig.ALL_KEYWORDS) {
            int d = distance(word.toUpperCase(Locale.ROOT), k);
            if (d < bestDistance) {
                bestDistance = d;
                best = k;
            }
        }
        return best;
    }

    /** Levenshtein distance, for "did you mean" (here and in the manifest's key check). */
    static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }

    private static String firstWord(Path cfg, int line) {
        List<String> lines = lines(cfg);
        if (line < 1 || line > lines.size()) {
            return "";
        }
        String[] words = lines.get(line - 1).strip().split("\\s+");
        return words.length == 0 ? "" : words[0];
    }

    /** The first line that mentions {@code name} as a word outside a comment, or 0. */
    private static int lineOf(Path cfg, String name) {
        Pattern word = Pattern.compile("(^|[^\\w])" + Pattern.quote(name) + "([^\\w]|$)");
        List<String> lines = lines(cfg);
        for (int i = 0; i < lines.size(); i++) {
            String code = lines.get(i).replaceFirst("\\\\\\*.*$", "");
            if (word.matcher(code).find()) {
                return i + 1;
            }
        }
        return 0;
    }

    private static List<String> lines(Path cfg) {
        try {
            return Files.readAllLines(cfg, StandardCharsets.UTF_8);
        } catch (IOException | java.io.UncheckedIOException e) {
            return List.of();
        }
    }

    private static List<String> strings(Vect<?> v) {
        List<String> out = new ArrayList<>();
        for (int i = 0; v != null && i < v.size(); i++) {
            out.add(String.valueOf(v.elementAt(i)));
        }
        return out;
    }

    private static String nullToEmpty(String s) {
        return s == null ? "" : s;
    }
}
