package io.github.tuntaplab.tunlib.tunnel;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.tuntaplab.tunlib.net.IpPrefix;
import io.github.tuntaplab.tunlib.packet.InternetChecksum;
import io.github.tuntaplab.tunlib.testsupport.LiveTest;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * Our AEAD server against a raw UDP sender that builds messages from the documented format alone
 * (its own ChaCha20-Poly1305 sealing, not ours): authentic messages are delivered, also out of
 * order within the window, and the kernel's echo replies come back sealed the documented way;
 * tampered, replayed, too-old, foreign-key and wrong-direction messages are dropped and counted; a
 * restarted sender (a new session, counting from 0) is accepted.
 */
@LiveTest
class AeadSecurityLiveTest {
  private static final long BASE = 1_000_000;
  private static final long SESSION = 0x5e55_1011_0000_0001L;

  private final byte[] key = new byte[32];
  private final byte[] otherKey = new byte[32];

  @Test
  void authenticMessagesPassAndEveryForgeryIsDroppedAndCounted() throws Exception {
    SecureRandom random = new SecureRandom();
    random.nextBytes(key);
    random.nextBytes(otherKey);
    try (Underlay underlay = new Underlay();
        Tunnel server = Underlay.in(underlay.server, () -> Tunnel.start(
            TunnelConfig.server(Encapsulation.aead(TunnelKey.of(key)), "tl-tun0", Underlay.server(5556))
                .withAddresses(List.of(IpPrefix.parse("198.18.0.2/24")))));
        DatagramChannel raw = Underlay.in(underlay.client, () -> DatagramChannel.open()
            .bind(new InetSocketAddress(Underlay.CLIENT_IP, 0)))) {
      raw.socket().setSoTimeout(300);
      InetSocketAddress target = Underlay.server(5556);
      Supplier<TunnelStats> stats = server::stats;

      byte[] first = AeadReference.seal(key, 0, SESSION, BASE, echoRequest(1));
      raw.send(ByteBuffer.wrap(first), target);
      awaitCount(() -> stats.get().receivedPackets(), 1);

      raw.send(ByteBuffer.wrap(first), target);
      awaitCount(() -> stats.get().replayed(), 1);

      byte[] flippedCiphertext = AeadReference.seal(key, 0, SESSION, BASE + 1, echoRequest(2));
      flippedCiphertext[30] ^= 1;
      raw.send(ByteBuffer.wrap(flippedCiphertext), target);
      awaitCount(() -> stats.get().tampered(), 1);

      byte[] changedCounter = AeadReference.seal(key, 0, SESSION, BASE + 2, echoRequest(2));
      changedCounter[15] ^= 1;
      raw.send(ByteBuffer.wrap(changedCounter), target);
      awaitCount(() -> stats.get().tampered(), 2);

      raw.send(ByteBuffer.wrap(AeadReference.seal(key, 0, SESSION, BASE + 10, echoRequest(3))), target);
      raw.send(ByteBuffer.wrap(AeadReference.seal(key, 0, SESSION, BASE + 5, echoRequest(4))), target);
      awaitCount(() -> stats.get().receivedPackets(), 3);

      raw.send(ByteBuffer.wrap(AeadReference.seal(key, 0, SESSION, BASE + 10 + 5000, echoRequest(5))), target);
      awaitCount(() -> stats.get().receivedPackets(), 4);
      raw.send(ByteBuffer.wrap(AeadReference.seal(key, 0, SESSION, BASE + 20, echoRequest(6))), target);
      awaitCount(() -> stats.get().tooOld(), 1);
      raw.send(ByteBuffer.wrap(AeadReference.seal(key, 0, SESSION, BASE + 4000, echoRequest(7))), target);
      awaitCount(() -> stats.get().receivedPackets(), 5);

      raw.send(ByteBuffer.wrap(AeadReference.seal(otherKey, 0, SESSION, BASE + 6000, echoRequest(8))), target);
      awaitCount(() -> stats.get().unknownKey(), 1);
      raw.send(ByteBuffer.wrap(AeadReference.seal(key, 1, SESSION, BASE + 6001, echoRequest(9))), target);
      awaitCount(() -> stats.get().malformed(), 1);
      raw.send(ByteBuffer.wrap(Arrays.copyOf(first, 20)), target);
      awaitCount(() -> stats.get().malformed(), 2);

      // The sender restarts: a new session, its counters from 0 again; the old session's messages stay spent.
      raw.send(ByteBuffer.wrap(AeadReference.seal(key, 0, SESSION + 1, 0, echoRequest(10))), target);
      awaitCount(() -> stats.get().receivedPackets(), 6);
      raw.send(ByteBuffer.wrap(first), target);
      awaitCount(() -> stats.get().tooOld(), 2);

      List<Integer> replies = new ArrayList<>();
      long replySession = 0;
      long lastCounter = -1;
      while (true) {
        java.net.DatagramPacket datagram = new java.net.DatagramPacket(new byte[2048], 2048);
        try {
          raw.socket().receive(datagram);
        } catch (SocketTimeoutException noMore) {
          break;
        }
        byte[] message = Arrays.copyOf(datagram.getData(), datagram.getLength());
        ByteBuffer header = ByteBuffer.wrap(message);
        assertThat(header.get(0)).as("type").isEqualTo((byte) 2);
        assertThat(header.get(1)).as("direction server to client").isEqualTo((byte) 1);
        assertThat(header.getInt(4)).as("key id").isEqualTo(AeadReference.keyId(key));
        assertThat(replySession == 0 || header.getLong(8) == replySession).as("one server session").isTrue();
        replySession = header.getLong(8);
        assertThat(header.getLong(16)).as("counters increase from 0").isGreaterThan(lastCounter).isLessThan(1000);
        lastCounter = header.getLong(16);
        byte[] inner = AeadReference.open(key, message);
        if ((inner[0] & 0xff) == 0x45 && inner[9] == 1 && inner[20] == 0) { // IPv4 ICMP echo reply
          replies.add(ByteBuffer.wrap(inner).getShort(26) & 0xffff);
        }
      }
      assertThat(replies).as("echo replies, by sequence number").containsExactlyInAnyOrder(1, 3, 4, 5, 7, 10);
      TunnelStats end = server.stats();
      assertThat(List.of(end.receivedPackets(), end.replayed(), end.tampered(), end.tooOld(), end.unknownKey(),
          end.malformed())).as(end.toString()).containsExactly(6L, 1L, 2L, 2L, 1L, 2L);
    }
  }

  /**
   * A client restarted with the same key starts a new session (a new random id, counters from 0
   * again) and the running server takes it at once: no nonce of the first run is reused, and no
   * message of the second run looks replayed or too old.
   */
  @Test
  void aRestartedClientIsANewSessionTheServerAccepts() throws Exception {
    TunnelKey shared = TunnelKey.generate();
    Encapsulation aead = Encapsulation.aead(shared);
    try (Underlay underlay = new Underlay();
        Tunnel server = Underlay.in(underlay.server, () -> Tunnel.start(
            TunnelConfig.server(aead, "tl-tun0", Underlay.server(5556))
                .withAddresses(List.of(IpPrefix.parse("198.18.0.2/24")))))) {
      for (int run = 0; run < 2; run++) {
        try (Tunnel client = Underlay.in(underlay.client, () -> Tunnel.start(
            TunnelConfig.client(aead, "tl-tun0", Underlay.server(5556))
                .withAddresses(List.of(IpPrefix.parse("198.18.0.1/24")))))) {
          underlay.client.exec("ping", "-c", "3", "-i", "0.2", "-W", "2", "198.18.0.2").orThrow();
          TunnelLiveTest.assertNothingRejected(client.stats());
        }
      }
      TunnelLiveTest.assertNothingRejected(server.stats());
      assertThat(server.stats().receivedPackets()).isGreaterThanOrEqualTo(6);
    }
  }

  private static void awaitCount(LongSupplier counter, long expected) throws InterruptedException {
    for (int i = 0; i < 100 && counter.getAsLong() < expected; i++) {
      Thread.sleep(20);
    }
    assertThat(counter.getAsLong()).isEqualTo(expected);
  }

  /** An ICMP echo request 198.18.0.1 → 198.18.0.2 with sequence number {@code sequence}. */
  static byte[] echoRequest(int sequence) {
    ByteBuffer packet = ByteBuffer.allocate(20 + 8 + 32);
    packet.put((byte) 0x45).put((byte) 0).putShort((short) packet.capacity()).putShort((short) sequence)
        .putShort((short) 0x4000).put((byte) 64).put((byte) 1).putShort((short) 0)
        .put(new byte[] {(byte) 198, 18, 0, 1}).put(new byte[] {(byte) 198, 18, 0, 2});
    packet.putShort(10, (short) InternetChecksum.finish(InternetChecksum.add(0, packet, 0, 20)));
    packet.put((byte) 8).put((byte) 0).putShort((short) 0).putShort((short) 0x7475).putShort((short) sequence);
    packet.put("tunlab AEAD echo payload bytes..".getBytes(StandardCharsets.US_ASCII));
    packet.putShort(22, (short) InternetChecksum.finish(InternetChecksum.add(0, packet, 20, 40)));
    return packet.array();
  }
}
