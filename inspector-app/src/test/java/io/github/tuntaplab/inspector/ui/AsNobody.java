package io.github.tuntaplab.inspector.ui;

import io.github.tuntaplab.tunlib.testsupport.Cmd;
import io.github.tuntaplab.tunlib.testsupport.Prerequisites;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A main class of the tests run in a JVM of its own as the user nobody (setpriv, so the test itself
 * needs root), on a copy, readable by nobody, of the class path (the original is under root's home),
 * with a home directory of its own and nothing of root's environment.
 */
final class AsNobody {
  static final int UID = 65534;

  /** The class path's copy, made once per JVM for every test class that runs as nobody. */
  private static List<String> classpath;

  private final Path home;

  private AsNobody(Path home) {
    this.home = home;
  }

  /**
   * Opens {@code dir} (a {@code @TempDir}: its parent is reachable) and everything in it to
   * everyone, so put what nobody must read there first, and makes nobody's home in it; skips
   * without root or setpriv.
   */
  static AsNobody prepare(Path dir) {
    Prerequisites.require(Cmd.ok("id", "-u").strip().equals("0"), "needs root to run the window as the user nobody");
    Prerequisites.requireTool("setpriv");
    copyClasspath();
    Path home = dir.resolve("home");
    Cmd.ok("mkdir", "-p", home.toString());
    Cmd.ok("chmod", "-R", "a+rX", dir.toString());
    Cmd.ok("chmod", "a+w", home.toString());
    return new AsNobody(home);
  }

  private static synchronized void copyClasspath() {
    if (classpath != null) {
      return;
    }
    Path copies;
    try {
      copies = Files.createTempDirectory("tl-nobody-classpath");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Runtime.getRuntime().addShutdownHook(new Thread(() -> Cmd.run("rm", "-rf", copies.toString())));
    List<String> entries = new ArrayList<>();
    for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
      Path copy = copies.resolve(entries.size() + "-" + Path.of(entry).getFileName());
      Cmd.ok("cp", "-r", entry, copy.toString());
      entries.add(copy.toString());
    }
    Cmd.ok("chmod", "-R", "a+rX", copies.toString());
    classpath = List.copyOf(entries);
  }

  /**
   * Runs {@code main} with {@code properties} ({@code name=value}, each becoming {@code -Dname=value}) and {@code args},
   * in an environment of its own: root's (its XDG_RUNTIME_DIR, TMPDIR, JAVA_TOOL_OPTIONS, ...) is not
   * nobody's, and a UTF-8 locale whatever the test's (CI sets none), so its Chinese output survives.
   */
  Cmd.Result run(Class<?> main, List<String> properties, String... args) {
    String id = Integer.toString(UID);
    List<String> command = new ArrayList<>(List.of("setpriv", "--reuid=" + id, "--regid=" + id, "--clear-groups",
        "env", "-i", "PATH=/usr/bin:/bin", "HOME=" + home, "LC_ALL=C.UTF-8", "TZ=UTC",
        Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Duser.home=" + home));
    properties.forEach(property -> command.add("-D" + property));
    command.addAll(List.of("-cp", String.join(File.pathSeparator, classpath), main.getName()));
    command.addAll(List.of(args));
    Cmd.Result run = Cmd.run(120, command.toArray(String[]::new));
    if (run.exitCode() != 0) {
      throw new AssertionError(main.getSimpleName() + " as nobody ended with " + run.exitCode() + ":\n" + run.stdout()
          + run.stderr());
    }
    return run;
  }
}
