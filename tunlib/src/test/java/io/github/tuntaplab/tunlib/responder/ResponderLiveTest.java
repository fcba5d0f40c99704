package io.github.tuntaplab.tunlib.responder;

import java.nio.channels.Channels;
import io.github.tuntaplab.tunlib.packet.LinkType;
import io.github.tuntaplab.tunlib.capture.CapturedPacket;
import io.github.tuntaplab.tunlib.capture.CaptureReader;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.tuntaplab.tunlib.testsupport.Cmd;
import io.github.tuntaplab.tunlib.testsupport.LiveTest;
import io.github.tuntaplab.tunlib.testsupport.Prerequisites;
import io.github.tuntaplab.tunlib.testsupport.TestNamespace;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The kernel as the judge: a veth pair in a throwaway namespace, the kernel's side {@code tl-a}
 * (198.19.0.1, 2001:db8:19::1), and on the far side {@code tl-b} the responder, which reads what
 * the kernel sends through {@code tcpdump -w -} and writes its replies back onto the wire with
 * socat's packet socket. {@code ping} must succeed, the kernel must learn the responder's MAC
 * from its ARP reply and neighbour advertisement, and its duplicate address detection must fail
 * for an address the responder owns. Receive checksumming is off on {@code tl-a}, so the kernel
 * verifies every checksum (a veth otherwise marks what it delivers as already verified).
 */
@LiveTest
class ResponderLiveTest {
  private static TestNamespace ns;
  private static Process tcpdump;
  private static Thread responderLoop;
  private static final Responder RESPONDER = ReplyOracle.tapResponder();
  private static final List<byte[][]> EXCHANGES = new ArrayList<>();
  private static final AtomicBoolean CORRUPT_NEXT_ECHO = new AtomicBoolean();
  private static Path injectDir;

  @TempDir
  Path dir;

  @BeforeAll
  static void wireUpTheLink() throws Exception {
    for (String tool : List.of("tcpdump", "socat", "ping", "ethtool")) {
      Prerequisites.requireTool(tool);
    }
    ns = TestNamespace.create();
    injectDir = Files.createTempDirectory("tl-responder");
    ns.ip("link", "add", "tl-a", "type", "veth", "peer", "name", "tl-b");
    ns.ip("link", "set", "tl-b", "address", ReplyOracle.MAC);
    // The far end stays silent by itself: only the responder answers there.
    ns.exec("sysctl", "-qw", "net.ipv6.conf.tl-b.disable_ipv6=1").orThrow();
    ns.exec("ethtool", "-K", "tl-a", "rx", "off").orThrow();
    // ping through ICMP datagram sockets, whose replies pass the kernel's ICMP checksum check
    // (a raw socket gets every packet before that check, and iputils does not check either).
    ns.exec("sysctl", "-qw", "net.ipv4.ping_group_range=0 2147483647").orThrow();
    ns.ip("link", "set", "tl-b", "up");
    ns.ip("link", "set", "tl-a", "up");
    ns.ip("addr", "add", "198.19.0.1/24", "dev", "tl-a");
    ns.ip("addr", "add", "2001:db8:19::1/64", "dev", "tl-a", "nodad");

    tcpdump = ns.start("tcpdump", "-Q", "in", "-i", "tl-b", "--immediate-mode", "-U", "-w", "-");
    CountDownLatch listening = new CountDownLatch(1);
    Thread stderr = new Thread(() -> {
      try (BufferedReader lines = new BufferedReader(
          new InputStreamReader(tcpdump.getErrorStream(), StandardCharsets.UTF_8))) {
        for (String line = lines.readLine(); line != null; line = lines.readLine()) {
          if (line.contains("listening on")) {
            listening.countDown();
          }
        }
      } catch (IOException e) {
        // tcpdump ended
      }
    }, "tcpdump stderr");
    stderr.setDaemon(true);
    stderr.start();
    assertThat(listening.await(10, TimeUnit.SECONDS)).as("tcpdump listening on tl-b").isTrue();

    responderLoop = new Thread(ResponderLiveTest::answerUntilTcpdumpStops, "responder");
    responderLoop.setDaemon(true);
    responderLoop.start();
  }

  @AfterAll
  static void tearDown() throws Exception {
    if (tcpdump != null) {
      tcpdump.destroy();
      tcpdump.waitFor(5, TimeUnit.SECONDS);
    }
    if (responderLoop != null) {
      responderLoop.join(5000);
    }
    if (ns != null) {
      ns.close();
    }
    if (injectDir != null) {
      try (var files = Files.list(injectDir)) {
        for (Path file : files.toList()) {
          Files.delete(file);
        }
      }
      Files.delete(injectDir);
    }
  }

  @BeforeEach
  void forgetEarlierExchanges() {
    CORRUPT_NEXT_ECHO.set(false);
    synchronized (EXCHANGES) {
      EXCHANGES.clear();
    }
  }

  private static void answerUntilTcpdumpStops() {
    ByteBuffer reply = ByteBuffer.allocateDirect(65_536);
    try (CaptureReader frames = CaptureReader.open(Channels.newChannel(tcpdump.getInputStream()))) {
      for (CapturedPacket packet = frames.next(); packet != null; packet = frames.next()) {
        byte[] frame = packet.data();
        reply.clear();
        int length = RESPONDER.respond(ByteBuffer.wrap(frame).asReadOnlyBuffer(), reply);
        if (length == 0) {
          continue;
        }
        byte[] bytes = new byte[length];
        reply.get(0, bytes);
        boolean isEcho = bytes[12] == 0x08 && bytes[13] == 0x00;
        if (isEcho && CORRUPT_NEXT_ECHO.getAndSet(false)) {
          bytes[length - 1] ^= 0x01; // the ICMP checksum no longer matches
        }
        inject(bytes);
        synchronized (EXCHANGES) {
          EXCHANGES.add(new byte[][] {frame, bytes});
        }
      }
    } catch (IOException e) {
      // tcpdump stopped: the test is over
    }
  }

  /** Sends one frame out of tl-b, so tl-a receives it, through an AF_PACKET socket. */
  private static void inject(byte[] frame) {
    try {
      Path file = Files.createTempFile(injectDir, "reply", ".bin");
      Files.write(file, frame);
      ns.exec(10, "socat", "-u", "OPEN:" + file, "INTERFACE:tl-b").orThrow();
      Files.delete(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Test
  void pingOverIpv4SucceedsAfterTheKernelLearnsTheMacFromTheArpReply() {
    ns.ip("neigh", "flush", "dev", "tl-a");
    assertPingSucceeds("ping", "-c", "1", "-W", "5", "198.19.0.2");
    assertThat(ns.ip("neigh", "show", "198.19.0.2", "dev", "tl-a"))
        .contains("lladdr " + ReplyOracle.MAC).containsAnyOf("REACHABLE", "DELAY", "STALE");
    assertRepliesJudgedByTshark(2, "arp", "icmp");
  }

  @Test
  void pingWithIpv4OptionsAndALargePayloadSucceeds() {
    assertPingSucceeds("ping", "-c", "1", "-W", "5", "-R", "198.19.0.2");
    assertPingSucceeds("ping", "-c", "1", "-W", "5", "-s", "1400", "198.19.0.2");
  }

  @Test
  void pingOverIpv6SucceedsAfterTheKernelLearnsTheMacFromTheAdvertisement() {
    ns.ip("-6", "neigh", "flush", "dev", "tl-a");
    assertPingSucceeds("ping", "-6", "-c", "1", "-W", "5", "2001:db8:19::2");
    assertPingSucceeds("ping", "-6", "-c", "1", "-W", "5", "-s", "1400", "2001:db8:19::2");
    // The Solicited flag makes the entry REACHABLE; without it the kernel would keep it STALE.
    assertThat(ns.ip("-6", "neigh", "show", "2001:db8:19::2", "dev", "tl-a"))
        .contains("lladdr " + ReplyOracle.MAC).containsAnyOf("REACHABLE", "DELAY");
    assertRepliesJudgedByTshark(3, "icmpv6");
  }

  @Test
  void theKernelsDuplicateAddressDetectionFailsForAnAddressTheResponderOwns() throws InterruptedException {
    ns.ip("addr", "add", "2001:db8:19::99/64", "dev", "tl-a");
    String state = "";
    for (int i = 0; i < 50 && !state.contains("dadfailed"); i++) {
      Thread.sleep(100);
      state = ns.ip("-6", "addr", "show", "dev", "tl-a", "to", "2001:db8:19::99/128");
    }
    assertThat(state).as("tl-a's 2001:db8:19::99 after DAD").contains("dadfailed");
    ns.ip("addr", "del", "2001:db8:19::99/64", "dev", "tl-a");
  }

  @Test
  void aCorruptedReplyIsDroppedByTheKernelSoTheChecksumsAboveWereReallyChecked() {
    assertPingSucceeds("ping", "-c", "1", "-W", "5", "198.19.0.2"); // resolves ARP first
    CORRUPT_NEXT_ECHO.set(true);
    Cmd.Result ping = ns.exec(10, "ping", "-c", "1", "-W", "2", "198.19.0.2");
    assertThat(ping.exitCode()).as(ping.stdout()).isNotZero();
    assertThat(ping.stdout()).contains("0 received").doesNotContain("wrong data");
  }

  private static void assertPingSucceeds(String... command) {
    Cmd.Result ping = ns.exec(15, command);
    assertThat(ping.exitCode()).as(String.join(" ", command) + "\n" + ping.stdout() + ping.stderr()).isZero();
    assertThat(ping.stdout()).contains("1 received").doesNotContain("BAD CHECKSUM", "wrong data", "DUP!");
  }

  /** The live exchange so far, in tshark's reading: at least {@code minimum} replies, all right. */
  private void assertRepliesJudgedByTshark(int minimum, String... protocols) {
    List<byte[]> requests = new ArrayList<>();
    List<byte[]> replies = new ArrayList<>();
    synchronized (EXCHANGES) {
      for (byte[][] exchange : EXCHANGES) {
        requests.add(exchange[0]);
        replies.add(exchange[1]);
      }
    }
    assertThat(replies).as("replies written by the responder").hasSizeGreaterThanOrEqualTo(minimum);
    ReplyOracle.assertRepliesAnswer(dir, LinkType.ETHERNET, requests, replies);
    Path capture = dir.resolve("exchange.pcap");
    String protocolsSeen = Cmd.ok("tshark", "-n", "-r", capture.toString(), "-T", "fields", "-e", "frame.protocols");
    for (String protocol : protocols) {
      assertThat(protocolsSeen).contains(":" + protocol);
    }
  }
}
