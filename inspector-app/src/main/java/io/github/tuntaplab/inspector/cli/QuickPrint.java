package io.github.tuntaplab.inspector.cli;

import io.github.tuntaplab.tunlib.packet.Dissector;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code tunlab print} with the usual short command lines ({@code print -e -XX FILE [EXPRESSION]}),
 * read without picocli: its command model costs a third of a second of a short run's start, and
 * its classes (Java 5 class files) cannot go into the class-data-sharing archive. Anything else
 * (help, {@code --decode-as}, a repeated {@code -e}, a mistake) is left to picocli, which says the
 * same things it always did.
 */
final class QuickPrint {
  private QuickPrint() {}

  /**
   * Prints as {@code tunlab print} would, when {@code args} ({@code print} and its arguments) are
   * a usual command line; returns its exit code, or null to leave them to picocli.
   */
  static Integer run(String[] args, PrintWriter out, PrintWriter err) {
    int[] flags = new int[128];
    long count = -1;
    Path file = null;
    List<String> expression = new ArrayList<>();
    for (int i = 1; i < args.length; i++) {
      String arg = args[i];
      boolean option = arg.startsWith("-");
      if (arg.startsWith("@")) {
        return null; // picocli reads arguments from that file
      } else if (file != null) {
        if (option) {
          return null;
        }
        expression.add(arg);
      } else if (!option) {
        file = Path.of(arg);
      } else if (arg.equals("-c") && count == -1 && i + 1 < args.length && isCount(args[i + 1])) {
        count = Long.parseLong(args[++i]);
      } else if (!countFlags(arg, flags)) {
        return null;
      }
    }
    // picocli refuses a boolean option given twice, and -x with -X: let it say so.
    if (file == null || flags['e'] > 1 || flags['q'] > 1 || flags['x'] > 0 && flags['X'] > 0) {
      return null;
    }
    return Printing.print(file, String.join(" ", expression),
        Printing.options(flags['e'] == 1, flags['v'], flags['q'] == 1, flags['t'], flags['x'], flags['X']), count,
        Dissector.standard(), out, err);
  }

  /** Counts the letters of {@code -e}, {@code -vv}, {@code -eXX}...; false for any other option. */
  private static boolean countFlags(String arg, int[] flags) {
    if (arg.length() < 2) {
      return false;
    }
    for (int i = 1; i < arg.length(); i++) {
      if ("evqtxX".indexOf(arg.charAt(i)) < 0) {
        return false;
      }
    }
    for (int i = 1; i < arg.length(); i++) {
      flags[arg.charAt(i)]++;
    }
    return true;
  }

  private static boolean isCount(String text) {
    if (text.isEmpty() || text.length() > 18) {
      return false;
    }
    for (int i = 0; i < text.length(); i++) {
      if (text.charAt(i) < '0' || text.charAt(i) > '9') {
        return false;
      }
    }
    return true;
  }
}
