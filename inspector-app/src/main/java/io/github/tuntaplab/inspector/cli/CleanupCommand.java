package io.github.tuntaplab.inspector.cli;

import io.github.tuntaplab.lessons.lab.Cleanup;
import io.github.tuntaplab.lessons.lab.LabConflictException;
import io.github.tuntaplab.lessons.lab.Privileges;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code tunlab cleanup}: removes what a crashed lab left behind; safe at any time. */
@Command(name = "cleanup", mixinStandardHelpOptions = true,
    description = {"Remove every tl- namespace and root-namespace tl- link, and a stale lab lock, after a crash.",
        "Touches nothing while a lab runs. Needs root."})
final class CleanupCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    if (!Privileges.canBuildLab()) {
      err.println("tunlab: cleanup removes namespaces and links, which needs root; run:\n  sudo "
          + Privileges.tunlabCommand() + " cleanup");
      return ExitCode.PREREQUISITE;
    }
    try {
      Cleanup.Report report = Cleanup.run(LabCommand.settings());
      report.removed().forEach(out::println);
      report.leftAlone().forEach(line -> out.println("# left alone: " + line));
      out.println(report.removed().isEmpty() ? "tunlab: nothing to clean up" : "tunlab: cleaned up");
      return ExitCode.OK;
    } catch (LabConflictException e) {
      err.println("tunlab: " + e.getMessage());
      return ExitCode.FAILED;
    } catch (IOException e) {
      err.println("tunlab: cleanup failed: " + e.getMessage());
      return ExitCode.FAILED;
    }
  }
}
