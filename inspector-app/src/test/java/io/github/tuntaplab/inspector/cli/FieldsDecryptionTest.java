package io.github.tuntaplab.inspector.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.tuntaplab.tunlib.capture.DecryptionSecrets;
import io.github.tuntaplab.tunlib.capture.PcapngWriter;
import io.github.tuntaplab.tunlib.packet.LinkType;
import io.github.tuntaplab.tunlib.tunnel.AeadReference;
import io.github.tuntaplab.tunlib.tunnel.TunnelKey;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code tunlab fields} opens AEAD tunnel packets with the key a file's Decryption Secrets Block carries. */
class FieldsDecryptionTest {
  @Test
  void theSecretsBlockKeyRevealsTheInnerPacketAndItsAbsenceDoesNot(@TempDir Path dir) throws Exception {
    byte[] key = new byte[32];
    new SecureRandom().nextBytes(key);
    byte[] frame = frame(AeadReference.seal(key, 0, 0x0123456789abcdefL, 7, innerUdp()));
    Path withKey = dir.resolve("with-key.pcapng");
    Path withoutKey = dir.resolve("without-key.pcapng");
    for (Path file : new Path[] {withKey, withoutKey}) {
      try (PcapngWriter out = PcapngWriter.create(file)) {
        if (file.equals(withKey)) {
          out.writeDecryptionSecrets(new DecryptionSecrets(TunnelKey.SECRETS_TYPE,
              TunnelKey.of(key).keyLogLine().getBytes(StandardCharsets.US_ASCII)));
        }
        int id = out.addInterface(LinkType.ETHERNET, "tl-eth1", 0);
        out.write(id, Instant.EPOCH, frame, 0, frame.length, frame.length, null);
      }
    }
    Tunlab opened = Tunlab.run("fields", "-d", "5556=tunlab_aead", withKey.toString());
    assertThat(opened.exitCode()).isZero();
    assertThat(opened.stdout()).contains("\"name\":\"tunlab\",\"offset\":42")
        .contains("\"name\":\"ip\",\"offset\":66,\"length\":20,\"depth\":1")
        .contains("\"value\":\"198.18.0.2\"").doesNotContain("tunlab.ciphertext");
    Tunlab sealed = Tunlab.run("fields", "-d", "5556=tunlab_aead", withoutKey.toString());
    assertThat(sealed.stdout()).contains("tunlab.ciphertext").doesNotContain("\"depth\":1");
  }

  /** IPv4 UDP 198.18.0.1:7 → 198.18.0.2:9, "hello" (checksums are not what this test is about). */
  private static byte[] innerUdp() {
    return ByteBuffer.allocate(33).put((byte) 0x45).put((byte) 0).putShort((short) 33).putInt(0)
        .put((byte) 64).put((byte) 17).putShort((short) 0).put(new byte[] {(byte) 198, 18, 0, 1})
        .put(new byte[] {(byte) 198, 18, 0, 2}).putShort((short) 7).putShort((short) 9).putShort((short) 13)
        .putShort((short) 0).put("hello".getBytes(StandardCharsets.US_ASCII)).array();
  }

  /** Ethernet, IPv4 203.0.113.2 → 203.0.113.89, UDP 40000 → 5556, then {@code payload}. */
  private static byte[] frame(byte[] payload) {
    int ipLength = 20 + 8 + payload.length;
    return ByteBuffer.allocate(14 + ipLength).put(new byte[] {2, 0, 0, 0, 0, 2, 2, 0, 0, 0, 0, 1})
        .putShort((short) 0x0800).put((byte) 0x45).put((byte) 0).putShort((short) ipLength).putInt(0)
        .put((byte) 64).put((byte) 17).putShort((short) 0).put(new byte[] {(byte) 203, 0, 113, 2})
        .put(new byte[] {(byte) 203, 0, 113, 89}).putShort((short) 40000).putShort((short) 5556)
        .putShort((short) (8 + payload.length)).putShort((short) 0).put(payload).array();
  }
}
