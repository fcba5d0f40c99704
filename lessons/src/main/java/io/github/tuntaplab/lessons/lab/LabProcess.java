package io.github.tuntaplab.lessons.lab;

import io.github.tuntaplab.tunlib.scheduling.SessionYield;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * {@code sudo tunlab lab up [TOPOLOGY]}: the privileged lab process. Takes the lock, builds the
 * lab, prints what it built as {@code ip} commands, serves the socket, and stays in the foreground
 * until Ctrl-C, SIGTERM or a {@code stop} request ({@code tunlab lab down}); then tears it all down.
 */
public final class LabProcess {
  /** Exit codes (DESIGN §2). */
  public static final int OK = 0;
  public static final int FAILED = 1;
  public static final int PREREQUISITE = 3;

  /**
   * The nice value of the lab's session group while it is up (where the kernel groups tasks by
   * session): the lab and what it runs ({@code tunlab lab run}, lesson actions) yield to the windows
   * showing their traffic. With iperf3 through the lab at full rate on two cores, the window's pulse
   * p99 is 25–32 ms (README's benchmark table), up to 276 ms with the group at nice 0; the traffic
   * gets what the windows leave.
   */
  static final int SESSION_NICENESS = 10;

  private final LabSettings settings;
  private final PrintWriter out;
  private final PrintWriter err;
  private final CountDownLatch stopRequested = new CountDownLatch(1);
  private final CountDownLatch tornDown = new CountDownLatch(1);
  private final Map<String, LabRequest> extensions;

  public LabProcess(LabSettings settings, PrintWriter out, PrintWriter err) {
    this(settings, out, err, Map.of());
  }

  /** A lab process whose socket also serves {@code extensions} (the lesson engine's requests). */
  public LabProcess(LabSettings settings, PrintWriter out, PrintWriter err, Map<String, LabRequest> extensions) {
    this.settings = settings;
    this.out = out;
    this.err = err;
    this.extensions = Map.copyOf(extensions);
  }

  /** The pid of the lab running with {@code settings}, if one is. */
  public static OptionalLong runningPid(LabSettings settings) throws IOException {
    return LabLock.holder(settings.lockFile());
  }

  /** Runs the lab until it is asked to stop; returns the exit code. */
  public int run(String topologyName) {
    return run(topologyName, () -> Topology.resolve(topologyName));
  }

  /** A topology, or why it cannot be had. */
  @FunctionalInterface
  public interface TopologySource {
    Topology get() throws IOException;
  }

  /**
   * Runs the lab of {@code topology} (a lesson's, say) until it is asked to stop; {@code arguments}
   * are what to write after {@code lab up} to start it again, for messages.
   */
  public int run(String arguments, TopologySource topologySource) {
    if (!Privileges.canBuildLab()) {
      err.println("tunlab: lab up needs root (CAP_NET_ADMIN and CAP_SYS_ADMIN) to create namespaces and devices; "
          + "run:\n  sudo " + Privileges.tunlabCommand() + " lab up " + arguments);
      return PREREQUISITE;
    }
    Topology topology;
    try {
      topology = topologySource.get();
    } catch (IOException e) {
      err.println("tunlab: " + e.getMessage());
      err.flush();
      return FAILED;
    }
    Thread hook = new Thread(this::stopAndWait, "lab teardown on signal");
    Runtime.getRuntime().addShutdownHook(hook);
    boolean wasUp = false;
    try (LabHost host = LabHost.start(topology, settings, Privileges.sudoUid(), Privileges.sudoGid(),
        stopRequested::countDown, extensions)) {
      Optional<SessionYield> yielded = yieldSession();
      try {
        printBuilt(host, yielded);
        wasUp = true;
        stopRequested.await();
        out.println("tunlab: stopping the lab: removing its namespaces " + host.lab().roles().stream()
            .map(settings::namespace).toList());
        out.flush();
      } finally {
        yielded.ifPresent(this::putBack);
      }
    } catch (IOException e) {
      err.println("tunlab: " + e.getMessage());
      return FAILED;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      if (wasUp) {
        out.println("tunlab: lab " + topology.name() + " is down");
      }
      out.flush();
      err.flush();
      // Last: a signal's shutdown hook waits for this, and the JVM halts as soon as the hook returns.
      tornDown.countDown();
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException shuttingDown) {
        // The hook runs now and has been waiting for this teardown.
      }
    }
    return OK;
  }

  /** On SIGINT/SIGTERM: ask the foreground to tear down, and keep the JVM alive until it has. */
  private void stopAndWait() {
    stopRequested.countDown();
    try {
      tornDown.await(20, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** The lab's session yields to the windows; empty where the kernel weighs no sessions, or refuses. */
  private Optional<SessionYield> yieldSession() {
    try {
      return SessionYield.atLeast(SESSION_NICENESS);
    } catch (IOException | RuntimeException e) {
      err.println("tunlab: the lab's session keeps its share of the cores (" + e.getMessage() + "); the lab works as"
          + " before, but a window showing full-rate traffic may stutter on a busy machine");
      return Optional.empty();
    }
  }

  /** The session gets its share back; the lab's teardown went well whatever this says. */
  private void putBack(SessionYield yielded) {
    try {
      yielded.close();
    } catch (IOException | RuntimeException e) {
      err.println("tunlab: the lab's session stays at nice " + yielded.niceness() + " (" + e.getMessage()
          + "); put it back with: " + yielded.undoCommand());
    }
  }

  private void printBuilt(LabHost host, Optional<SessionYield> yielded) {
    Lab lab = host.lab();
    out.println("# lab " + lab.topology().name() + " (pid " + ProcessHandle.current().pid() + "): "
        + lab.topology().description());
    out.println("# built with these commands' equivalents (rtnetlink from Java, nothing spawned):");
    lab.commands().forEach(out::println);
    out.println("# capturing on:");
    for (LabDevice device : lab.devices()) {
      out.println("#   " + device.interfaceId() + " " + device.link() + " (" + device.description() + ")");
    }
    out.println("# socket " + host.socket() + Privileges.sudoUid().stream().mapToObj(uid -> ", owned by uid " + uid)
        .findFirst().orElse(""));
    out.println("# watch it:   " + Privileges.tunlabCommand() + " lab capture | wireshark -k -i -");
    out.println("# inspect it: " + Privileges.tunlabCommand() + " lab status");
    out.println("# run in it:  " + Privileges.tunlabCommand() + " lab run ROLE COMMAND…   (roles: "
        + String.join(", ", lab.roles()) + ")");
    out.println("# stop it:    Ctrl-C here, or " + Privileges.tunlabCommand() + " lab down");
    yielded.ifPresent(y -> {
      out.println("# the lab and what it runs yield to the windows: " + y + " while the lab is up");
      out.println("#   (its terminal's too, unless sudo gave it a session of its own; after a kill -9: "
          + y.undoCommand() + ")");
    });
    out.println("tunlab: lab " + lab.topology().name() + " is up");
    out.flush();
  }
}
