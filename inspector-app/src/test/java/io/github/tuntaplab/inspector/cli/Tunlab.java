package io.github.tuntaplab.inspector.cli;

import java.io.PrintWriter;
import java.io.StringWriter;

/**
 * Runs {@code tunlab} in-process, as {@code main} would (so {@code print}'s usual command lines take
 * the quick path, the others picocli's), and keeps what it printed.
 */
record Tunlab(int exitCode, String stdout, String stderr) {
  static Tunlab run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    PrintWriter outWriter = new PrintWriter(out);
    PrintWriter errWriter = new PrintWriter(err);
    int exitCode = TunlabCommand.execute(args, outWriter, errWriter);
    outWriter.flush();
    errWriter.flush();
    return new Tunlab(exitCode, out.toString(), err.toString());
  }
}
