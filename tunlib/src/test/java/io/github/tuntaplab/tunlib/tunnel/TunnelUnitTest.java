package io.github.tuntaplab.tunlib.tunnel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.tuntaplab.tunlib.net.AddressFamily;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The pure parts: MTU arithmetic, key files, the replay window, sealing and opening. */
class TunnelUnitTest {
  @Test
  void mtuArithmeticForEachFormatAndUnderlay() {
    assertThat(new TunnelMtu(1500, AddressFamily.INET, Encapsulation.plain()).arithmetic())
        .isEqualTo("1500 − 20 (IPv4) − 8 (UDP) = 1472");
    assertThat(new TunnelMtu(1500, AddressFamily.INET6, Encapsulation.plain()).arithmetic())
        .isEqualTo("1500 − 40 (IPv6) − 8 (UDP) = 1452");
    assertThat(new TunnelMtu(1500, AddressFamily.INET, Encapsulation.aead(TunnelKey.generate())).arithmetic())
        .isEqualTo("1500 − 20 (IPv4) − 8 (UDP) − 40 (AEAD header 24 + tag 16) = 1432");
    assertThat(new TunnelMtu(1500, AddressFamily.INET6, Encapsulation.vxlan(1)).value()).isEqualTo(1430);
    assertThatThrownBy(() -> new TunnelMtu(100, AddressFamily.INET6, Encapsulation.plain()))
        .hasMessageContaining("68 bytes");
  }

  @Test
  void dropReasonsNameEveryNonZeroCounter() {
    TunnelStats none = new TunnelStats(5, 500, 4, 400, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
    assertThat(none.dropped()).isZero();
    assertThat(none.dropReasons()).isEqualTo("none");
    TunnelStats some = new TunnelStats(5, 500, 4, 400, 1, 0, 2, 0, 0, 0, 3, 0, 0, 4);
    assertThat(some.dropped()).isEqualTo(10);
    assertThat(some.dropReasons()).isEqualTo("malformed 1, tampered 2, noPeer 3, looped 4");
  }

  @Test
  void ourOwnOuterPacketIsRecognisedAndNothingElse() {
    RoutingLoop loop = RoutingLoop.towards(new java.net.InetSocketAddress("203.0.113.89", 5555));
    // IPv4 header (20) + UDP header (8): 198.18.0.1:40000 -> 203.0.113.89:5555, protocol 17.
    ByteBuffer udp = ByteBuffer.allocate(30).put(new byte[] {0x45, 0, 0, 30, 0, 1, 0x40, 0, 64, 17, 0, 0,
        (byte) 198, 18, 0, 1, (byte) 203, 0, 113, 89, (byte) 0x9c, 0x40, 0x15, (byte) 0xb3, 0, 10, 0, 0, 1, 2});
    assertThat(loop.isOuterPacket(udp, 0, 30)).isTrue();
    assertThat(loop.isOuterPacket(copy(udp).put(23, (byte) 0xb4), 0, 30)).as("another port").isFalse();
    assertThat(loop.isOuterPacket(copy(udp).put(19, (byte) 8), 0, 30)).as("another host").isFalse();
    assertThat(loop.isOuterPacket(copy(udp).put(9, (byte) 6), 0, 30)).as("TCP").isFalse();
    assertThat(loop.isOuterPacket(copy(udp).putShort(6, (short) 0x00b9), 0, 30)).as("a later fragment").isFalse();
    assertThat(loop.isOuterPacket(udp, 0, 27)).as("cut short").isFalse();
    assertThat(loop.isOuterPacket(udp, 0, 30)).as("the original, unchanged").isTrue();
    assertThat(RoutingLoop.towards(null)).as("a server without a peer yet").isNull();
  }

  private static ByteBuffer copy(ByteBuffer buffer) {
    ByteBuffer copy = ByteBuffer.allocate(buffer.capacity());
    return copy.put(buffer.duplicate().clear()).clear();
  }

  @Test
  void keyFilesAreWrittenPrivateAndLooserOnesRefused(@TempDir Path dir) throws IOException {
    TunnelKey key = TunnelKey.generate();
    Path file = dir.resolve("tunnel.key");
    key.write(file);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
    assertThat(TunnelKey.read(file).id()).isEqualTo(key.id());
    assertThat(key.toString()).doesNotContain(key.keyLogLine().split(" ")[2]);
    assertThatThrownBy(() -> key.write(file)).hasMessageContaining("refusing to overwrite");
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
    assertThatThrownBy(() -> TunnelKey.read(file)).isInstanceOf(IOException.class)
        .hasMessageContaining("rw-r--r--").hasMessageContaining("chmod 600");
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
    Files.writeString(file, "not a key\n");
    assertThatThrownBy(() -> TunnelKey.read(file)).hasMessageContaining("base64");
  }

  @Test
  void keyLogLinesRoundTripAndDamagedOnesAreSkipped() {
    TunnelKey one = TunnelKey.generate();
    TunnelKey two = TunnelKey.generate();
    String[] words = two.keyLogLine().split(" ");
    String wrongId = words[0] + " " + String.format("%08x", two.id() ^ 1) + " " + words[2];
    String log = one.keyLogLine() + "\n# a comment\n" + wrongId + "\n" + two.keyLogLine() + "\nTUNLAB_AEAD_KEY 1 !!\n";
    assertThat(TunnelKey.parseKeyLog(log)).extracting(TunnelKey::id).containsExactly(one.id(), two.id());
  }

  /** Against a plain set of every counter seen: the window agrees wherever it remembers. */
  @Test
  void replayWindowAcceptsEachCounterOnceAndRefusesTheTooOld() {
    Random random = new Random(7);
    ReplayWindow window = new ReplayWindow();
    Set<Long> seen = new HashSet<>();
    long highest = -1;
    for (int i = 0; i < 200_000; i++) {
      long counter = Math.max(0, highest + random.nextInt(200) - 150 + (random.nextInt(1000) == 0 ? 5000 : 0)
          - (random.nextInt(1000) == 0 ? 3000 : 0));
      int verdict = window.accept(counter);
      if (highest >= 0 && highest - counter >= ReplayWindow.SIZE) {
        assertThat(verdict).as("counter %d below highest %d", counter, highest).isEqualTo(Codec.TOO_OLD);
      } else if (seen.contains(counter)) {
        assertThat(verdict).as("counter %d again", counter).isEqualTo(Codec.REPLAYED);
      } else {
        assertThat(verdict).as("new counter %d", counter).isZero();
        seen.add(counter);
        highest = Math.max(highest, counter);
      }
    }
  }

  /** RFC 5869 appendix A, test cases 1 and 3 (HMAC-SHA256; case 3 without salt and info). */
  @Test
  void hkdfGivesTheRfc5869TestVectors() {
    HexFormat hex = HexFormat.of();
    byte[] ikm = hex.parseHex("0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b");
    assertThat(hex.formatHex(Hkdf.sha256(hex.parseHex("000102030405060708090a0b0c"), ikm,
        hex.parseHex("f0f1f2f3f4f5f6f7f8f9"), 42))).isEqualTo(
        "3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865");
    assertThat(hex.formatHex(Hkdf.sha256(new byte[0], ikm, new byte[0], 42))).isEqualTo(
        "8da4e775a563c18f715f802a063c5a31b8a11f5c5ee1879ec3454e5f3c738d2d9d201395faa4b61a96c8");
  }

  /** Ours against the reference written from docs/tunnel.md (the JDK's cipher and HMAC), both ways. */
  @Test
  void sealedPacketsFollowTheDocumentedFormatAndOpenOnlyOnTheOtherSide() throws Exception {
    TunnelKey key = TunnelKey.generate();
    AeadCodec client = new AeadCodec(key, 0);
    AeadCodec server = new AeadCodec(key, 1);
    byte[] inner = "E... an inner packet of some length".getBytes(StandardCharsets.US_ASCII);
    byte[] wire = seal(client, inner);
    assertThat(wire).hasSize(inner.length + 40);
    ByteBuffer header = ByteBuffer.wrap(wire);
    assertThat(List.of(header.getInt(0), header.getInt(4), header.getLong(8), header.getLong(16)))
        .containsExactly(0x02000000, key.id(), client.sendSession(), 0L);
    assertThat(AeadReference.open(key.secret(), wire)).isEqualTo(inner);
    assertThat(seal(client, inner)).as("the second message").startsWith(Arrays.copyOf(wire, 16))
        .satisfies(next -> assertThat(ByteBuffer.wrap(next).getLong(16)).isEqualTo(1));

    assertThat(open(client, wire)).as("an end refuses its own direction").isEqualTo(Codec.MALFORMED);
    assertThat(open(server, wire)).isEqualTo(inner.length);
    ByteBuffer opened = ByteBuffer.wrap(wire.clone());
    assertThat(new AeadCodec(key, 1).open(opened, 0, wire.length)).isEqualTo(inner.length);
    assertThat(Arrays.copyOfRange(opened.array(), 24, 24 + inner.length)).isEqualTo(inner);
    assertThat(open(server, wire)).isEqualTo(Codec.REPLAYED);

    byte[] fromReference = AeadReference.seal(key.secret(), 1, 77, 5, inner);
    assertThat(open(client, fromReference)).isEqualTo(inner.length);
    for (int i : List.of(1, 3, 5, 9, 12, 20, 30, fromReference.length - 1)) {
      byte[] changed = fromReference.clone();
      changed[i] ^= 0x10;
      assertThat(open(new AeadCodec(key, 0), changed)).as("byte %d changed", i)
          .isIn(Codec.TAMPERED, Codec.MALFORMED, Codec.UNKNOWN_KEY);
    }
    assertThat(open(new AeadCodec(TunnelKey.generate(), 1), wire)).isEqualTo(Codec.UNKNOWN_KEY);
  }

  /**
   * Per session: tampered, replayed, too old and reordered messages; a restarted sender (a new
   * session, counters from 0 again) is accepted while the old session's messages still cannot be
   * replayed; a retired session stays refused.
   */
  @Test
  void eachSenderSessionHasItsOwnReplayWindowAndRetiredOnesStayRefused() throws Exception {
    byte[] key = TunnelKey.generate().secret();
    AeadCodec server = new AeadCodec(TunnelKey.of(key), 1);
    byte[] inner = new byte[40];
    long first = 0x1234_5678_9abc_def0L;
    assertThat(open(server, AeadReference.seal(key, 0, first, 0, inner))).isEqualTo(40);
    byte[] ten = AeadReference.seal(key, 0, first, 10, inner);
    assertThat(open(server, ten)).isEqualTo(40);
    assertThat(open(server, AeadReference.seal(key, 0, first, 5, inner))).as("reordered").isEqualTo(40);
    assertThat(open(server, ten)).isEqualTo(Codec.REPLAYED);
    byte[] tampered = AeadReference.seal(key, 0, first, 11, inner);
    tampered[30] ^= 1;
    assertThat(open(server, tampered)).isEqualTo(Codec.TAMPERED);
    assertThat(open(server, AeadReference.seal(key, 0, first, 11, inner))).as("the tag failed, so 11 is still new")
        .isEqualTo(40);
    assertThat(open(server, AeadReference.seal(key, 0, first, 11 + ReplayWindow.SIZE + 1, inner))).isEqualTo(40);
    assertThat(open(server, AeadReference.seal(key, 0, first, 6, inner))).isEqualTo(Codec.TOO_OLD);

    long restarted = first + 1;
    assertThat(open(server, AeadReference.seal(key, 0, restarted, 0, inner))).as("a restarted sender").isEqualTo(40);
    assertThat(open(server, AeadReference.seal(key, 0, restarted, 1, inner))).isEqualTo(40);
    assertThat(open(server, ten)).as("the old session's replay").isEqualTo(Codec.TOO_OLD);
    byte[] forgedSession = AeadReference.seal(key, 0, restarted + 1, 0, inner);
    forgedSession[8] ^= 1; // a session id changed on the way: its key is wrong, nothing is admitted
    assertThat(open(server, forgedSession)).isEqualTo(Codec.TAMPERED);

    for (long other = 1; other <= ReceivedSessions.ACTIVE; other++) {
      assertThat(open(server, AeadReference.seal(key, 0, first + 100 + other, 0, inner))).isEqualTo(40);
    }
    assertThat(open(server, AeadReference.seal(key, 0, first, 20_000, inner)))
        .as("the first session, retired by the newer ones").isEqualTo(Codec.TOO_OLD);
  }

  /**
   * The nonce-reuse hazard: whatever the clock says, two sender sessions under one static key never
   * encrypt under the same (key, nonce). A thousand sessions started at once, three messages each,
   * each message's key and nonce recomputed from its header the documented way.
   */
  @Test
  void senderSessionsUnderOneKeyNeverRepeatAKeyAndNonce() throws Exception {
    TunnelKey key = TunnelKey.generate();
    Set<String> keyAndNonce = new HashSet<>();
    Set<Long> sessions = new HashSet<>();
    HexFormat hex = HexFormat.of();
    int messages = 0;
    for (int i = 0; i < 1000; i++) {
      AeadCodec sender = new AeadCodec(key, i & 1);
      sessions.add(sender.sendSession());
      for (int m = 0; m < 3; m++) {
        byte[] header = Arrays.copyOf(seal(sender, new byte[20]), 24);
        ByteBuffer fields = ByteBuffer.wrap(header);
        keyAndNonce.add(hex.formatHex(AeadReference.sessionKey(key.secret(), fields.get(1), fields.getLong(8)))
            + hex.formatHex(AeadReference.nonce(header)));
        messages++;
      }
    }
    assertThat(sessions).hasSize(1000);
    assertThat(keyAndNonce).hasSize(messages);
  }

  private static byte[] seal(AeadCodec codec, byte[] inner) {
    ByteBuffer buffer = ByteBuffer.allocateDirect(inner.length + 100);
    buffer.put(AeadCodec.HEADER_LENGTH, inner);
    int sealed = codec.seal(buffer, 0, inner.length);
    byte[] wire = new byte[sealed];
    buffer.get(0, wire);
    return wire;
  }

  /** Opens a copy of {@code wire} from a direct buffer, as the tunnel does. */
  private static int open(AeadCodec codec, byte[] wire) {
    ByteBuffer buffer = ByteBuffer.allocateDirect(wire.length + 8);
    buffer.put(4, wire);
    return codec.open(buffer, 4, wire.length);
  }
}
