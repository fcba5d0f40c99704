package io.github.tuntaplab.lessons.lab;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.tuntaplab.tunlib.capture.CaptureReader;
import io.github.tuntaplab.tunlib.capture.Direction;
import io.github.tuntaplab.tunlib.testsupport.Cmd;
import io.github.tuntaplab.tunlib.testsupport.LiveTest;
import io.github.tuntaplab.tunlib.testsupport.Prerequisites;
import io.github.tuntaplab.tunlib.tunnel.TunnelKey;
import java.io.IOException;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The topology's {@code tunnel} statement: tunlib's tunnel endpoints run in the lab's namespaces,
 * pings cross a plain and an aead tunnel, the underlay carries packet A inside packet B (readable
 * only with the lab's key, which the pcapng stream carries), and {@code tunnel stop|start} takes a
 * TUN away with its routes and brings both back.
 */
@LiveTest
class LabTunnelLiveTest {
  /** Offset of packet A inside packet B on the veth: Ethernet 14 + IPv4 20 + UDP 8. */
  private static final int PAYLOAD = 42;
  /** The aead message's header and tag (docs/tunnel.md). */
  private static final int AEAD_HEADER = 24;
  private static final int AEAD_TAG = 16;
  private static final String TOPOLOGY = """
      topology tunnels
      namespace client
      namespace vpn
      veth client tl-eth0 02:54:4c:64:00:02 vpn tl-eth1 02:54:4c:71:00:59
      tunnel client tl-tun0 plain peer 203.0.113.89 5555 bind tl-eth0
      tunnel client tl-tun1 aead peer 203.0.113.89 5556
      tunnel vpn tl-tun0 plain listen 5555
      tunnel vpn tl-tun1 aead listen 5556
      address client tl-eth0 203.0.113.2/24
      address vpn tl-eth1 203.0.113.89/24
      address client tl-tun0 198.18.0.1/24
      address vpn tl-tun0 198.18.0.2/24
      address client tl-tun1 198.18.1.1/24
      address vpn tl-tun1 198.18.1.2/24
      """;

  @TempDir
  Path dir;

  @Test
  void pingsCrossBothTunnelsAndTheStreamCarriesTheKey() throws Exception {
    Prerequisites.requireTool("tshark");
    LabSettings settings = TestLabs.settings(dir);
    Path file = dir.resolve("tunnels.pcapng");
    Thread streamer;
    TunnelKey key;
    try (Lab lab = Lab.up(Topology.parse("tunnels.topology", TOPOLOGY), settings)) {
      key = lab.tunnelKey().orElseThrow();
      FileChannel out = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
      streamer = new Thread(() -> {
        try (out) {
          lab.streamPcapng(out);
        } catch (IOException | InterruptedException e) {
          // The file is checked below.
        }
      });
      streamer.start();
      assertThat(lab.commands()).anyMatch(c -> c.contains("tunlab tunnel client --format plain")
          && c.contains("--peer 203.0.113.89:5555") && c.contains("--bind-device tl-eth0")
          && c.contains("1500 − 20 (IPv4) − 8 (UDP) = 1472"));
      assertThat(lab.commands()).anyMatch(c -> c.contains("tunlab tunnel server --format aead")
          && c.contains("1500 − 20 (IPv4) − 8 (UDP) − 40 (AEAD header 24 + tag 16) = 1432"));
      assertThat(Cmd.ok("ip", "-n", settings.namespace("client"), "link", "show", "tl-tun1"))
          .as("the TUN's MTU follows the format").contains("mtu 1432");

      try (PacketWatch plain = lab.watch(p -> p.on("client", "tl-eth0") && TestLabs.isUdpTo(p, 5555));
          PacketWatch inner = lab.watch(p -> p.on("client", "tl-tun0") && p.direction() == Direction.OUTBOUND
              && p.buffer().get(9) == 1)) {
        ActionResult ping = lab.run("client", Duration.ofSeconds(5), "ping", "-c1", "-W2", "198.18.0.2");
        assertThat(ping.succeeded()).as(ping.output()).isTrue();
        byte[] a = inner.await(Duration.ofSeconds(2)).orElseThrow().data();
        byte[] b = TestLabs.awaitPacket(plain, d -> d.length == PAYLOAD + a.length);
        assertThat(Arrays.copyOfRange(b, PAYLOAD, b.length)).as("packet A is packet B's UDP payload").isEqualTo(a);
      }

      try (PacketWatch sealed = lab.watch(p -> p.on("client", "tl-eth0") && TestLabs.isUdpTo(p, 5556));
          PacketWatch inner = lab.watch(p -> p.on("client", "tl-tun1") && p.direction() == Direction.OUTBOUND
              && p.buffer().get(9) == 1)) {
        ActionResult ping = lab.run("client", Duration.ofSeconds(5), "ping", "-c1", "-W2", "198.18.1.2");
        assertThat(ping.succeeded()).as(ping.output()).isTrue();
        byte[] a = inner.await(Duration.ofSeconds(2)).orElseThrow().data();
        byte[] b = TestLabs.awaitPacket(sealed, d -> d.length == PAYLOAD + AEAD_HEADER + AEAD_TAG + a.length);
        byte[] ciphertext = Arrays.copyOfRange(b, PAYLOAD + AEAD_HEADER, PAYLOAD + AEAD_HEADER + a.length);
        assertThat(ciphertext).as("the underlay shows no plaintext").isNotEqualTo(a);
        int length = TunnelKey.decryption(List.of(key)).decryptInPlace(b, PAYLOAD, b.length - PAYLOAD);
        assertThat(length).isEqualTo(a.length);
        assertThat(Arrays.copyOfRange(b, PAYLOAD + AEAD_HEADER, PAYLOAD + AEAD_HEADER + length)).as("the lab's key opens it: packet A")
            .isEqualTo(a);
      }
    }
    streamer.join(5000);
    try (CaptureReader capture = CaptureReader.open(file)) {
      while (capture.next() != null) {
        // The secrets block comes before the packets; read them all the same.
      }
      assertThat(TunnelKey.fromSecrets(capture.decryptionSecrets())).extracting(TunnelKey::id)
          .containsExactly(key.id());
    }
    String udp = Cmd.ok("tshark", "-r", file.toString(), "-Y", "udp.dstport == 5556", "-T", "fields",
        "-e", "frame.interface_name");
    assertThat(udp).as("tshark reads the stream past its secrets block").contains("tl-eth0");
  }

  @Test
  void aStoppedTunnelTakesItsTunAndRoutesAwayAndStartingItBringsThemBack() throws Exception {
    LabSettings settings = TestLabs.settings(dir);
    try (Lab lab = Lab.up(Topology.parse("tunnels.topology", TOPOLOGY + "route client 198.51.100.0/24 via 198.18.0.2\n"),
        settings)) {
      String client = settings.namespace("client");
      assertThat(Cmd.ok("ip", "-n", client, "route")).contains("198.51.100.0/24 via 198.18.0.2 dev tl-tun0");

      assertThat(lab.stopTunnel("client", "tl-tun0")).contains("kill the tunnel process in " + client);
      assertThat(Cmd.run("ip", "-n", client, "link", "show", "tl-tun0").exitCode()).as("the TUN is gone").isNotZero();
      assertThat(Cmd.ok("ip", "-n", client, "route")).doesNotContain("tl-tun0 ").doesNotContain("198.51.100.0/24");
      ActionResult down = lab.run("client", Duration.ofSeconds(5), "ping", "-c1", "-W1", "198.18.0.2");
      assertThat(down.succeeded()).isFalse();

      assertThat(lab.startTunnel("client", "tl-tun0")).contains("tunlab tunnel client");
      assertThat(Cmd.ok("ip", "-n", client, "route")).contains("198.18.0.0/24 dev tl-tun0",
          "198.51.100.0/24 via 198.18.0.2 dev tl-tun0");
      try (PacketWatch reply = lab.watch(p -> p.on("client", "tl-tun0") && p.direction() == Direction.INBOUND
          && p.buffer().get(9) == 1)) {
        ActionResult up = lab.run("client", Duration.ofSeconds(5), "ping", "-c1", "-W2", "198.18.0.2");
        assertThat(up.succeeded()).as(up.output()).isTrue();
        assertThat(reply.await(Duration.ofSeconds(2))).as("the restarted tunnel is captured as before").isPresent();
      }
    }
  }
}
