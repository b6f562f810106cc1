package dev.ladle.codegen;

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
import tla2sany.semantic.ModuleNode;
import util.SimpleFilenameToStream;
import util.ToolIO;

/** Pass 1: parse and resolve one module with SANY, turning SANY's printed and recorded errors into diagnostics. */
public final class Parse {

  /** The resolved root module, or null with the errors that prevented it. */
  public record Result(ModuleNode root, List<Diagnostic> errors) {}

  private static final Pattern AT_LINE = Pattern.compile("line (\\d+), col(?:umn)? (\\d+)(?: to line \\d+, col \\d+)? of module (\\w+)");
  private static final Pattern ENCOUNTERED = Pattern.compile("(Encountered .*?) at line (\\d+), column (\\d+)");

  private Parse() {}

  /** SANY keeps global state (ToolIO streams, the module table): callers must not parse concurrently. */
  public static synchronized Result parse(Path file) {
    String module = file.getFileName().toString().replaceFirst("\\.tla$", "");
    if (!Files.isRegularFile(file)) {
      return new Result(null, List.of(new Diagnostic(module, 0, 0, "no such spec file: " + file)));
    }
    try {
      // SANY copies the standard modules into java.io.tmpdir; a missing folder makes every EXTENDS fail.
      Files.createDirectories(Path.of(System.getProperty("java.io.tmpdir")));
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    PrintStream sink = new PrintStream(buffer, true, StandardCharsets.UTF_8);
    PrintStream oldOut = ToolIO.out;
    PrintStream oldErr = ToolIO.err;
    ToolIO.out = sink;
    ToolIO.err = sink;
    List<Diagnostic> errors = new ArrayList<>();
    try {
      Path dir = file.toAbsolutePath().getParent();
      SpecObj spec = new SpecObj(file.toAbsolutePath().toString(), new SimpleFilenameToStream(dir.toString()));
      int rc;
      try {
        rc = SANY.frontEndMain(spec, file.toAbsolutePath().toString(), sink);
      } catch (tla2sany.drivers.FrontEndException | RuntimeException e) {
        rc = -1;
        sink.println(e.getMessage());
      }
      sink.flush();
      String text = buffer.toString(StandardCharsets.UTF_8);
      if (spec.getSemanticErrors() != null && spec.getSemanticErrors().getNumErrors() > 0) {
        for (String message : spec.getSemanticErrors().getErrors()) {
          errors.add(located(message, module));
        }
      }
      if (rc != 0 || spec.getErrorLevel() > 0 || spec.getExternalModuleTable() == null
          || spec.getExternalModuleTable().getRootModule() == null) {
        Matcher m = ENCOUNTERED.matcher(text);
        while (m.find()) {
          errors.add(new Diagnostic(module, Integer.parseInt(m.group(2)), Integer.parseInt(m.group(3)),
              "syntax error: " + m.group(1)));
        }
        if (errors.isEmpty()) {
          errors.add(new Diagnostic(module, 0, 0, "SANY rejected the module: " + text.strip()));
        }
        return new Result(null, errors);
      }
      return new Result(spec.getExternalModuleTable().getRootModule(), errors);
    } finally {
      ToolIO.out = oldOut;
      ToolIO.err = oldErr;
    }
  }

  private static Diagnostic located(String message, String module) {
    Matcher m = AT_LINE.matcher(message);
    if (m.find()) {
      String rest = message.substring(m.end()).strip();
      return new Diagnostic(m.group(3), Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)),
          rest.isEmpty() ? message.strip() : rest.replaceAll("\\s+", " "));
    }
    return new Diagnostic(module, 0, 0, message.strip().replaceAll("\\s+", " "));
  }
}
