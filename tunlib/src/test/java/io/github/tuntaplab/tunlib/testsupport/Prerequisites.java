package io.github.tuntaplab.tunlib.testsupport;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;

/**
 * What a test needs from the machine. A missing prerequisite skips the test with a reason a reader
 * can act on; under {@code CI=true} it fails instead, because CI runs as root with every tool
 * installed and a skip there would hide a test that never ran.
 */
public final class Prerequisites {
  private static final int CAP_NET_ADMIN = 12;

  private Prerequisites() {}

  public static boolean inCi() {
    return "true".equalsIgnoreCase(System.getenv("CI"));
  }

  /** Skips (or, in CI, fails) with {@code reason} unless {@code met}. */
  public static void require(boolean met, String reason) {
    if (met) {
      return;
    }
    if (inCi()) {
      fail("CI=true, so a skip is a failure: " + reason);
    }
    Assumptions.abort(reason);
  }

  public static void requireNetAdmin() {
    require(hasNetAdmin(), "needs CAP_NET_ADMIN (run the tests as root) to create devices and namespaces");
  }

  public static void requireTool(String name) {
    require(findTool(name).isPresent(),
        name + " is not installed (Debian: apt-get install " + debianPackageOf(name) + ")");
  }

  /** The read-only shared folder beside the clone; a user's clone has none. */
  public static Path requireShared(String relative) {
    Path path = sharedDir().resolve(relative);
    require(Files.exists(path), path + " is absent: it exists beside the project's own clone only");
    return path;
  }

  /** tcpdump's test captures (its .pcap and .pcapng files) in the shared corpus, sorted by name. */
  public static List<Path> corpusCaptures() throws IOException {
    try (Stream<Path> list = Files.list(requireShared("corpus/tcpdump-tests"))) {
      return list.filter(f -> f.toString().endsWith(".pcap") || f.toString().endsWith(".pcapng")).sorted().toList();
    }
  }

  /** The clone's top directory (where the {@code tunlab} launcher is), found upwards from the working directory. */
  public static Path repositoryRoot() {
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      if (Files.exists(dir.resolve("tunlab")) && Files.exists(dir.resolve("pom.xml"))) {
        return dir;
      }
    }
    throw new AssertionError("no tunlab launcher above " + Path.of("").toAbsolutePath());
  }

  public static Path sharedDir() {
    String configured = System.getProperty("tuntaplab.shared");
    if (configured != null) {
      return Path.of(configured);
    }
    // Walk up from the module directory to the folder that holds the clone, where shared/ lies.
    Path dir = Path.of("").toAbsolutePath();
    for (Path p = dir; p != null; p = p.getParent()) {
      Path candidate = p.resolveSibling("shared");
      if (Files.isDirectory(candidate.resolve("corpus"))) {
        return candidate;
      }
    }
    return dir.resolve("../../shared").normalize();
  }

  public static boolean hasNetAdmin() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("CapEff:")) {
          long caps = Long.parseUnsignedLong(line.substring(7).trim(), 16);
          return (caps & (1L << CAP_NET_ADMIN)) != 0;
        }
      }
    } catch (IOException | NumberFormatException e) {
      return false;
    }
    return false;
  }

  public static Optional<Path> findTool(String name) {
    String path = System.getenv().getOrDefault("PATH", "/usr/bin:/bin");
    for (String dir : (path + ":/usr/sbin:/sbin").split(":")) {
      Path candidate = Path.of(dir, name);
      if (Files.isExecutable(candidate)) {
        return Optional.of(candidate);
      }
    }
    return Optional.empty();
  }

  private static String debianPackageOf(String tool) {
    switch (tool) {
      case "ip":
        return "iproute2";
      case "ping":
        return "iputils-ping";
      case "setpriv":
        return "util-linux";
      default:
        return tool;
    }
  }
}
