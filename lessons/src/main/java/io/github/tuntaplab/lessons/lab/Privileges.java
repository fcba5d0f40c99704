package io.github.tuntaplab.lessons.lab;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalInt;

/** What this process may do, from /proc, and who asked for it through sudo. */
public final class Privileges {
  private static final int CAP_NET_ADMIN = 12;
  private static final int CAP_SYS_ADMIN = 21;

  private Privileges() {}

  /**
   * Whether the lab can be built: devices, links and routes need CAP_NET_ADMIN, and naming a
   * namespace (a bind mount under /run/netns) CAP_SYS_ADMIN.
   */
  public static boolean canBuildLab() {
    long caps = effectiveCapabilities();
    return (caps & (1L << CAP_NET_ADMIN)) != 0 && (caps & (1L << CAP_SYS_ADMIN)) != 0;
  }

  private static long effectiveCapabilities() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("CapEff:")) {
          return Long.parseUnsignedLong(line.substring(7).trim(), 16);
        }
      }
    } catch (IOException | NumberFormatException e) {
      return 0;
    }
    return 0;
  }

  /** The user who ran {@code sudo}: the lab's socket belongs to them. */
  public static OptionalInt sudoUid() {
    return number(System.getenv("SUDO_UID"));
  }

  public static OptionalInt sudoGid() {
    return number(System.getenv("SUDO_GID"));
  }

  private static OptionalInt number(String text) {
    if (text == null || !text.matches("\\d{1,9}")) {
      return OptionalInt.empty();
    }
    return OptionalInt.of(Integer.parseInt(text));
  }

  /**
   * How the user started tunlab, for the {@code sudo …} line to show: the {@code ./tunlab} script
   * says where it is ({@code TUNLAB_COMMAND}); otherwise plain {@code tunlab}.
   */
  public static String tunlabCommand() {
    String launcher = System.getenv("TUNLAB_COMMAND");
    return launcher == null || launcher.isBlank() ? "tunlab" : launcher;
  }
}
