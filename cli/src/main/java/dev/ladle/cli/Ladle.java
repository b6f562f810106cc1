package dev.ladle.cli;

import dev.ladle.checker.ExitCode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code ladle} command: the entry point for the user's jobs (model-check the specs,
 * regenerate the code, property-test the kernel). Each job is a subcommand in its own class.
 */
@Command(
        name = "ladle",
        mixinStandardHelpOptions = true,
        versionProvider = Ladle.Version.class,
        description = "Ladle: a capability microkernel generated from model-checked TLA+ and Alloy specs.",
        subcommands = {
            HelpCommand.class,
            CheckCommand.class,
            WorkerCommand.class,
            GenerateCommand.class,
            BenchCommand.class,
            LogCommand.class,
            RunCommand.class,
            TestCommand.class,
            DemoCommand.class,
            MutateCommand.class
        })
public final class Ladle implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** {@link ExitCode#USAGE} under the name the generate and bench commands use (picocli's own for bad options). */
    public static final int EXIT_USAGE = ExitCode.USAGE;

    public static void main(String[] args) {
        privateTempFolder();
        System.exit(run(args));
    }

    /**
     * Points {@code java.io.tmpdir} at a new folder of this process's own, removed when it exits. SANY
     * copies the standard modules ({@code Naturals.tla}, ...) into that folder and parses them back, so
     * two ladle processes sharing {@code /tmp} would read each other's half-written copies. Returns the
     * folder, or null (the shared one stays in use) when it cannot be made.
     */
    static Path privateTempFolder() {
        try {
            Path shared = Path.of(System.getProperty("java.io.tmpdir"));
            Files.createDirectories(shared);
            Path own = Files.createTempDirectory(shared, "ladle-");
            System.setProperty("java.io.tmpdir", own.toString());
            Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteTree(own), "ladle-tmp-cleanup"));
            return own;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException | RuntimeException e) {
            // a folder left under the system's temporary folder is harmless; exiting must not fail for it
        }
    }

    /** Runs the command line without exiting the JVM (tests call this). */
    public static int run(String... args) {
        CommandLine cl = commandLine();
        return cl.execute(args);
    }

    /** Runs the command line with its output going to {@code out} and {@code err} (tests read them). */
    public static int run(java.io.PrintWriter out, java.io.PrintWriter err, String... args) {
        CommandLine cl = commandLine();
        cl.setOut(out);
        cl.setErr(err);
        try {
            return cl.execute(args);
        } finally {
            out.flush();
            err.flush();
        }
    }

    static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new Ladle());
        cl.setExecutionExceptionHandler(Ladle::ioFailure);
        cl.setParameterExceptionHandler(Ladle::badArguments);
        versionEverywhere(cl);
        return cl;
    }

    /** Every command's {@code -V} prints ladle's version (a subcommand has none of its own: it printed nothing). */
    private static void versionEverywhere(CommandLine cl) {
        for (CommandLine sub : cl.getSubcommands().values()) {
            if (sub.getCommandSpec().version().length == 0) {
                sub.getCommandSpec().versionProvider(new Version());
            }
            versionEverywhere(sub);
        }
    }

    /**
     * A bad option or argument: the command, picocli's message (and its suggestions, when it has some), the
     * command's synopsis and where the options are explained; exit 2. The whole help (40 lines for {@code check})
     * would push the one line that says what was wrong off the screen.
     */
    private static int badArguments(CommandLine.ParameterException e, String[] args) {
        CommandLine cmd = e.getCommandLine();
        java.io.PrintWriter err = cmd.getErr();
        String name = cmd.getCommandSpec().qualifiedName();
        err.println(name + ": " + e.getMessage());
        CommandLine.UnmatchedArgumentException.printSuggestions(e, err);
        CommandLine.Help help = cmd.getHelp();
        err.print(help.synopsisHeading() + help.synopsis(help.synopsisHeadingLength()));
        err.println("'" + name + " --help' explains every option.");
        err.flush();
        return cmd.getCommandSpec().exitCodeOnInvalidInput();
    }

    /**
     * A file a command could not read or write ends it with one line naming the command, the file and the
     * problem, and {@link ExitCode#IO} (3), never a stack trace; any other exception is a bug and is rethrown.
     */
    private static int ioFailure(Exception e, CommandLine cmd, CommandLine.ParseResult parsed) throws Exception {
        IOException io =
                e instanceof IOException x ? x : e instanceof java.io.UncheckedIOException u ? u.getCause() : null;
        if (io == null) {
            throw e;
        }
        cmd.getErr().println(cmd.getCommandSpec().qualifiedName() + ": " + describe(io));
        cmd.getErr().flush();
        return ExitCode.IO;
    }

    /** An I/O failure in words: the file and why ({@code NoSuchFileException} alone says only the file). */
    static String describe(IOException e) {
        if (e instanceof java.nio.file.FileSystemException f && f.getFile() != null) {
            String why = e instanceof java.nio.file.NoSuchFileException
                    ? "no such file or folder"
                    : e instanceof java.nio.file.AccessDeniedException
                            ? "permission denied"
                            : f.getReason() != null
                                    ? f.getReason()
                                    : e.getClass().getSimpleName();
            return f.getFile() + (f.getOtherFile() != null ? " -> " + f.getOtherFile() : "") + ": " + why;
        }
        return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
    }

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Ladle.class.getPackage().getImplementationVersion();
            return new String[] {"ladle " + (v == null ? "development build" : v)};
        }
    }
}
