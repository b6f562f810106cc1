package dev.ladle.cli;

import dev.ladle.kernel.Kernel;
import dev.ladle.kernel.Summary;
import dev.ladle.kernel.SystemImages;
import dev.ladle.kernel.boot.BootDescription;
import dev.ladle.kernel.boot.BootError;
import dev.ladle.kernel.boot.BootParser;
import dev.ladle.x86.UnicornMissingException;
import dev.ladle.x86.X86Platform;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code ladle run}: boots a system on the IA-32 target (user programs on Unicorn, every trap into the kernel,
 * every state change through the generated machine), runs it under the seeded scheduler and prints the summary.
 */
@Command(
        name = "run",
        mixinStandardHelpOptions = true,
        description = {
            "Boots a system on the x86 target and prints a summary: system calls by kind and result, messages,"
                    + " faults, refusals, instructions, and the authority graph. Without --boot: the default system.",
            "",
            "Exit codes: 0 ran; 1 an invariant or the page tables broke; 2 bad boot description, image or option;"
                    + " 3 the x86 CPU (libunicorn2) is not installed, or the --graph file cannot be written."
        })
public final class RunCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--boot", paramLabel = "FILE", description = "Boot description (default: the default system).")
    Path boot;

    @Option(
            names = "--seed",
            paramLabel = "N",
            defaultValue = "1",
            description = "Scheduler seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(
            names = "--steps",
            paramLabel = "N",
            defaultValue = "200000",
            description = "At most this many scheduler steps (default: ${DEFAULT-VALUE}).")
    long steps;

    @Option(
            names = "--quantum",
            paramLabel = "N",
            defaultValue = "5000",
            description = "Longest slice in instructions (default: ${DEFAULT-VALUE}).")
    int quantum;

    @Option(
            names = "--check-invariants",
            description = "After every step, check every generated invariant and that the page tables decode to the"
                    + " machine's page map.")
    boolean checkInvariants;

    @Option(
            names = "--graph",
            paramLabel = "FILE.svg",
            description = "Write the authority graph: FILE.svg drawn by Graphviz's dot, FILE.dot the DOT text.")
    Path graph;

    @Override
    public Integer call() throws IOException, InterruptedException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (steps < 1 || quantum < 1) {
            err.println("ladle run: " + (steps < 1 ? "--steps" : "--quantum") + " takes a number of 1 or more, not "
                    + (steps < 1 ? steps : quantum));
            return Ladle.EXIT_USAGE;
        }
        if (graph != null
                && !graph.toString().endsWith(".svg")
                && !graph.toString().endsWith(".dot")) {
            err.println("ladle run: --graph " + graph + ": give a FILE.svg (drawn by Graphviz) or a FILE.dot (the DOT"
                    + " text)");
            return Ladle.EXIT_USAGE;
        }
        if (graph != null) {
            // checked before the run, with one message whatever the extension (dot's own error said it another way)
            Path folder = graph.toAbsolutePath().getParent();
            if (folder != null && !Files.isDirectory(folder)) {
                err.println("ladle run: --graph " + graph + ": cannot be written: " + folder
                        + (Files.exists(folder) ? " is not a folder" : " does not exist"));
                return dev.ladle.checker.ExitCode.IO;
            }
        }
        BootDescription description;
        try {
            String text;
            String name;
            if (boot == null) {
                text = SystemImages.defaultBoot();
                name = SystemImages.DEFAULT_BOOT;
            } else {
                if (!Files.isRegularFile(boot)) {
                    err.println("ladle run: " + boot
                            + (Files.isDirectory(boot) ? " is a folder, not a boot description" : ": no such file"));
                    return Ladle.EXIT_USAGE;
                }
                text = readText(boot);
                name = boot.toString();
            }
            description = BootParser.parse(name, text);
        } catch (BootError e) {
            err.println("ladle run: " + e.getMessage());
            return Ladle.EXIT_USAGE;
        }
        Path dir = boot == null ? null : boot.toAbsolutePath().getParent();
        Kernel.Options options = new Kernel.Options(seed, quantum, checkInvariants, false);
        try (X86Platform platform = new X86Platform()) {
            Kernel kernel = Kernel.boot(platform, description, SystemImages.images(dir), options);
            kernel.run(steps);
            Summary.print(kernel, out);
            if (graph != null) {
                return writeGraph(Summary.dot(kernel), err);
            }
            return 0;
        } catch (BootError e) {
            err.println("ladle run: " + e.getMessage());
            return Ladle.EXIT_USAGE;
        } catch (UnicornMissingException e) {
            err.println("ladle run: " + e.getMessage());
            return 3;
        } catch (Kernel.InvariantViolation e) {
            err.println("ladle run: " + e.getMessage());
            return 1;
        }
    }

    /**
     * The boot description's text; a byte that is not UTF-8 is a {@link BootError} at its line and column (counted
     * in bytes), not an I/O failure.
     */
    static String readText(Path file) throws IOException, BootError {
        byte[] bytes = Files.readAllBytes(file);
        java.nio.ByteBuffer in = java.nio.ByteBuffer.wrap(bytes);
        java.nio.CharBuffer chars = java.nio.CharBuffer.allocate(bytes.length);
        java.nio.charset.CoderResult r = java.nio.charset.StandardCharsets.UTF_8
                .newDecoder()
                .onMalformedInput(java.nio.charset.CodingErrorAction.REPORT)
                .onUnmappableCharacter(java.nio.charset.CodingErrorAction.REPORT)
                .decode(in, chars, true);
        if (r.isError()) {
            int at = in.position();
            int line = 1;
            int lineStart = 0;
            for (int i = 0; i < at; i++) {
                if (bytes[i] == '\n') {
                    line++;
                    lineStart = i + 1;
                }
            }
            throw new BootError(
                    file.toString(),
                    line,
                    at - lineStart + 1,
                    String.format(
                            "byte 0x%02x is not UTF-8 text: a boot description is a text file", bytes[at] & 0xff));
        }
        return chars.flip().toString();
    }

    private int writeGraph(String dot, PrintWriter err) throws IOException, InterruptedException {
        Path target = graph.toAbsolutePath();
        if (!target.toString().endsWith(".svg")) {
            Files.writeString(target, dot);
            return 0;
        }
        Process p;
        try {
            p = new ProcessBuilder("dot", "-Tsvg", "-o", target.toString())
                    .redirectErrorStream(true)
                    .start();
        } catch (IOException e) {
            Path dotFile = Path.of(target.toString().replaceFirst("\\.svg$", ".dot"));
            Files.writeString(dotFile, dot);
            err.println("ladle run: Graphviz's dot is not installed (apt-get install -y graphviz); wrote " + dotFile);
            return 0;
        }
        try (var in = p.getOutputStream()) {
            in.write(dot.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
        String msg = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            err.println("ladle run: dot failed: " + msg.trim());
            return dev.ladle.checker.ExitCode.IO;
        }
        return 0;
    }
}
