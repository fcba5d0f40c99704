package io.github.tuntaplab.tunlib.samples;

import io.github.tuntaplab.tunlib.capture.CaptureWriter;
import io.github.tuntaplab.tunlib.capture.PcapWriter;
import io.github.tuntaplab.tunlib.capture.PcapngWriter;
import io.github.tuntaplab.tunlib.packet.TestPackets;
import io.github.tuntaplab.tunlib.testsupport.CaptureFiles;
import io.github.tuntaplab.tunlib.capture.Direction;
import io.github.tuntaplab.tunlib.device.TunTapDevice;
import io.github.tuntaplab.tunlib.responder.DeviceResponder;
import io.github.tuntaplab.tunlib.responder.Responder;
import io.github.tuntaplab.tunlib.testsupport.Cmd;
import io.github.tuntaplab.tunlib.testsupport.TestNamespace;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Not a test: records the captures of {@code sample-captures/} from real traffic, as root, in
 * throwaway namespaces (run by {@code scripts/regenerate-sample-captures}).
 *
 * <ul>
 *   <li>{@code tun-and-tap.pcapng}, {@code tun.pcap}, {@code tap.pcap}: lesson 1's twins. Two
 *       namespaces hold the same addresses behind a TUN in one and a TAP in the other, each device
 *       served by tunlib's responder; the same pings (IPv4 and IPv6) go through both. What the
 *       program reads from a device and writes into it is recorded by tunlib's capture writers, in
 *       the pcapng file with its direction (outbound: the kernel sent it into the device).
 *   <li>{@code tunnels-underlay.pcap} and {@code tunnel-tun.pcap}: tcpdump on a veth carrying a
 *       kernel VXLAN link (UDP 4789) and a socat IP-in-UDP tunnel (UDP 5555), and tcpdump on that
 *       tunnel's TUN side, while pings and a UDP datagram cross them; {@code tunnel.pcapng}: both
 *       merged, one interface each, with the namespace in each interface's description.
 * </ul>
 *
 * <pre>sudo scripts/regenerate-sample-captures</pre>
 */
public final class SampleCaptures {
  private static final String TWIN_LOCAL = "198.18.1.1";
  private static final String TWIN_REMOTE = "198.18.1.2";
  private static final String TWIN_LOCAL6 = "2001:db8:1801::1";
  private static final String TWIN_REMOTE6 = "2001:db8:1801::2";
  private static final byte[] RESPONDER_MAC = {0x02, 0x00, 0x5e, 0x10, 0x00, 0x02};
  private static final String KERNEL_TAP_MAC = "02:00:5e:10:00:01";

  private SampleCaptures() {}

  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args.length > 0 ? args[0] : "sample-captures").toAbsolutePath();
    Files.createDirectories(dir);
    twins(dir);
    tunnels(dir);
    System.out.println("sample captures written to " + dir);
    System.exit(0);
  }

  /** The TUN and TAP twins: one pcapng file with both interfaces, and a pcap file per device. */
  private static void twins(Path dir) throws Exception {
    try (TestNamespace tunSide = TestNamespace.create(); TestNamespace tapSide = TestNamespace.create();
        PcapngWriter both = PcapngWriter.create(dir.resolve("tun-and-tap.pcapng"));
        PcapWriter tunFile = PcapWriter.create(dir.resolve("tun.pcap"));
        PcapWriter tapFile = PcapWriter.create(dir.resolve("tap.pcap"))) {
      TunTapDevice tun = tunSide.inside().call(() -> TunTapDevice.tun("tl-tun0").open());
      TunTapDevice tap = tapSide.inside().call(() -> TunTapDevice.tap("tl-tap0").open());
      int tunInterface = both.addInterface(tun.linkType(), "tl-tun0", "tun in namespace " + tunSide.name(), 0);
      int tapInterface = both.addInterface(tap.linkType(), "tl-tap0", "tap in namespace " + tapSide.name(), 0);
      tunFile.addInterface(tun.linkType(), null, 0);
      tapFile.addInterface(tap.linkType(), null, 0);
      List<InetAddress> remote = List.of(InetAddress.getByName(TWIN_REMOTE), InetAddress.getByName(TWIN_REMOTE6));
      DeviceResponder tunResponder = serveAndRecord(tun, Responder.forTun(remote), both, tunInterface, tunFile);
      DeviceResponder tapResponder = serveAndRecord(tap, Responder.forTap(RESPONDER_MAC, remote), both, tapInterface,
          tapFile);
      tapSide.ip("link", "set", "tl-tap0", "address", KERNEL_TAP_MAC);
      for (TestNamespace side : List.of(tunSide, tapSide)) {
        String device = side == tunSide ? "tl-tun0" : "tl-tap0";
        side.ip("addr", "add", TWIN_LOCAL + "/24", "dev", device);
        side.ip("addr", "add", TWIN_LOCAL6 + "/64", "dev", device, "nodad");
        side.ip("link", "set", device, "up");
      }
      Thread.sleep(300);
      for (TestNamespace side : List.of(tunSide, tapSide)) {
        side.exec("ping", "-c", "2", "-i", "0.2", "-W", "2", TWIN_REMOTE).orThrow();
        side.exec("ping", "-6", "-c", "2", "-i", "0.2", "-W", "2", TWIN_REMOTE6).orThrow();
        side.exec("bash", "-c", "echo to nobody > /dev/udp/" + TWIN_REMOTE + "/9999").orThrow();
      }
      // The program behind each device pings the kernel with one and the same IP packet, so TUN and
      // TAP carry byte-equal IP packets (the TAP's inside a 14-byte Ethernet header).
      byte[] request = TestPackets.checkedEchoRequest(TWIN_REMOTE, TWIN_LOCAL, 0x1001, 0x7e57, 1,
          "TunTap Lab: one packet, two devices".getBytes(StandardCharsets.US_ASCII));
      byte[] frame = TestPackets.ethernet(TestPackets.mac(KERNEL_TAP_MAC), RESPONDER_MAC, 0x0800, request);
      synchronized (both) {
        record(both, tunInterface, tunFile, ByteBuffer.wrap(request), Direction.INBOUND);
        tun.write(ByteBuffer.wrap(request));
      }
      synchronized (both) {
        record(both, tapInterface, tapFile, ByteBuffer.wrap(frame), Direction.INBOUND);
        tap.write(ByteBuffer.wrap(frame));
      }
      Thread.sleep(300);
      tun.close();
      tap.close();
      for (DeviceResponder responder : List.of(tunResponder, tapResponder)) {
        if (!responder.await(5, TimeUnit.SECONDS) || responder.failure() != null) {
          throw new IllegalStateException("a responder did not end cleanly", responder.failure());
        }
      }
    }
  }

  /**
   * Serves a device with the responder and records both ways: into the pcapng file with the
   * direction, and into the device's own pcap file.
   */
  private static DeviceResponder serveAndRecord(TunTapDevice device, Responder responder, PcapngWriter both,
      int interfaceId, CaptureWriter alone) {
    return DeviceResponder.serve(device, responder,
        request -> record(both, interfaceId, alone, request, Direction.OUTBOUND),
        reply -> record(both, interfaceId, alone, reply, Direction.INBOUND));
  }

  /** The two devices' threads share the pcapng file: one writes at a time. */
  private static void record(PcapngWriter both, int interfaceId, CaptureWriter alone, ByteBuffer packet,
      Direction direction) {
    byte[] bytes = new byte[packet.remaining()];
    packet.get(bytes);
    Instant now = Instant.now();
    try {
      synchronized (both) {
        both.write(interfaceId, now, bytes, 0, bytes.length, bytes.length, null, direction);
      }
      alone.write(0, now, bytes, 0, bytes.length, bytes.length, null);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** tcpdump on a veth under a kernel VXLAN link and a socat IP-in-UDP tunnel, and on the tunnel's TUN. */
  private static void tunnels(Path dir) throws Exception {
    Path underlay = dir.resolve("tunnels-underlay.pcap");
    Path tunSide = dir.resolve("tunnel-tun.pcap");
    try (TestNamespace left = TestNamespace.create(); TestNamespace right = TestNamespace.create()) {
      left.ip("link", "add", "tl-ua", "type", "veth", "peer", "name", "tl-ub", "netns", right.name());
      List<Process> running = new ArrayList<>();
      for (TestNamespace side : List.of(left, right)) {
        boolean isLeft = side == left;
        String veth = isLeft ? "tl-ua" : "tl-ub";
        String here = isLeft ? "198.51.100.1" : "198.51.100.2";
        String there = isLeft ? "198.51.100.2" : "198.51.100.1";
        side.ip("link", "set", veth, "address", isLeft ? "02:00:5e:33:00:01" : "02:00:5e:33:00:02");
        side.ip("addr", "add", here + "/24", "dev", veth);
        side.ip("link", "set", veth, "up");
        // Whole checksums on the wire, so that tcpdump -v shows no offload artefacts.
        side.exec("ethtool", "-K", veth, "tx", "off").orThrow();
        side.ip("link", "add", "tl-vx0", "type", "vxlan", "id", "42", "local", here, "remote", there,
            "dstport", "4789", "dev", veth);
        side.ip("link", "set", "tl-vx0", "address", isLeft ? "02:00:5e:42:00:01" : "02:00:5e:42:00:02");
        side.ip("addr", "add", (isLeft ? "198.18.0.1" : "198.18.0.2") + "/24", "dev", "tl-vx0");
      }
      running.add(left.start("tcpdump", "-i", "tl-ua", "--immediate-mode", "-U", "-Z", "root", "-s", "0",
          "-w", underlay.toString()));
      awaitHeader(underlay);
      for (TestNamespace side : List.of(left, right)) {
        side.ip("link", "set", "tl-vx0", "up");
      }
      left.exec("ping", "-c", "2", "-i", "0.2", "198.18.0.2").orThrow();
      // socat's UDP sockets are connected: the listener first, then the side that sends.
      running.add(right.start("socat", "UDP-LISTEN:5555,bind=198.51.100.2",
          "TUN:198.18.2.2/24,tun-type=tun,iff-no-pi,iff-up,tun-name=tl-tun0"));
      Thread.sleep(300);
      running.add(left.start("socat", "UDP:198.51.100.2:5555,bind=198.51.100.1:5555",
          "TUN:198.18.2.1/24,tun-type=tun,iff-no-pi,iff-up,tun-name=tl-tun0"));
      for (int i = 0; i < 100 && !left.exec("ip", "-4", "addr", "show", "dev", "tl-tun0").stdout().contains("198.18.2."); i++) {
        Thread.sleep(50);
      }
      running.add(0, left.start("tcpdump", "-i", "tl-tun0", "--immediate-mode", "-U", "-Z", "root", "-s", "0",
          "-w", tunSide.toString()));
      awaitHeader(tunSide);
      left.exec("ping", "-c", "3", "-i", "0.3", "-w", "5", "198.18.2.2").orThrow();
      left.exec("bash", "-c", "echo through the tunnel > /dev/udp/198.18.2.2/7777").orThrow();
      Thread.sleep(300);
      for (Process process : running) {
        process.destroy();
        process.waitFor(10, TimeUnit.SECONDS);
      }
      for (TestNamespace side : List.of(left, right)) {
        for (int i = 0; i < 100 && !Cmd.ok("ip", "netns", "pids", side.name()).isBlank(); i++) {
          Thread.sleep(50);
        }
      }
      // Both in one file, as the lab records its devices: the inspector links each TUN packet to
      // the underlay packet carrying it.
      CaptureFiles.merge(dir.resolve("tunnel.pcapng"), List.of(
          new CaptureFiles.Interface(tunSide, "tl-tun0", "tun in namespace " + left.name()),
          new CaptureFiles.Interface(underlay, "tl-ua", "veth in namespace " + left.name())));
    }
  }

  private static void awaitHeader(Path file) throws Exception {
    for (int i = 0; i < 100 && !(Files.exists(file) && Files.size(file) >= 24); i++) {
      Thread.sleep(50);
    }
    Thread.sleep(200);
  }
}
