package io.github.tuntaplab.inspector.ui;

import io.github.tuntaplab.tunlib.testsupport.Cmd;
import io.github.tuntaplab.tunlib.testsupport.Prerequisites;
import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A main class of the tests run in a JVM of its own as the user nobody (setpriv, so the test itself
 * needs root), on a copy of the class path that nobody can read (the build's is under root's home),
 * with a home directory of its own.
 */
final class AsNobody {
  static final int UID = 65534;

  private final Path home;
  private final List<String> classpath;

  private AsNobody(Path home, List<String> classpath) {
    this.home = home;
    this.classpath = classpath;
  }

  /**
   * Copies the class path into {@code dir} and opens {@code dir} to everyone (files the test puts
   * there for nobody must be readable too: put them there first); skips without root or setpriv.
   */
  static AsNobody prepare(Path dir) {
    Prerequisites.require(Cmd.ok("id", "-u").strip().equals("0"), "needs root to run the window as the user nobody");
    Prerequisites.requireTool("setpriv");
    List<String> classpath = new ArrayList<>();
    for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
      Path copy = dir.resolve("classpath").resolve(classpath.size() + "-" + Path.of(entry).getFileName());
      Cmd.ok("mkdir", "-p", copy.getParent().toString());
      Cmd.ok("cp", "-r", entry, copy.toString());
      classpath.add(copy.toString());
    }
    Path home = dir.resolve("home");
    Cmd.ok("mkdir", "-p", home.toString());
    Cmd.ok("chmod", "-R", "a+rX", dir.toString());
    Cmd.ok("chmod", "a+w", home.toString());
    return new AsNobody(home, classpath);
  }

  /** Runs {@code main} with {@code properties} ({@code name=value}, each becoming {@code -Dname=value}) and {@code args}. */
  Cmd.Result run(Class<?> main, List<String> properties, String... args) {
    String id = Integer.toString(UID);
    List<String> command = new ArrayList<>(List.of("setpriv", "--reuid=" + id, "--regid=" + id, "--clear-groups",
        "env", "HOME=" + home, Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Duser.home=" + home));
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
