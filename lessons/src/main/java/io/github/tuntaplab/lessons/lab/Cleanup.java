package io.github.tuntaplab.lessons.lab;

import io.github.tuntaplab.tunlib.net.Link;
import io.github.tuntaplab.tunlib.net.LinkChange;
import io.github.tuntaplab.tunlib.net.NamespaceChange;
import io.github.tuntaplab.tunlib.net.NetworkConfig;
import io.github.tuntaplab.tunlib.net.NetworkNamespace;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code tunlab cleanup}: removes what a crashed lab left: every namespace and every root-namespace
 * link under the lab's prefix ({@code tl-}), processes still inside those namespaces, and a stale
 * lock and socket. Safe to run at any time: while a lab runs it touches nothing and says so, and
 * it leaves alone the namespaces of test runs that are still alive ({@code tl-t<pid>-<n>}).
 */
public final class Cleanup {
  /** The namespaces test JVMs create (tunlib's TestNamespace, the lab tests): {@code tl-<letters><pid>-<n>}. */
  private static final Pattern TEST_NAMESPACE = Pattern.compile("tl-[a-z]+(\\d+)-\\d+(-.*)?");

  private Cleanup() {}

  /** What was removed (as the commands that remove it) and what was left alone, and why. */
  public record Report(List<String> removed, List<String> leftAlone) {}

  /**
   * Cleans up; must be called from a thread in the root namespace (the command's main thread).
   *
   * @throws LabConflictException when a lab is running: {@code tunlab lab down} first
   */
  public static Report run(LabSettings settings) throws IOException {
    OptionalLong holder = LabLock.holder(settings.lockFile());
    if (holder.isPresent()) {
      throw new LabConflictException("a lab is running (pid " + holder.getAsLong() + "): nothing removed; stop it "
          + "with 'tunlab lab down'");
    }
    List<String> removed = new ArrayList<>();
    List<String> leftAlone = new ArrayList<>();
    for (String name : NetworkNamespace.list()) {
      if (!name.startsWith(settings.prefix())) {
        continue;
      }
      OptionalLong owner = liveTestOwner(name, settings);
      if (owner.isPresent()) {
        leftAlone.add(name + ": a test run's namespace, and that run (pid " + owner.getAsLong() + ") is alive");
        continue;
      }
      killProcessesIn(name, removed);
      NetworkNamespace.delete(name);
      removed.add(NamespaceChange.delete(name).commandLine());
    }
    try (NetworkConfig root = NetworkConfig.open()) {
      for (Link link : root.links()) {
        if (link.name().startsWith(settings.prefix())) {
          LinkChange delete = LinkChange.delete(link.name());
          root.apply(delete);
          removed.add(delete.commandLine());
        }
      }
    }
    for (Path file : List.of(settings.lockFile(), settings.socket())) {
      if (Files.deleteIfExists(file)) {
        removed.add("rm " + file);
      }
    }
    return new Report(removed, leftAlone);
  }

  /**
   * With the default prefix, a namespace named like a test's whose JVM still runs belongs to that
   * run; with a test's own prefix, everything under it is the caller's to remove.
   */
  private static OptionalLong liveTestOwner(String name, LabSettings settings) {
    Matcher test = TEST_NAMESPACE.matcher(name);
    if (!settings.prefix().equals(LabSettings.DEFAULT_PREFIX) || !test.matches()) {
      return OptionalLong.empty();
    }
    long pid = Long.parseLong(test.group(1));
    boolean alive = ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    return alive ? OptionalLong.of(pid) : OptionalLong.empty();
  }

  /** A process inside keeps the namespace alive after its name is gone: end them, as ip netns pids finds them. */
  private static void killProcessesIn(String namespace, List<String> removed) throws IOException {
    Object inode = Files.getAttribute(Path.of("/run/netns", namespace), "unix:ino");
    String link = "net:[" + inode + "]";
    try (DirectoryStream<Path> processes = Files.newDirectoryStream(Path.of("/proc"), "[0-9]*")) {
      for (Path process : processes) {
        try {
          if (Files.readSymbolicLink(process.resolve("ns/net")).toString().equals(link)) {
            long pid = Long.parseLong(process.getFileName().toString());
            ProcessHandle.of(pid).ifPresent(handle -> {
              handle.destroyForcibly();
              removed.add("kill -9 " + pid + "   # " + handle.info().command().orElse("?") + " in " + namespace);
            });
          }
        } catch (IOException | SecurityException e) {
          // Gone meanwhile, or a kernel thread: nothing of ours.
        }
      }
    }
  }
}
