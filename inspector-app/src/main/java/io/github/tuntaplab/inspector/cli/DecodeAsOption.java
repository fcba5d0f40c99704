package io.github.tuntaplab.inspector.cli;

import io.github.tuntaplab.tunlib.capture.DecryptionSecrets;
import io.github.tuntaplab.tunlib.packet.DecodeAs;
import io.github.tuntaplab.tunlib.packet.Dissector;
import io.github.tuntaplab.tunlib.tunnel.TunnelKey;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.TypeConversionException;

/**
 * {@code --decode-as udp.port=PORT:PROTOCOL} (also {@code -d PORT=PROTOCOL}), shared by the
 * commands that dissect: what a UDP port carries, as Wireshark's "Decode As".
 */
final class DecodeAsOption {
  /** Accepted protocol names: the short ones of the issue and tshark's, and the library's. */
  private static final Map<String, DecodeAs> PROTOCOLS = Map.of(
      "ip", DecodeAs.RAW_IP, "raw_ip", DecodeAs.RAW_IP,
      "eth", DecodeAs.ETHERNET, "ethernet", DecodeAs.ETHERNET,
      "vxlan", DecodeAs.VXLAN, "wireguard", DecodeAs.WIREGUARD, "wg", DecodeAs.WIREGUARD,
      "tunlab_aead", DecodeAs.TUNLAB_AEAD);
  private static final String SPELLING = "udp.port=PORT:PROTOCOL (or PORT=PROTOCOL) with PROTOCOL one of "
      + "ip, eth, vxlan, wireguard, tunlab_aead";

  /** One rule: UDP {@code port} (either direction) carries {@code protocol}. */
  record Rule(int port, DecodeAs protocol) {}

  @Option(names = {"-d", "--decode-as"}, paramLabel = "udp.port=PORT:PROTOCOL", converter = RuleConverter.class,
      description = {"decode UDP PORT (either direction) as PROTOCOL: ip (an IP-in-UDP tunnel), eth "
          + "(Ethernet in UDP), vxlan, wireguard or tunlab_aead (our AEAD tunnel); repeatable. PORT=PROTOCOL works too. VXLAN on 4789 and "
          + "WireGuard on 51820 are standard. print shows the tunnelled packet on the next line."})
  List<Rule> rules = List.of();

  /**
   * {@code dissector}, also decrypting TunTap Lab AEAD tunnel messages with the keys a capture's
   * Decryption Secrets Blocks carry (type {@link TunnelKey#SECRETS_TYPE}); unchanged without such keys.
   */
  static Dissector withKeysFrom(List<DecryptionSecrets> secrets, Dissector dissector) {
    List<TunnelKey> keys = new ArrayList<>();
    for (DecryptionSecrets block : secrets) {
      if (block.type() == TunnelKey.SECRETS_TYPE) {
        keys.addAll(TunnelKey.parseKeyLog(new String(block.data(), StandardCharsets.US_ASCII)));
      }
    }
    return keys.isEmpty() ? dissector : dissector.withDecryption(TunnelKey.decryption(keys));
  }

  /** The standard dissector with the rules given. */
  Dissector dissector() {
    Dissector dissector = Dissector.standard();
    for (Rule rule : rules) {
      dissector = dissector.withDecodeAs(rule.port(), rule.protocol());
    }
    return dissector;
  }

  /** Parses one rule; picocli turns the exception's message into a usage error (exit code 2). */
  static final class RuleConverter implements ITypeConverter<Rule> {
    @Override
    public Rule convert(String value) {
      String rule = value.strip();
      String port;
      String protocol;
      if (rule.startsWith("udp.port=")) {
        int colon = rule.indexOf(':');
        if (colon < 0) {
          throw new TypeConversionException("'" + value + "' names no protocol; expected " + SPELLING);
        }
        port = rule.substring("udp.port=".length(), colon);
        protocol = rule.substring(colon + 1);
      } else {
        int equals = rule.indexOf('=');
        if (equals < 0) {
          throw new TypeConversionException("'" + value + "' is not a rule; expected " + SPELLING);
        }
        port = rule.substring(0, equals);
        protocol = rule.substring(equals + 1);
      }
      DecodeAs decodeAs = PROTOCOLS.get(protocol.strip().toLowerCase(Locale.ROOT));
      if (decodeAs == null) {
        throw new TypeConversionException("unknown protocol '" + protocol + "' in '" + value + "'; expected "
            + SPELLING);
      }
      return new Rule(port(port, value), decodeAs);
    }

    private static int port(String text, String value) {
      int port;
      try {
        port = Integer.parseInt(text.strip());
      } catch (NumberFormatException e) {
        throw new TypeConversionException("'" + text + "' in '" + value + "' is not a UDP port (0..65535)");
      }
      if (port < 0 || port > 0xffff) {
        throw new TypeConversionException("a UDP port is 0..65535, not " + port);
      }
      return port;
    }
  }
}
