package io.github.tuntaplab.lessons.lab;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
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

  /** Whether this process may create TUN/TAP devices and change its namespace's links and routes. */
  public static boolean hasNetAdmin() {
    return (effectiveCapabilities() & (1L << CAP_NET_ADMIN)) != 0;
  }

  /** The effective capability set, as /proc/self/status's {@code CapEff} shows it (hex). */
  public static long effectiveCapabilities() {
    return Long.parseUnsignedLong(status("CapEff:").orElse("0"), 16);
  }

  /** The effective uid, -1 when /proc cannot tell. */
  public static long effectiveUid() {
    return status("Uid:").map(ids -> Long.parseLong(ids.split("\\s+")[1])).orElse(-1L);
  }

  private static Optional<String> status(String key) {
    try {
      return Files.readAllLines(Path.of("/proc/self/status")).stream().filter(line -> line.startsWith(key))
          .map(line -> line.substring(key.length()).strip()).findFirst();
    } catch (IOException e) {
      return Optional.empty();
    }
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
