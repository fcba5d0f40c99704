package io.github.tuntaplab.inspector.cli;

import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code tunlab}: the command-line face of TunTap Lab; each task is a subcommand. */
@Command(name = "tunlab", mixinStandardHelpOptions = true, versionProvider = TunlabCommand.Version.class,
    subcommands = {FieldsCommand.class, PrintCommand.class, LabCommand.class, CleanupCommand.class,
        DoctorCommand.class, LessonCommand.class, TunnelCommand.class},
    description = "TunTap Lab: TUN and TAP devices, their packets, and the lessons built on them.",
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
        "0:success",
        "1:the work failed (an unreadable or corrupt file, ...)",
        "2:usage error",
        "3:a missing privilege or prerequisite"})
public final class TunlabCommand implements Runnable {
  @Spec
  CommandSpec spec;

  public static void main(String[] args) {
    // JSON is UTF-8 whatever the locale; and unlike System.out, this writer notices a closed pipe
    // (`tunlab fields big.pcapng | head`), so a command can stop instead of writing into the void.
    PrintWriter out = StandardOutput.open();
    int exitCode = commandLine().setOut(out).execute(args);
    out.flush();
    System.exit(exitCode);
  }

  /**
   * The command line; tests run it in-process. picocli's own exit codes are ours: 2 for a usage
   * error, 1 for an exception a command did not handle; commands return 0, 1 or 3 themselves.
   */
  public static CommandLine commandLine() {
    return new CommandLine(new TunlabCommand()).setCaseInsensitiveEnumValuesAllowed(true);
  }

  @Override
  public void run() {
    throw new ParameterException(spec.commandLine(), "Missing required subcommand");
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
