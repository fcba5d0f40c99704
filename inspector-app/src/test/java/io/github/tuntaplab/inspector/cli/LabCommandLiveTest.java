package io.github.tuntaplab.inspector.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.tuntaplab.tunlib.scheduling.SessionYield;
import io.github.tuntaplab.tunlib.testsupport.Cmd;
import io.github.tuntaplab.tunlib.testsupport.Json;
import io.github.tuntaplab.tunlib.testsupport.LiveTest;
import io.github.tuntaplab.tunlib.testsupport.Prerequisites;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code tunlab lab …} as a user runs it: the lab process in a child JVM, the kernel state read back
 * with {@code ip -j}, traffic with {@code ping}, the live stream read by tshark, the socket tried by
 * other users through {@code setpriv}.
 */
@LiveTest
class LabCommandLiveTest {
  private static final int NOBODY = 65534;
  private static final int ANOTHER_USER = 65533;

  @TempDir
  Path dir;

  private final List<LabChild> labs = new ArrayList<>();

  /** A test that failed half way leaves no namespace for the root-namespace guard to find. */
  @AfterEach
  void removeLeftovers() {
    labs.forEach(LabChild::removeLeftovers);
  }

  private LabChild newLab() {
    LabChild lab = new LabChild(dir);
    labs.add(lab);
    return lab;
  }

  @Test
  void aRunningLabHasItsTopologyAnswersPingsStreamsPcapngAndServesOnlyItsUser() throws Exception {
    Prerequisites.requireTool("tshark");
    Prerequisites.requireTool("socat");
    Prerequisites.requireTool("setpriv");
    Prerequisites.requireTool("ping");
    LabChild lab = newLab();
    String ownGroup = ownSessionGroup();
    try (LabChild.Running running = lab.up(NOBODY)) {
      String client = lab.namespace("client");
      String router = lab.namespace("router");
      // The lab and what it runs yield to the windows, in its own session's group; this test's keeps its share.
      if (SessionYield.groupsBySession()) {
        String labGroup = Files.readString(Path.of("/proc/" + running.process.pid() + "/autogroup"));
        assertThat(labGroup).endsWith(" nice 10\n").isNotEqualTo(ownGroup);
      } else {
        assertThat(running.output()).noneMatch(l -> l.contains("yield to the windows"));
      }
      assertThat(ownSessionGroup()).isEqualTo(ownGroup);

      Map<String, Map<String, Object>> clientLinks = links(client);
      assertThat(clientLinks).containsKeys("tl-eth0", "tl-tun0", "tl-tap0");
      assertThat(clientLinks.get("tl-eth0")).containsEntry("address", "02:54:4c:64:00:02");
      assertThat(clientLinks.get("tl-tap0")).containsEntry("address", "02:54:4c:19:00:01");
      assertThat(clientLinks.get("tl-eth0").get("flags").toString()).contains("UP", "LOWER_UP");
      Map<String, Map<String, Object>> routerLinks = links(router);
      assertThat(routerLinks).containsKeys("tl-lan", "tl-inet", "tl-p-vpn", "tl-p-web");
      assertThat(routerLinks.get("tl-p-vpn")).containsEntry("master", "tl-inet");
      assertThat(addresses(client, "tl-eth0")).contains("198.51.100.2/24", "2001:db8:100::2/64");
      assertThat(addresses(client, "tl-tun0")).contains("198.18.0.1/24", "2001:db8:18::1/64");
      assertThat(addresses(router, "tl-inet")).contains("203.0.113.1/24", "2001:db8:113::1/64");
      assertThat(addresses(lab.namespace("web"), "tl-eth0")).contains("203.0.113.8/24");
      assertThat(addresses(lab.namespace("vpn"), "tl-eth0")).contains("203.0.113.89/24");
      assertThat(Json.parseArray(Cmd.ok("ip", "-j", "-n", client, "route", "show", "default")))
          .singleElement().satisfies(r -> assertThat(r).containsEntry("gateway", "198.51.100.1")
              .containsEntry("dev", "tl-eth0"));
      assertThat(Json.parseArray(Cmd.ok("ip", "-j", "-6", "-n", client, "route", "show", "default")))
          .singleElement().satisfies(r -> assertThat(r).containsEntry("gateway", "2001:db8:100::1"));
      assertThat(Cmd.ok("ip", "netns", "exec", router, "sysctl", "-n", "net.ipv4.ip_forward").strip()).isEqualTo("1");
      assertThat(Cmd.ok("ip", "netns", "exec", client, "ethtool", "-k", "tl-eth0")).contains("tx-checksumming: off");

      Path pcapng = dir.resolve("lab.pcapng");
      Process capture = new ProcessBuilder(lab.command(List.of(), "lab", "capture"))
          .redirectOutput(pcapng.toFile()).redirectError(dir.resolve("capture.err").toFile()).start();
      awaitSize(pcapng, 200); // the section header and eight interfaces: the stream is connected

      for (String target : List.of("198.19.0.2", "198.18.0.2", "203.0.113.8", "2001:db8:113::8", "2001:db8:19::2")) {
        Cmd.Result ping = Cmd.run(20, "ip", "netns", "exec", client, "ping", "-c1", "-W3", target);
        assertThat(ping.exitCode()).as("ping %s: %s", target, ping.stdout() + ping.stderr()).isZero();
      }
      Cmd.Result viaSocket = lab.tunlab("lab", "run", "client", "ping", "-c1", "-W3", "203.0.113.89");
      assertThat(viaSocket.exitCode()).as(viaSocket.stderr()).isZero();
      assertThat(viaSocket.stdout()).contains("1 received");

      Cmd.Result status = lab.tunlab("lab", "status");
      assertThat(status.exitCode()).as(status.stderr()).isZero();
      assertThat(status.stdout()).contains("lab default", "namespace " + client + " (client)", "198.51.100.2/24",
          "default via 198.51.100.1 dev tl-eth0");

      assertThat(Files.getAttribute(lab.socket(), "unix:uid")).isEqualTo(NOBODY);
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(lab.socket()))).isEqualTo("rw-------");
      Cmd.Result owner = asUser(NOBODY, "printf 'status\\n' | socat -t5 - UNIX-CONNECT:" + lab.socket());
      assertThat(owner.exitCode()).as(owner.stderr()).isZero();
      assertThat(owner.stdout()).startsWith("ok\nlab default");
      Cmd.Result stranger = asUser(ANOTHER_USER, "printf 'status\\n' | socat -t5 - UNIX-CONNECT:" + lab.socket());
      assertThat(stranger.exitCode()).isNotZero();
      assertThat(stranger.stderr()).contains("Permission denied");

      Cmd.Result second = lab.tunlab("lab", "up");
      assertThat(second.exitCode()).isEqualTo(1);
      assertThat(second.stderr()).contains("another lab is running (pid " + running.process.pid() + ")");

      Cmd.Result down = lab.tunlab("lab", "down");
      assertThat(down.exitCode()).as(down.stderr()).isZero();
      assertThat(running.process.waitFor(20, TimeUnit.SECONDS)).isTrue();
      assertThat(running.process.exitValue()).isZero();
      assertThat(capture.waitFor(10, TimeUnit.SECONDS)).as("lab capture ends with the lab").isTrue();
      assertThat(Cmd.ok("ip", "netns", "list")).doesNotContain(lab.prefix);
      assertThat(lab.socket()).doesNotExist();
      assertThat(lab.directory.resolve("lab.lock")).doesNotExist();

      List<String> frames = List.of(Cmd.ok("tshark", "-r", pcapng.toString(), "-T", "fields", "-e",
          "frame.interface_name", "-e", "frame.protocols", "-e", "frame.packet_flags_direction").split("\n"));
      assertThat(frames).anyMatch(f -> f.startsWith("tl-tap0\teth:ethertype:arp\t"));
      assertThat(frames).anyMatch(f -> f.startsWith("tl-tun0\traw:ip:icmp"));
      assertThat(frames).noneMatch(f -> f.startsWith("tl-tun0") && f.contains("arp"));
      assertThat(frames).anyMatch(f -> f.startsWith("tl-eth0\teth:ethertype:ip:icmp"));
      assertThat(Cmd.ok("tshark", "-r", pcapng.toString(), "-T", "fields", "-e", "frame.interface_description")
          .lines().distinct()).contains("tap in namespace " + client, "veth in namespace " + router);
    }
  }

  @Test
  void aLabStartedInATerminalsSessionGivesTheTerminalItsShareBackWhenItStops() throws Exception {
    boolean grouped = SessionYield.groupsBySession();
    LabChild lab = newLab();
    Path labOutput = Files.createFile(dir.resolve("lab-up.out")); // read before the shell has written to it
    // A shell as the terminal, the lab in its session as sudo without use_pty starts it; the shell speaks last.
    List<String> terminal = new ArrayList<>(List.of("setsid", "sh", "-c",
        "\"$@\" >\"$0\" 2>&1; cat /proc/$$/autogroup", labOutput.toString()));
    terminal.addAll(lab.command(List.of(), "lab", "up"));
    Process shell = new ProcessBuilder(terminal).redirectErrorStream(true).start();
    LabChild.Running running = new LabChild.Running(shell, labOutput);
    try {
      running.awaitLine("tunlab: lab default is up", 60);
      if (grouped) {
        assertThat(Files.readString(Path.of("/proc/" + shell.pid() + "/autogroup"))).endsWith(" nice 10\n");
        assertThat(Files.readAllLines(labOutput)).anyMatch(l -> l.startsWith("#   (its terminal's too,")
            && l.contains("echo 0 | sudo tee /proc/" + shell.pid() + "/autogroup"));
      } else {
        assertThat(Files.readAllLines(labOutput)).noneMatch(l -> l.contains("yield to the windows"));
      }
      Cmd.Result down = lab.tunlab("lab", "down");
      assertThat(down.exitCode()).as(down.stderr()).isZero();
      assertThat(shell.waitFor(30, TimeUnit.SECONDS)).isTrue();
      String terminalSays = new String(shell.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
      if (grouped) {
        assertThat(terminalSays).as("the terminal's group once the lab is down").endsWith(" nice 0\n");
      }
    } finally {
      if (shell.isAlive()) { // the lab in it gets the SIGTERM, up or still starting, and tears down
        shell.descendants().forEach(ProcessHandle::destroy);
        shell.waitFor(30, TimeUnit.SECONDS);
      }
    }
  }

  /** This test's session group, or "" where the kernel has no session groups. */
  private static String ownSessionGroup() throws java.io.IOException {
    Path file = Path.of("/proc/self/autogroup");
    return Files.exists(file) ? Files.readString(file) : "";
  }

  @Test
  void sigtermTearsDownAndAfterSigkillTheLabRefusesToStartAndCleanupLeavesNothing() throws Exception {
    LabChild lab = newLab();
    try (LabChild.Running running = lab.up(0)) {
      running.process.destroy();
      assertThat(running.process.waitFor(20, TimeUnit.SECONDS)).isTrue();
      running.awaitLine("tunlab: lab default is down", 1);
    }
    assertThat(Cmd.ok("ip", "netns", "list")).doesNotContain(lab.prefix);
    assertThat(lab.socket()).doesNotExist();

    try (LabChild.Running running = lab.up(0)) {
      running.process.destroyForcibly().waitFor();
    }
    assertThat(Cmd.ok("ip", "netns", "list")).contains(lab.namespace("client"), lab.namespace("router"));

    Cmd.Result again = lab.tunlab("lab", "up");
    assertThat(again.exitCode()).isEqualTo(1);
    assertThat(again.stderr()).contains(lab.namespace("client"), "exist already", "tunlab cleanup");

    Cmd.Result cleanup = lab.tunlab("cleanup");
    assertThat(cleanup.exitCode()).as(cleanup.stderr()).isZero();
    assertThat(cleanup.stdout()).contains("ip netns del " + lab.namespace("client"), "ip netns del "
        + lab.namespace("web"));
    assertThat(Cmd.ok("ip", "netns", "list")).doesNotContain(lab.prefix);
    assertThat(lab.socket()).doesNotExist();
    assertThat(lab.directory.resolve("lab.lock")).doesNotExist();
    assertThat(lab.tunlab("cleanup").stdout()).contains("nothing to clean up");
  }

  @Test
  void withoutPrivilegesLabUpSaysWhatToRunAndTheClientsSayNoLabRuns() {
    Prerequisites.requireTool("setpriv");
    LabChild lab = newLab();
    List<String> noCapabilities = List.of("setpriv", "--bounding-set=-all", "--inh-caps=-all");
    Cmd.Result up = Cmd.run(60, lab.command(noCapabilities, "lab", "up").toArray(String[]::new));
    assertThat(up.exitCode()).isEqualTo(3);
    assertThat(up.stderr()).contains("sudo ", " lab up default");
    Cmd.Result cleanup = Cmd.run(60, lab.command(noCapabilities, "cleanup").toArray(String[]::new));
    assertThat(cleanup.exitCode()).isEqualTo(3);
    assertThat(cleanup.stderr()).contains("sudo ", " cleanup");

    Cmd.Result status = lab.tunlab("lab", "status");
    assertThat(status.exitCode()).isEqualTo(1);
    assertThat(status.stderr()).contains("no lab is running");
    Cmd.Result doctor = Cmd.run(60, lab.command(noCapabilities, "doctor").toArray(String[]::new));
    assertThat(doctor.exitCode()).as(doctor.stdout()).isZero();
    assertThat(doctor.stdout()).contains("/dev/net/tun", "libpcap version", "not root");
  }

  private static Map<String, Map<String, Object>> links(String namespace) {
    Map<String, Map<String, Object>> byName = new java.util.LinkedHashMap<>();
    for (Map<String, Object> link : Json.parseArray(Cmd.ok("ip", "-j", "-n", namespace, "link", "show"))) {
      byName.put((String) link.get("ifname"), link);
    }
    return byName;
  }

  @SuppressWarnings("unchecked")
  private static List<String> addresses(String namespace, String link) {
    Map<String, Object> shown = Json.parseArray(Cmd.ok("ip", "-j", "-n", namespace, "address", "show", "dev", link))
        .get(0);
    return ((List<Map<String, Object>>) shown.get("addr_info")).stream()
        .map(a -> a.get("local") + "/" + a.get("prefixlen")).toList();
  }

  private static Cmd.Result asUser(int uid, String shell) {
    return Cmd.run(20, "setpriv", "--reuid", Integer.toString(uid), "--regid", Integer.toString(uid),
        "--clear-groups", "sh", "-c", shell);
  }

  private static void awaitSize(Path file, long bytes) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (System.nanoTime() < deadline) {
      if (file.toFile().length() >= bytes) {
        return;
      }
      Thread.sleep(50);
    }
    throw new AssertionError(file + " did not reach " + bytes + " bytes");
  }
}
