package io.github.tuntaplab.inspector.cli;

import io.github.tuntaplab.lessons.lab.Doctor;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code tunlab doctor}: what this machine has and lacks, and what to install or change. */
@Command(name = "doctor", mixinStandardHelpOptions = true,
    description = {"Check /dev/net/tun, privileges, libpcap, iproute2, tcpdump, GTK and a display.",
        "Exit code 3 when something the lab needs is missing."})
final class DoctorCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    List<Doctor.Check> checks = Doctor.run();
    boolean missing = false;
    for (Doctor.Check check : checks) {
      String mark = check.ok() ? "ok  " : check.required() ? "MISSING" : "note";
      out.printf("%-7s %-13s %s%n", mark, check.name(), check.detail());
      if (!check.fix().isEmpty()) {
        out.printf("%-7s %-13s -> %s%n", "", "", check.fix());
      }
      missing |= check.required() && !check.ok();
    }
    return missing ? ExitCode.PREREQUISITE : ExitCode.OK;
  }
}
