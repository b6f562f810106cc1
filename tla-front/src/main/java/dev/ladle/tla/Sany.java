package dev.ladle.tla;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tla2sany.drivers.SANY;
import tla2sany.modanalyzer.SpecObj;
import tla2sany.semantic.Errors;
import tla2sany.semantic.ModuleNode;
import util.SimpleFilenameToStream;
import util.ToolIO;

/**
 * Parses a TLA+ module and everything it extends with SANY, so that a syntax or semantic error is
 * reported as {@code file:line:column: message}: before TLC runs (exit code 2 instead of a failed
 * model check), and as the code generator's first pass, which walks the resolved module.
 */
public final class Sany {
    private static final Pattern SYNTAX_AT = Pattern.compile("at line (\\d+), column (\\d+)");
    private static final Pattern SEMANTIC_AT =
            Pattern.compile("line (\\d+), col (\\d+) to line \\d+, col \\d+ of module (\\w+)");
    private static final Pattern PARSING_FILE = Pattern.compile("Parsing file (.+)");
    private static final Pattern MODULE_NAMED = Pattern.compile("module (\\w+)");
    /** The first line of a module: four or more dashes, MODULE, its name, four or more dashes. */
    private static final Pattern HEADER = Pattern.compile("(?m)^\\s*-{4,}\\s*MODULE\\s+(\\w+)\\s*-{4,}");

    private static final Pattern MISSING_MODULE =
            Pattern.compile("Cannot find source file for module (\\w+) imported in module (\\w+)");
    private static final Pattern NAME_MISMATCH = Pattern.compile("File name '(\\w+)' does not match the name '(\\w+)'");

    private Sany() {}

    /**
     * A parse: the resolved root module when the module and what it extends are well formed, else null
     * with the errors.
     */
    public record Parsed(ModuleNode root, List<SourceError> errors) {}

    /** Parses {@code tla}; the list is empty when the module and what it extends are well formed. */
    public static List<SourceError> parse(Path tla) {
        return resolve(tla).errors();
    }

    /** Parses and resolves {@code tla}. SANY keeps global state (ToolIO, its module table): one parse at a time. */
    public static synchronized Parsed resolve(Path tla) {
        if (!Files.isRegularFile(tla)) {
            return new Parsed(null, List.of(new SourceError(tla, 0, 0, "no such spec file")));
        }
        try {
            // SANY copies the standard modules into java.io.tmpdir; a missing folder makes every EXTENDS fail.
            Files.createDirectories(Path.of(System.getProperty("java.io.tmpdir")));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        SourceError header = headerError(tla);
        if (header != null) {
            return new Parsed(null, List.of(header));
        }
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        PrintStream sink = new PrintStream(buffer, true, StandardCharsets.UTF_8);
        // SANY prints through these globals; left alone it writes into our own console output.
        PrintStream oldOut = ToolIO.out;
        PrintStream oldErr = ToolIO.err;
        ToolIO.out = sink;
        ToolIO.err = sink;
        try {
            Path dir = tla.toAbsolutePath().getParent();
            String name = tla.getFileName().toString();
            SpecObj spec = new SpecObj(tla.toString(), new SimpleFilenameToStream(dir.toString()));
            int rc;
            try {
                rc = SANY.frontEndMain(spec, tla.toString(), sink);
            } catch (tla2sany.drivers.FrontEndException | RuntimeException e) {
                // SANY reports most errors as text; an exception here still belongs to this file.
                return new Parsed(null, List.of(new SourceError(tla, 0, 0, "SANY failed: " + e.getMessage())));
            }
            String text = buffer.toString(StandardCharsets.UTF_8);
            List<SourceError> errors = new ArrayList<>();
            Errors semantic = spec.getSemanticErrors();
            if (semantic != null && semantic.getNumErrors() > 0) {
                for (String message : semantic.getErrors()) {
                    errors.add(semanticError(dir, tla, message));
                }
            }
            ModuleNode root = spec.getExternalModuleTable() == null
                    ? null
                    : spec.getExternalModuleTable().getRootModule();
            if (errors.isEmpty() && (rc != 0 || spec.getErrorLevel() != 0 || root == null)) {
                errors.add(syntaxError(dir, tla, text));
            }
            return new Parsed(errors.isEmpty() ? root : null, List.copyOf(errors));
        } finally {
            ToolIO.out = oldOut;
            ToolIO.err = oldErr;
        }
    }

    private static SourceError semanticError(Path dir, Path tla, String message) {
        Matcher m = SEMANTIC_AT.matcher(message);
        if (m.find()) {
            String rest = message.substring(m.end()).strip();
            return new SourceError(
                    moduleFile(dir, m.group(3), tla),
                    Integer.parseInt(m.group(1)),
                    Integer.parseInt(m.group(2)),
                    rest.isEmpty() ? message.strip() : oneLine(rest));
        }
        return new SourceError(tla, 0, 0, oneLine(message));
    }

    /** SANY gives the location of a syntax error only in the text it prints. */
    private static SourceError syntaxError(Path dir, Path tla, String text) {
        Path file = tla;
        Matcher parsing = PARSING_FILE.matcher(text);
        while (parsing.find()) {
            file = Path.of(parsing.group(1).strip());
        }
        int errorStart = Math.max(0, text.indexOf("***"));
        String error = text.substring(errorStart);
        Matcher module = MODULE_NAMED.matcher(error);
        if (module.find() && Files.exists(dir.resolve(module.group(1) + ".tla"))) {
            file = dir.resolve(module.group(1) + ".tla");
        }
        Matcher at = SYNTAX_AT.matcher(error);
        if (at.find()) {
            String encountered = firstLine(error, "Encountered").replaceAll(" at line \\d+, column \\d+", "");
            String expecting = firstLine(error, "Was expecting");
            String message = "syntax error: " + (encountered.isEmpty() ? "" : encountered.strip())
                    + (expecting.isEmpty()
                            ? ""
                            : (encountered.isEmpty() ? "" : "; ")
                                    + expecting
                                            .toLowerCase(java.util.Locale.ROOT)
                                            .charAt(0)
                                    + expecting.substring(1));
            return new SourceError(file, Integer.parseInt(at.group(1)), Integer.parseInt(at.group(2)), message);
        }
        // An abort (missing module, misnamed file) says "Unknown location" and then what went wrong.
        List<String> said = error.lines()
                .map(String::strip)
                .filter(l -> !l.isEmpty() && !l.startsWith("***") && !l.equals("Unknown location"))
                .filter(l -> !l.startsWith("tla2sany.") && !l.startsWith("Fatal errors"))
                .toList();
        String message = said.isEmpty() ? "SANY could not parse the module" : String.join(" ", said);
        Matcher missing = MISSING_MODULE.matcher(message);
        if (missing.find()) {
            Path importer = moduleFile(dir, missing.group(2), file);
            int[] where = find(importer, "\\b" + missing.group(1) + "\\b", true);
            return new SourceError(
                    importer,
                    where[0],
                    where[1],
                    missing.group() + " (no " + missing.group(1) + ".tla beside it, and it is not a standard module)");
        }
        Matcher mismatch = NAME_MISMATCH.matcher(message);
        if (mismatch.find()) {
            Path named = moduleFile(dir, mismatch.group(1), file);
            int[] where = find(named, "MODULE\\s+(" + mismatch.group(2) + ")", false);
            return new SourceError(
                    named, where[0], where[1], mismatch.group() + " of the top level module it contains");
        }
        return new SourceError(file, 0, 0, message);
    }

    /**
     * SANY fails without a message (a NullPointerException inside it) on a file with no module
     * header, so that is checked first.
     */
    private static SourceError headerError(Path tla) {
        String text;
        try {
            text = Files.readString(tla, StandardCharsets.UTF_8);
        } catch (java.io.IOException | java.io.UncheckedIOException e) {
            return new SourceError(tla, 0, 0, "cannot read: " + e.getMessage());
        }
        if (!HEADER.matcher(text).find()) {
            String base = tla.getFileName().toString().replaceFirst("\\.tla$", "");
            return new SourceError(
                    tla, 1, 1, "no module header: a TLA+ file starts with a line like ---- MODULE " + base + " ----");
        }
        return null;
    }

    /**
     * 1-based line and column of the first match of {@code regex} in {@code file} (of its first group
     * when {@code group} is false and the pattern has one), skipping the module header when {@code
     * afterHeader}; {@code {0, 0}} when there is none.
     */
    private static int[] find(Path file, String regex, boolean afterHeader) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (java.io.IOException | java.io.UncheckedIOException e) {
            return new int[] {0, 0};
        }
        Pattern p = Pattern.compile(regex);
        boolean pastHeader = !afterHeader;
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).replaceFirst("\\\\\\*.*$", "");
            if (!pastHeader) {
                pastHeader = HEADER.matcher(line).find();
                continue;
            }
            Matcher m = p.matcher(line);
            if (m.find()) {
                int start = m.groupCount() > 0 && !afterHeader ? m.start(1) : m.start();
                return new int[] {i + 1, start + 1};
            }
        }
        return new int[] {0, 0};
    }

    private static String firstLine(String text, String prefix) {
        return text.lines()
                .map(String::strip)
                .filter(l -> l.startsWith(prefix))
                .findFirst()
                .orElse("");
    }

    private static Path moduleFile(Path dir, String module, Path fallback) {
        Path candidate = dir.resolve(module + ".tla");
        return Files.exists(candidate) ? candidate : fallback;
    }

    private static String oneLine(String s) {
        return s.strip().replaceAll("\\s*\\n\\s*", " ");
    }
}
