package io.github.tuntaplab.tunlib.scheduling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.tuntaplab.tunlib.testsupport.Cmd;
import io.github.tuntaplab.tunlib.testsupport.Prerequisites;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The session's group nice value, read back from the kernel's own file, in a child JVM in a session
 * of its own ({@code setsid}): whatever happens there, this test's session keeps its share.
 */
class SessionYieldTest {
  @Test
  void aSessionYieldsWhileOpenAndGetsItsShareBackWhenClosed() throws Exception {
    if (!SessionYield.groupsBySession()) {
      // No /proc/self/autogroup, kernel.sched_autogroup_enabled=0, or a cpu cgroup of its own: nothing to yield.
      assertThat(SessionYield.atLeast(3)).isEmpty();
      return;
    }
    Prerequisites.requireTool("setsid");
    String ownGroup = Files.readString(Path.of("/proc/self/autogroup"));
    Cmd.Result child = Cmd.run(60, "setsid", Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), Probe.class.getName());
    assertThat(child.exitCode()).as(child.stderr()).isZero();
    Map<String, String> said = new LinkedHashMap<>();
    child.stdout().lines().map(l -> l.split("=", 2)).forEach(kv -> said.put(kv[0], kv[1]));

    assertThat(said.get("group")).isNotEqualTo(ownGroup.split(" ")[0]).startsWith("/autogroup-");
    assertThat(said).containsEntry("start", "0").containsEntry("open", "3").containsEntry("before", "0")
        .containsEntry("niceness", "3")
        // Already nicer than asked: nothing changes, and closing that puts nothing back.
        .containsEntry("again", "3").containsEntry("againClosed", "3")
        .containsEntry("closed", "0")
        // Changed by someone else meanwhile: closing leaves their value.
        .containsEntry("changedMeanwhile", "5");
    assertThat(said.get("undo")).isEqualTo("echo 0 | sudo tee /proc/" + said.get("session") + "/autogroup");
    assertThat(Files.readString(Path.of("/proc/self/autogroup"))).isEqualTo(ownGroup);
    assertThatThrownBy(() -> SessionYield.atLeast(-1)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("from 0 to 19");
  }

  /** Runs in a session of its own; prints what the kernel said at each step, as key=value lines. */
  public static final class Probe {
    public static void main(String[] args) throws Exception {
      System.out.println("start=" + kernelSays());
      try (SessionYield yielded = SessionYield.atLeast(3).orElseThrow()) {
        System.out.println("open=" + kernelSays());
        System.out.println("before=" + yielded.before());
        System.out.println("niceness=" + yielded.niceness());
        System.out.println("group=" + yielded.group());
        System.out.println("session=" + yielded.session());
        System.out.println("undo=" + yielded.undoCommand());
        try (SessionYield again = SessionYield.atLeast(1).orElseThrow()) {
          System.out.println("again=" + again.niceness());
        }
        System.out.println("againClosed=" + kernelSays());
      }
      System.out.println("closed=" + kernelSays());
      try (SessionYield yielded = SessionYield.atLeast(3).orElseThrow()) {
        Thread.sleep(150); // the kernel takes one change a tenth of a second from a caller without CAP_SYS_ADMIN
        Files.writeString(Path.of("/proc/self/autogroup"), "5");
      }
      System.out.println("changedMeanwhile=" + kernelSays());
    }

    private static String kernelSays() throws Exception {
      return Files.readString(Path.of("/proc/self/autogroup")).strip().split(" ")[2];
    }
  }
}
