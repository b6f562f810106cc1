package dev.ladle.cli;

import dev.ladle.checker.CheckOptions;
import dev.ladle.checker.CheckRun;
import dev.ladle.checker.Distributed;
import dev.ladle.checker.ExitCode;
import dev.ladle.checker.Report;
import dev.ladle.tla.SourceError;
import java.io.PrintWriter;
import java.nio.file.Path;

/** {@code ladle check --serve NAME}: TLC's distributed server for one model. */
final class Serve {
    private Serve() {}

    static int serve(Path dir, CheckOptions options, String host, int port, PrintWriter out, PrintWriter err) {
        err.println("ladle: starting TLC's server for " + String.join(" ", options.names()) + " on " + host
                + " (RMI registry port " + port + ")");
        err.flush();
        String portFlag = port == Distributed.DEFAULT_PORT ? "" : " --port " + port;
        CheckRun run = Distributed.serve(dir, options, host, port, line -> {
            if (line.contains("is ready")) {
                err.println("ladle: server ready. Attach workers from any machine that reaches " + host + ":");
                err.println("  ./ladle worker " + host + portFlag
                        + "            (add --host <worker address> when the server cannot resolve the worker)");
            } else if (line.startsWith("Registration for worker")
                    || line.startsWith("Error:")
                    || line.contains("distinct states found")) {
                err.println("server: " + line);
            }
            err.flush();
        });
        for (SourceError e : run.parseErrors()) {
            err.println("error: " + e);
        }
        if (!run.parseErrors().isEmpty()) {
            return ExitCode.USAGE;
        }
        run.results().forEach(r -> {
            String ce = Report.counterexample(r);
            if (!ce.isEmpty()) {
                out.println(ce);
            }
        });
        out.print(Report.table(run));
        return run.exitCode();
    }
}
