package io.github.tuntaplab.tunlib.net;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.tuntaplab.tunlib.testsupport.Cmd;
import io.github.tuntaplab.tunlib.testsupport.LiveTest;
import io.github.tuntaplab.tunlib.testsupport.Prerequisites;
import io.github.tuntaplab.tunlib.testsupport.TestNamespace;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** A change without CAP_NET_ADMIN: root with the capability dropped (setpriv), in a JVM of its own. */
@LiveTest
class PermissionLiveTest {
  @Test
  void withoutNetAdminTheMessageSaysWhatIsMissing() {
    Prerequisites.requireTool("setpriv");
    try (TestNamespace ns = TestNamespace.create()) {
      String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
      Cmd.Result result = ns.exec("setpriv", "--bounding-set=-net_admin", java, "-cp",
          System.getProperty("java.class.path"), ApplyWithoutNetAdmin.class.getName(), "198.19.3.0/24");
      assertThat(result.exitCode()).as(result.stderr()).isEqualTo(3);
      assertThat(result.stderr()).contains("ip route add blackhole 198.19.3.0/24: changing the network configuration "
          + "needs CAP_NET_ADMIN in this namespace (run as root) (RTM_NEWROUTE: EPERM, Operation not permitted)");
      assertThat(ns.ip("route", "show", "table", "all")).doesNotContain("198.19.3.0");
    }
  }
}
