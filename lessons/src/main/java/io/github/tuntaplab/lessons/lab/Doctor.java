package io.github.tuntaplab.lessons.lab;

import io.github.tuntaplab.tunlib.capture.LiveCapture;
import io.github.tuntaplab.tunlib.device.TunTapSupport;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** {@code tunlab doctor}: what this machine has and lacks for the lab, the tools and the inspector. */
public final class Doctor {
  private static final List<String> LIBRARY_DIRS = List.of("/usr/lib/x86_64-linux-gnu", "/usr/lib/aarch64-linux-gnu",
      "/usr/lib64", "/usr/lib", "/lib/x86_64-linux-gnu", "/lib64");

  private Doctor() {}

  /**
   * One finding.
   *
   * @param required whether the lab cannot work without it (the exit code is 3 when one fails)
   * @param fix what to install or change, empty when fine
   */
  public record Check(String name, boolean ok, boolean required, String detail, String fix) {}

  public static List<Check> run() {
    List<Check> checks = new ArrayList<>();
    Optional<String> tun = TunTapSupport.unavailabilityCause();
    checks.add(new Check("/dev/net/tun", tun.isEmpty(), true, tun.orElse("present"),
        tun.isEmpty() ? "" : "load the module: sudo modprobe tun"));
    boolean root = Privileges.canBuildLab();
    checks.add(new Check("privileges", root, false,
        root ? "CAP_NET_ADMIN and CAP_SYS_ADMIN: this process could build a lab"
            : "not root: the lab itself needs sudo, everything else runs as you",
        root ? "" : "start the lab with: sudo " + Privileges.tunlabCommand() + " lab up"));
    String libpcap;
    try {
      libpcap = LiveCapture.libraryVersion();
    } catch (IOException e) {
      libpcap = null;
    }
    checks.add(new Check("libpcap", libpcap != null, true, libpcap == null ? "cannot load libpcap" : libpcap,
        libpcap == null ? "sudo apt-get install libpcap0.8" : ""));
    checks.add(tool("ip", "iproute2", true, "the lab prints ip commands; lessons use them"));
    checks.add(tool("tcpdump", "tcpdump", true, "the inspector compares its lines with tcpdump's"));
    Optional<Path> gtk = library("libgtk-3.so.0");
    checks.add(new Check("GTK 3", gtk.isPresent(), false,
        gtk.map(p -> p.toString()).orElse("not found: the inspector window (JavaFX) cannot open"),
        gtk.isPresent() ? "" : "sudo apt-get install libgtk-3-0"));
    String display = System.getenv("WAYLAND_DISPLAY") != null ? "WAYLAND_DISPLAY=" + System.getenv("WAYLAND_DISPLAY")
        : System.getenv("DISPLAY") != null ? "DISPLAY=" + System.getenv("DISPLAY") : null;
    checks.add(new Check("display", display != null, false,
        display == null ? "no DISPLAY or WAYLAND_DISPLAY: no window can open" : display,
        display == null ? "run from a desktop session (over ssh: ssh -X), or headless under xvfb-run" : ""));
    return checks;
  }

  private static Check tool(String name, String debianPackage, boolean required, String why) {
    Optional<Path> found = onPath(name);
    return new Check(name, found.isPresent(), required, found.map(Path::toString).orElse("not found: " + why),
        found.isPresent() ? "" : "sudo apt-get install " + debianPackage);
  }

  static Optional<Path> onPath(String name) {
    String path = System.getenv().getOrDefault("PATH", "/usr/bin:/bin") + ":/usr/sbin:/sbin";
    for (String dir : path.split(":")) {
      Path candidate = Path.of(dir.isEmpty() ? "." : dir, name);
      if (Files.isExecutable(candidate)) {
        return Optional.of(candidate);
      }
    }
    return Optional.empty();
  }

  private static Optional<Path> library(String file) {
    return LIBRARY_DIRS.stream().map(dir -> Path.of(dir, file)).filter(Files::exists).findFirst();
  }
}
