package io.github.tuntaplab.tunlib.net;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.tuntaplab.tunlib.device.TunTapDevice;
import io.github.tuntaplab.tunlib.testsupport.Cmd;
import io.github.tuntaplab.tunlib.testsupport.LiveTest;
import io.github.tuntaplab.tunlib.testsupport.TestNamespace;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.channels.DatagramChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Named namespaces made by tunlib are the ones {@code ip netns} makes; sysctls stay inside them. */
@LiveTest
class NamespaceLiveTest {
  private static final AtomicInteger COUNTER = new AtomicInteger();
  private final String name = "tl-n" + ProcessHandle.current().pid() + "-" + COUNTER.incrementAndGet();

  @AfterEach
  void deleteEvenOnFailure() {
    if (Files.exists(Path.of("/run/netns", name))) {
      Cmd.run("ip", "netns", "del", name);
    }
  }

  @Test
  void aCreatedNamespaceHostsDevicesAndSocketsThatIpNetnsSees() throws Exception {
    NetworkNamespace.create(name);
    assertThat(NetworkNamespace.list()).contains(name);
    assertThat(Cmd.ok("ip", "netns", "list")).contains(name);
    assertThat(mountOf(name)).as("a bind mount of an nsfs file, as ip netns add makes").contains(" nsfs ");
    int port;
    try (NetworkNamespace inside = NetworkNamespace.enter(name);
        TunTapDevice tun = inside.call(() -> TunTapDevice.tun("tl-tun0").open());
        DatagramChannel socket = inside.call(() -> DatagramChannel.open(StandardProtocolFamily.INET)
            .bind(new InetSocketAddress("127.0.0.1", 0)))) {
      port = ((InetSocketAddress) socket.getLocalAddress()).getPort();
      inside.call(() -> {
        try (NetworkConfig config = NetworkConfig.open()) {
          config.apply(LinkChange.up("lo"));
        }
        return null;
      });
      assertThat(Cmd.ok("ip", "-n", name, "-br", "link")).contains("tl-tun0").containsPattern("lo\\s+UNKNOWN");
      assertThat(Cmd.ok("ip", "netns", "exec", name, "ss", "-Hunl")).contains("127.0.0.1:" + port);
      assertThat(Cmd.ok("ss", "-Hunl")).as("the root namespace has no such socket")
          .doesNotContain("127.0.0.1:" + port + " ");
      assertThat(Cmd.run("ip", "link", "show", "tl-tun0").exitCode()).as("no tl-tun0 in the root namespace")
          .isNotZero();
    }
    NetworkNamespace.delete(name);
    assertThat(NetworkNamespace.list()).doesNotContain(name);
    assertThat(Cmd.ok("ip", "netns", "list")).doesNotContain(name);
    assertThat(mountOf(name)).isEmpty();
    NetworkNamespace.create(name);
    assertThat(Cmd.ok("ip", "-n", name, "-br", "link")).as("a new namespace of the same name starts empty")
        .doesNotContain("tl-tun0");
    NetworkNamespace.delete(name);
  }

  @Test
  void ipNetnsAddAndTunlibMakeTheSameKindOfMount() throws Exception {
    try (TestNamespace byIp = TestNamespace.create()) {
      NetworkNamespace.create(name);
      assertThat(mountOf(name).replace(name, "NAME")).isEqualTo(mountOf(byIp.name()).replace(byIp.name(), "NAME"));
    }
  }

  @Test
  void onAMachineWithoutRunNetnsCreateMakesItASharedMountFirst() {
    // /run as an empty tmpfs in a private mount namespace: /run/netns does not exist, so create()
    // must make the directory, bind it onto itself and share it, as ip netns add does the first time.
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Cmd.Result result = Cmd.run("unshare", "--mount", "--propagation", "private", "sh", "-c",
        "mount -t tmpfs tl-run /run && exec \"$@\"", "fresh-run", java, "-cp", System.getProperty("java.class.path"),
        CreateNamespaceMain.class.getName(), name, "findmnt -n -o PROPAGATION /run/netns");
    assertThat(result.exitCode()).as(result.stderr()).isZero();
    assertThat(result.stdout()).contains("LIST [" + name + "]", "shared", "AFTER []");
    assertThat(Cmd.ok("ip", "netns", "list")).as("nothing of it outside").doesNotContain(name);
  }

  @Test
  void refusalsSayWhatToDo() throws Exception {
    NetworkNamespace.create(name);
    Twins.assertRefused(() -> NetworkNamespace.create(name), "EEXIST",
        "ip netns add " + name + ": a namespace named " + name + " exists already");
    NetworkNamespace.delete(name);
    Twins.assertRefused(() -> NetworkNamespace.delete(name), "ENOENT", "there is no namespace named " + name);
    Twins.assertRefused(() -> NetworkNamespace.enter(name), "ENOENT", "no network namespace " + name);
  }

  @Test
  void sysctlsChangeOnlyTheirNamespace() throws Exception {
    List<String> keys = List.of("net.ipv4.ip_forward", "net.ipv6.conf.all.disable_ipv6", "net.ipv4.conf.all.rp_filter");
    String rootBefore = Cmd.ok(sysctlRead(keys));
    try (Twins twins = Twins.create()) {
      twins.apply(Sysctl.ipv4Forwarding(true), Sysctl.ipv6Disabled(true), Sysctl.rpFilter("all", 2));
      String ours = twins.library.exec(sysctlRead(keys)).orThrow().stdout();
      assertThat(ours).isEqualTo("1\n1\n2\n").isEqualTo(twins.oracle.exec(sysctlRead(keys)).orThrow().stdout());
      String forwarding = twins.call(config -> config.sysctl("net.ipv4.ip_forward"));
      assertThat(forwarding).isEqualTo("1");
      assertThat(Sysctl.ipv4Forwarding(true).commandLineIn("tl-router"))
          .isEqualTo("ip netns exec tl-router sysctl -w net.ipv4.ip_forward=1");
    }
    assertThat(Cmd.ok(sysctlRead(keys))).as("the root namespace's settings").isEqualTo(rootBefore);
  }

  private static String[] sysctlRead(List<String> keys) {
    String[] command = new String[keys.size() + 2];
    command[0] = "sysctl";
    command[1] = "-n";
    for (int i = 0; i < keys.size(); i++) {
      command[i + 2] = keys.get(i);
    }
    return command;
  }

  /** The namespace file's line in this process's mountinfo, without the mount ids; empty if unmounted. */
  private static String mountOf(String namespace) throws Exception {
    return Files.readAllLines(Path.of("/proc/self/mountinfo")).stream()
        .filter(line -> line.split(" ")[4].equals("/run/netns/" + namespace))
        .map(line -> line.replaceFirst("^\\d+ \\d+ \\S+ ", "").replaceAll("net:\\[\\d+\\]", "net:[N]")
            .replaceAll("shared:\\d+", "shared:N"))
        .findFirst().orElse("");
  }
}
