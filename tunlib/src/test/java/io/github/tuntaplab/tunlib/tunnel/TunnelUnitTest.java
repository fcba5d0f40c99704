package io.github.tuntaplab.tunlib.tunnel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.tuntaplab.tunlib.net.AddressFamily;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashSet;
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
        .isEqualTo("1500 − 20 (IPv4) − 8 (UDP) − 32 (AEAD header 16 + tag 16) = 1440");
    assertThat(new TunnelMtu(1500, AddressFamily.INET6, Encapsulation.vxlan(1)).value()).isEqualTo(1430);
    assertThatThrownBy(() -> new TunnelMtu(100, AddressFamily.INET6, Encapsulation.plain()))
        .hasMessageContaining("68 bytes");
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

  @Test
  void sealedPacketsOpenOnTheOtherSideOnlyOnceAndNotWhenChanged() {
    TunnelKey key = TunnelKey.generate();
    AeadCodec client = new AeadCodec(key, 0, 1);
    AeadCodec server = new AeadCodec(key, 1, 1);
    ByteBuffer buffer = ByteBuffer.allocateDirect(200);
    byte[] inner = "E... an inner packet of some length".getBytes();
    buffer.put(16, inner);
    int sealed = client.seal(buffer, 0, inner.length);
    assertThat(sealed).isEqualTo(inner.length + 32);
    byte[] wire = new byte[sealed];
    buffer.get(0, wire);
    assertThat(client.open(buffer, 0, sealed)).as("an end refuses its own direction").isEqualTo(Codec.MALFORMED);
    assertThat(server.open(ByteBuffer.wrap(wire.clone()), 0, sealed)).isEqualTo(inner.length);
    ByteBuffer opened = ByteBuffer.wrap(wire.clone());
    assertThat(new AeadCodec(key, 1, 1).open(opened, 0, sealed)).isEqualTo(inner.length);
    byte[] plaintext = new byte[inner.length];
    opened.get(16, plaintext);
    assertThat(plaintext).isEqualTo(inner);
    assertThat(server.open(ByteBuffer.wrap(wire.clone()), 0, sealed)).isEqualTo(Codec.REPLAYED);
    for (int i : List.of(1, 3, 5, 9, 20, sealed - 1)) {
      byte[] changed = wire.clone();
      changed[i] ^= 0x10;
      assertThat(new AeadCodec(key, 1, 1).open(ByteBuffer.wrap(changed), 0, sealed)).as("byte %d changed", i)
          .isIn(Codec.TAMPERED, Codec.MALFORMED, Codec.UNKNOWN_KEY);
    }
    assertThat(new AeadCodec(TunnelKey.generate(), 1, 1).open(ByteBuffer.wrap(wire.clone()), 0, sealed))
        .isEqualTo(Codec.UNKNOWN_KEY);
  }
}
