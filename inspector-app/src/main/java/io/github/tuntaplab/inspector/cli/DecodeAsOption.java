package io.github.tuntaplab.inspector.cli;

import io.github.tuntaplab.tunlib.capture.DecryptionSecrets;
import io.github.tuntaplab.tunlib.packet.DecodeAs;
import io.github.tuntaplab.tunlib.packet.Dissector;
import io.github.tuntaplab.tunlib.tunnel.TunnelKey;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code -d PORT=PROTOCOL}, shared by the commands that dissect: tshark's "decode as". */
final class DecodeAsOption {
  @Spec(Spec.Target.MIXEE)
  CommandSpec spec;

  @Option(names = {"-d", "--decode-as"}, paramLabel = "PORT=PROTOCOL",
      description = {"decode UDP PORT as PROTOCOL (raw_ip, ethernet, vxlan, wireguard, tunlab_aead), like tshark's -d;",
          "repeatable; VXLAN on 4789 and WireGuard on 51820 are standard"})
  Map<Integer, DecodeAs> decodeAs = Map.of();

  /**
   * {@code dissector}, also decrypting TunTap Lab AEAD tunnel messages with the keys a capture's
   * Decryption Secrets Blocks carry (type {@link TunnelKey#SECRETS_TYPE}); unchanged without such keys.
   */
  static Dissector withKeysFrom(List<DecryptionSecrets> secrets, Dissector dissector) {
    List<TunnelKey> keys = TunnelKey.fromSecrets(secrets);
    return keys.isEmpty() ? dissector : dissector.withDecryption(TunnelKey.decryption(keys));
  }

  /** The standard dissector with the rules given. */
  Dissector dissector() {
    Dissector dissector = Dissector.standard();
    for (Map.Entry<Integer, DecodeAs> rule : decodeAs.entrySet()) {
      if (rule.getKey() < 0 || rule.getKey() > 0xffff) {
        throw new ParameterException(spec.commandLine(), "--decode-as: a UDP port is 0..65535, not " + rule.getKey());
      }
      dissector = dissector.withDecodeAs(rule.getKey(), rule.getValue());
    }
    return dissector;
  }
}
