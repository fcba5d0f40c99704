package io.github.tuntaplab.lessons.lab;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.OptionalInt;

/**
 * A lab as the privileged lab process holds it: the one-lab lock, the lab, and its socket
 * (LAB-PROTOCOL.md), all taken down by {@link #close()} in reverse order. {@code sudo tunlab lab up}
 * runs one in the foreground; a program that already runs as root (the inspector started with
 * sudo) may host one in-process the same way, and unprivileged clients still reach it.
 */
public final class LabHost implements AutoCloseable {
  private final LabLock lock;
  private final Lab lab;
  private final LabServer server;

  private LabHost(LabLock lock, Lab lab, LabServer server) {
    this.lock = lock;
    this.lab = lab;
    this.server = server;
  }

  /**
   * Takes the lock, builds {@code topology} and serves its socket, owned by {@code ownerUid}
   * (and {@code ownerGid}) when given; {@code onStopRequest} runs when a client sends {@code stop}.
   *
   * @throws LabConflictException when another lab runs or one left its namespaces behind
   */
  public static LabHost start(Topology topology, LabSettings settings, OptionalInt ownerUid, OptionalInt ownerGid,
      Runnable onStopRequest) throws IOException {
    return start(topology, settings, ownerUid, ownerGid, onStopRequest, Map.of());
  }

  /** As above, serving {@code extensions} too: requests by name that the lab package does not know itself. */
  public static LabHost start(Topology topology, LabSettings settings, OptionalInt ownerUid, OptionalInt ownerGid,
      Runnable onStopRequest, Map<String, LabRequest> extensions) throws IOException {
    Files.createDirectories(settings.directory());
    Files.setPosixFilePermissions(settings.directory(), PosixFilePermissions.fromString("rwxr-xr-x"));
    LabLock lock = LabLock.acquire(settings.lockFile());
    Lab lab = null;
    LabHost host = null;
    try {
      lab = Lab.up(topology, settings);
      host = new LabHost(lock, lab, LabServer.start(lab, settings.socket(), ownerUid, ownerGid, onStopRequest,
          extensions));
      return host;
    } finally {
      if (host == null) {
        if (lab != null) {
          lab.close();
        }
        lock.close();
      }
    }
  }

  public Lab lab() {
    return lab;
  }

  public Path socket() {
    return server.path();
  }

  @Override
  public void close() throws IOException {
    try (lock) {
      try (server) {
        lab.close();
      }
    }
  }
}
