package io.github.tuntaplab.inspector.cli;

import io.github.tuntaplab.inspector.ui.InspectorApp;
import io.github.tuntaplab.lessons.lesson.Language;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code tunlab}: the command-line face of TunTap Lab; each task is a subcommand. */
@Command(name = "tunlab", mixinStandardHelpOptions = true, versionProvider = TunlabCommand.Version.class,
    subcommands = {FieldsCommand.class, PrintCommand.class, LabCommand.class, CleanupCommand.class,
        DoctorCommand.class, LessonCommand.class, TunnelCommand.class},
    description = {"TunTap Lab: TUN and TAP devices, their packets, and the lessons built on them.",
        "Without a subcommand, opens the inspector window: on FILE, or live on the running lab, or else on",
        "lesson 1 replayed from the bundled sample captures; --lang zh shows the window in Chinese."},
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
        "0:success",
        "1:the work failed (an unreadable or corrupt file, ...)",
        "2:usage error",
        "3:a missing privilege or prerequisite"})
public final class TunlabCommand implements Callable<Integer> {
  @Parameters(index = "0", arity = "0..1", paramLabel = "FILE", description = "a pcap or pcapng file to inspect")
  Path file;

  /** The window's language at start (it can switch); the lesson subcommands take their own. */
  @Option(names = "--lang", paramLabel = "en|zh", defaultValue = "en", converter = LessonCommand.LanguageConverter.class,
      description = "the window's language at start: en (English, the default) or zh (简体中文); "
          + "for a lesson subcommand put --lang after it (tunlab lesson list --lang zh)")
  Language language;

  public static void main(String[] args) {
    // JSON is UTF-8 whatever the locale; and unlike System.out, this writer notices a closed pipe
    // (`tunlab fields big.pcapng | head`), so a command can stop instead of writing into the void.
    PrintWriter out = StandardOutput.open();
    // Messages too: a Chinese lesson's notes must not turn into '?' under a C locale.
    PrintWriter err = new PrintWriter(new java.io.OutputStreamWriter(System.err, java.nio.charset.StandardCharsets.UTF_8),
        true);
    int exitCode = execute(args, out, err);
    out.flush();
    System.exit(exitCode);
  }

  /**
   * Runs a command line as {@code main} does, the usual {@code print} ones on {@link QuickPrint}'s
   * path and everything else through picocli; tests run it in-process.
   */
  static int execute(String[] args, PrintWriter out, PrintWriter err) {
    Integer quick = args.length > 0 && args[0].equals("print") ? QuickPrint.run(args, out, err) : null;
    return quick != null ? quick : commandLine().setOut(out).setErr(err).execute(args);
  }

  /**
   * The command line; tests run it in-process. picocli's own exit codes are ours: 2 for a usage
   * error, 1 for an exception a command did not handle; commands return 0, 1 or 3 themselves.
   */
  public static CommandLine commandLine() {
    CommandLine line = new CommandLine(new TunlabCommand()).setCaseInsensitiveEnumValuesAllowed(true);
    // picocli would run `tunlab --lang zh lesson list` in English, the option being the window's: refuse it.
    line.setExecutionStrategy(parsed -> {
      if (parsed.hasSubcommand() && parsed.hasMatchedOption("--lang")) {
        throw new CommandLine.ParameterException(line, "--lang before a subcommand sets only the window's language;"
            + " put it after the subcommand: tunlab lesson list --lang zh");
      }
      return new CommandLine.RunLast().execute(parsed);
    });
    return line;
  }

  @Spec
  CommandSpec spec;

  /** No subcommand: the inspector window, until it is closed. */
  @Override
  public Integer call() {
    PrintWriter err = spec.commandLine().getErr();
    if (System.getenv("DISPLAY") == null && System.getenv("WAYLAND_DISPLAY") == null) {
      err.println("tunlab: no display to open the inspector window on (DISPLAY and WAYLAND_DISPLAY are unset);"
          + " run it in a desktop session, with ssh -X, or under xvfb-run. The subcommands need none: tunlab --help");
      return ExitCode.PREREQUISITE;
    }
    try {
      InspectorApp.launch(file, language);
      return ExitCode.OK;
    } catch (RuntimeException e) {
      // JavaFX reports a missing GTK or an unusable display as a bare runtime exception.
      err.println("tunlab: cannot open the inspector window: " + e.getMessage()
          + " (it needs GTK 3: sudo apt-get install libgtk-3-0)");
      return ExitCode.PREREQUISITE;
    }
  }

  /** The version from the jar's manifest, which the build writes. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String version = TunlabCommand.class.getPackage().getImplementationVersion();
      return new String[] {"tunlab " + (version == null ? "(development build)" : version)};
    }
  }
}
