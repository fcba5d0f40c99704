package io.github.tuntaplab.inspector.ui;

import io.github.tuntaplab.tunlib.device.TunTapDevice;
import io.github.tuntaplab.tunlib.net.MacAddress;
import io.github.tuntaplab.tunlib.packet.TestPackets;
import io.github.tuntaplab.tunlib.responder.DeviceResponder;
import io.github.tuntaplab.tunlib.responder.Responder;
import io.github.tuntaplab.tunlib.testsupport.CaptureFiles;
import io.github.tuntaplab.tunlib.testsupport.Cmd;
import io.github.tuntaplab.tunlib.testsupport.Prerequisites;
import io.github.tuntaplab.tunlib.testsupport.TestNamespace;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Real captures made by tcpdump on real devices, once per test JVM (a few seconds, as root):
 * <ul>
 *   <li>twin namespaces with the same addresses, a TUN in one and a TAP in the other, each with a
 *       Java responder behind it; the kernel pings the responder (ARP first on the TAP), and the
 *       same echo request is written into both devices, so TUN and TAP carry byte-equal IP packets;
 *   <li>a socat IP-in-UDP tunnel between two namespaces over a veth: its TUN and its underlay, which
 *       also carries a kernel VXLAN tunnel's frames.
 * </ul>
 * Each device's capture is kept ({@link #device}) and all are merged by time into one pcapng file
 * ({@link #merged}) with one interface per device.
 */
final class LabCapture {
  static final String TAP = "tl-tap0";
  static final String TUN = "tl-tun0";
  static final String TUNNEL = "tl-tun1";
  static final String UNDERLAY = "tl-pa";
  private static final MacAddress RESPONDER_MAC = MacAddress.parse("02:00:5e:10:00:02");
  private static final String TAP_MAC = "02:00:5e:10:00:01";
  private static Path directory;

  private LabCapture() {}

  /** The merged capture: tl-tap0 (Ethernet), tl-tun0 and tl-tun1 (raw IP), tl-pa (the underlay, Ethernet). */
  static synchronized Path merged() throws Exception {
    return made().resolve("lab.pcapng");
  }

  /** The twins only: tl-tap0 and tl-tun0, one echo request byte-equal on both. */
  static synchronized Path twins() throws Exception {
    return made().resolve("twins.pcapng");
  }

  /** One device's own capture, as tcpdump wrote it. */
  static synchronized Path device(String name) throws Exception {
    return made().resolve(name + ".pcap");
  }

  private static Path made() throws Exception {
    if (directory == null) {
      Prerequisites.requireTool("tcpdump");
      Prerequisites.requireTool("socat");
      Path dir = Files.createTempDirectory("tl-lab-capture");
      twins(dir);
      tunnel(dir);
      merge(dir, dir.resolve("lab.pcapng"), List.of(TAP, TUN, TUNNEL, UNDERLAY));
      merge(dir, dir.resolve("twins.pcapng"), List.of(TAP, TUN));
      directory = dir;
    }
    return directory;
  }

  private static void twins(Path dir) throws Exception {
    try (TestNamespace tunSide = TestNamespace.create(); TestNamespace tapSide = TestNamespace.create()) {
      List<InetAddress> peer = List.of(InetAddress.getByName("198.18.1.2"));
      for (TestNamespace ns : List.of(tunSide, tapSide)) {
        // Quiet devices: no router solicitations or MLD reports between the packets of the lesson.
        ns.exec("sysctl", "-qw", "net.ipv6.conf.all.disable_ipv6=1").orThrow();
        ns.exec("sysctl", "-qw", "net.ipv6.conf.default.disable_ipv6=1").orThrow();
      }
      TunTapDevice tun = tunSide.inside().call(() -> TunTapDevice.tun(TUN).open());
      TunTapDevice tap = tapSide.inside().call(() -> TunTapDevice.tap(TAP).open());
      try {
        DeviceResponder.serve(tun, Responder.forTun(peer));
        DeviceResponder.serve(tap, Responder.forTap(RESPONDER_MAC.toByteArray(), peer));
        tapSide.ip("link", "set", TAP, "address", TAP_MAC);
        up(tunSide, TUN, "198.18.1.1/24");
        up(tapSide, TAP, "198.18.1.1/24");
        Process tunDump = capture(tunSide, TUN, dir);
        Process tapDump = capture(tapSide, TAP, dir);
        tunSide.exec("ping", "-c", "2", "-i", "0.2", "-W", "2", "198.18.1.2").orThrow();
        tapSide.exec("ping", "-c", "2", "-i", "0.2", "-W", "2", "198.18.1.2").orThrow();
        // The responder's side pings the kernel with one and the same packet on both devices.
        for (int sequence = 1; sequence <= 2; sequence++) {
          byte[] request = echoRequest(sequence);
          tun.write(ByteBuffer.wrap(request));
          ByteBuffer frame = ByteBuffer.allocate(14 + request.length);
          frame.put(MacAddress.parse(TAP_MAC).toByteArray()).put(RESPONDER_MAC.toByteArray()).putShort((short) 0x0800)
              .put(request).flip();
          tap.write(frame);
          Thread.sleep(150);
        }
        Thread.sleep(300);
        stop(tunDump);
        stop(tapDump);
      } finally {
        tun.close();
        tap.close();
      }
    }
  }

  /** ICMP echo request 198.18.1.2 → 198.18.1.1 with a fixed identifier, sequence and text. */
  private static byte[] echoRequest(int sequence) {
    return TestPackets.checkedEchoRequest("198.18.1.2", "198.18.1.1", 0x1000 + sequence, 0x7e57, sequence,
        "TunTap Lab: one packet, two devices".getBytes(StandardCharsets.US_ASCII));
  }

  private static void tunnel(Path dir) throws Exception {
    try (TestNamespace left = TestNamespace.create(); TestNamespace right = TestNamespace.create()) {
      left.ip("link", "add", UNDERLAY, "type", "veth", "peer", "name", "tl-pb", "netns", right.name());
      up(left, UNDERLAY, "198.51.100.1/24");
      up(right, "tl-pb", "198.51.100.2/24");
      for (TestNamespace ns : List.of(left, right)) {
        ns.exec("sysctl", "-qw", "net.ipv6.conf.all.disable_ipv6=1").orThrow();
      }
      Process underlay = capture(left, UNDERLAY, dir);
      Process rightTunnel = right.start("socat", "UDP-LISTEN:5555,bind=198.51.100.2",
          "TUN:198.18.2.2/24,tun-type=tun,iff-no-pi,iff-up,tun-name=" + TUNNEL);
      Thread.sleep(300);
      Process leftTunnel = left.start("socat", "UDP:198.51.100.2:5555,bind=198.51.100.1:5555",
          "TUN:198.18.2.1/24,tun-type=tun,iff-no-pi,iff-up,tun-name=" + TUNNEL);
      for (int i = 0; i < 100 && !left.exec("ip", "-4", "addr", "show", "dev", TUNNEL).stdout().contains("198.18.2."); i++) {
        Thread.sleep(50);
      }
      Process tunDump = capture(left, TUNNEL, dir);
      left.exec("ping", "-c", "2", "-i", "0.3", "-w", "5", "198.18.2.2");
      left.exec("bash", "-c", "echo through the tunnel > /dev/udp/198.18.2.2/7777").orThrow();
      // A kernel VXLAN tunnel over the same underlay: Ethernet frames inside UDP port 4789.
      for (TestNamespace[] ends : new TestNamespace[][] {{left, right}, {right, left}}) {
        boolean isLeft = ends[0] == left;
        ends[0].ip("link", "add", "tl-vx0", "type", "vxlan", "id", "42", "local", isLeft ? "198.51.100.1" : "198.51.100.2",
            "remote", isLeft ? "198.51.100.2" : "198.51.100.1", "dstport", "4789", "dev", isLeft ? UNDERLAY : "tl-pb");
        up(ends[0], "tl-vx0", isLeft ? "198.18.3.1/24" : "198.18.3.2/24");
      }
      left.exec("ping", "-c", "2", "-i", "0.2", "-w", "5", "198.18.3.2").orThrow();
      Thread.sleep(300);
      stop(tunDump);
      for (Process process : List.of(leftTunnel, rightTunnel)) {
        process.destroy();
        process.waitFor(10, TimeUnit.SECONDS);
      }
      stop(underlay);
      for (TestNamespace ns : List.of(left, right)) {
        for (int i = 0; i < 100 && !Cmd.ok("ip", "netns", "pids", ns.name()).isBlank(); i++) {
          Thread.sleep(50);
        }
      }
    }
  }

  private static void up(TestNamespace ns, String device, String address) {
    ns.ip("addr", "add", address, "dev", device);
    ns.ip("link", "set", device, "up");
  }

  private static Process capture(TestNamespace ns, String device, Path dir) throws Exception {
    Path file = dir.resolve(device + ".pcap");
    Process tcpdump = ns.start("tcpdump", "-i", device, "--immediate-mode", "-U", "-Z", "root", "-s", "0", "-w",
        file.toString());
    for (int i = 0; i < 100 && !(Files.exists(file) && Files.size(file) >= 24); i++) {
      Thread.sleep(50);
    }
    Thread.sleep(200);
    return tcpdump;
  }

  private static void stop(Process tcpdump) throws InterruptedException {
    tcpdump.destroy();
    if (!tcpdump.waitFor(10, TimeUnit.SECONDS)) {
      throw new IllegalStateException("tcpdump did not stop");
    }
  }

  /** Every device's packets in one pcapng file, one interface each, in time order. */
  static void merge(Path dir, Path target, List<String> devices) {
    CaptureFiles.merge(target, devices.stream()
        .map(device -> new CaptureFiles.Interface(dir.resolve(device + ".pcap"), device, null)).toList());
  }
}
