package dev.ladle.cli;

import dev.ladle.checker.ExitCode;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code ladle help [COMMAND...]}: the usage help of a command at any depth ({@code ladle help log inspect}), where
 * picocli's own help command stops at the first level.
 */
@Command(
        name = "help",
        helpCommand = true,
        description = "Show the usage help of a command: 'ladle help check', 'ladle help log inspect'.")
public final class HelpCommand implements Callable<Integer>, CommandLine.IHelpCommandInitializable2 {
    @Parameters(paramLabel = "COMMAND", arity = "0..*", description = "The command, with its subcommands.")
    List<String> names = List.of();

    private CommandLine self;
    private CommandLine.Help.ColorScheme colors;
    private PrintWriter out;
    private PrintWriter err;

    @Override
    public void init(
            CommandLine helpCommandLine, CommandLine.Help.ColorScheme colorScheme, PrintWriter out, PrintWriter err) {
        this.self = helpCommandLine;
        this.colors = colorScheme;
        this.out = out;
        this.err = err;
    }

    @Override
    public Integer call() {
        CommandLine at = self.getParent();
        StringBuilder path = new StringBuilder(at.getCommandName());
        for (String name : names) {
            CommandLine sub = at.getSubcommands().get(name);
            if (sub == null) {
                err.println("ladle help: '" + path + "' has no command '" + name + "'"
                        + (at.getSubcommands().isEmpty()
                                ? ""
                                : " (its commands: "
                                        + String.join(", ", at.getSubcommands().keySet()) + ")"));
                err.flush();
                return ExitCode.USAGE;
            }
            at = sub;
            path.append(' ').append(name);
        }
        at.usage(out, colors);
        out.flush();
        return ExitCode.OK;
    }
}
