package io.github.tuntaplab.lessons.lab;

import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Settings for a test's lab: namespaces named {@code tl-l<pid>-<n>-<role>} (other test JVMs' root
 * namespace guards recognise the pattern and leave them be) and a lock and socket in a directory
 * of the test's own, never a real lab's.
 */
final class TestLabs {
  private static final AtomicInteger COUNTER = new AtomicInteger();

  private TestLabs() {}

  static LabSettings settings(Path directory) {
    return new LabSettings("tl-l" + ProcessHandle.current().pid() + "-" + COUNTER.incrementAndGet() + "-", directory);
  }
}
