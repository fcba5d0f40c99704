package io.github.tuntaplab.tunlib.scheduling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.tuntaplab.tunlib.testsupport.Prerequisites;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The session's group nice value, read back from the kernel's own file; this test's session gets its value back. */
class SessionYieldTest {
  @Test
  void aSessionYieldsWhileOpenAndGetsItsShareBackWhenClosed() throws Exception {
    Prerequisites.require(SessionYield.groupsBySession(),
        "this kernel does not group tasks by session (no /proc/self/autogroup, or kernel.sched_autogroup_enabled=0)");
    int start = kernelSays();
    int target = Math.min(19, start + 3);
    try (SessionYield yielded = SessionYield.atLeast(target).orElseThrow()) {
      assertThat(kernelSays()).isEqualTo(target);
      assertThat(yielded.before()).isEqualTo(start);
      assertThat(yielded.niceness()).isEqualTo(target);
      assertThat(yielded.group()).isEqualTo(Files.readString(Path.of("/proc/self/autogroup")).split(" ")[0]);
      // Already nicer than asked: nothing changes, and closing it puts nothing back.
      try (SessionYield again = SessionYield.atLeast(start).orElseThrow()) {
        assertThat(again.niceness()).isEqualTo(target);
      }
      assertThat(kernelSays()).isEqualTo(target);
    }
    assertThat(kernelSays()).isEqualTo(start);
    assertThatThrownBy(() -> SessionYield.atLeast(-1)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("from 0 to 19");
  }

  private static int kernelSays() throws Exception {
    String[] fields = Files.readString(Path.of("/proc/self/autogroup")).strip().split(" ");
    return Integer.parseInt(fields[2]);
  }
}
