package io.github.tuntaplab.inspector.cli;

import java.io.PrintWriter;
import java.io.StringWriter;

/** Runs {@code tunlab} in-process, as {@code main} would, and keeps what it printed. */
record Tunlab(int exitCode, String stdout, String stderr) {
  static Tunlab run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int exitCode = TunlabCommand.commandLine().setOut(new PrintWriter(out)).setErr(new PrintWriter(err)).execute(args);
    return new Tunlab(exitCode, out.toString(), err.toString());
  }
}
