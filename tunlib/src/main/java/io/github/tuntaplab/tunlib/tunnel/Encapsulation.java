package io.github.tuntaplab.tunlib.tunnel;

import io.github.tuntaplab.tunlib.device.DeviceKind;
import io.github.tuntaplab.tunlib.packet.DecodeAs;
import java.util.Objects;

/**
 * How a tunnel wraps packet A into the UDP payload of packet B. Three formats, each described with
 * its bytes in docs/tunnel.md:
 * <ul>
 *   <li>{@link #plain()}: IP-in-UDP, the payload is the bare inner IP packet (socat's
 *       {@code UDP:… TUN:…,iff-no-pi} tunnel); no header, no protection;
 *   <li>{@link #aead(TunnelKey)}: the inner IP packet encrypted and authenticated with
 *       ChaCha20-Poly1305 under a shared key, with a replay window;
 *   <li>{@link #vxlan(int)}: for a TAP, Ethernet frames after an RFC 7348 VXLAN header (the
 *       kernel's {@code vxlan} device).
 * </ul>
 */
public sealed interface Encapsulation {
  /** The UDP port this format uses unless told otherwise. */
  int defaultPort();

  /** Bytes the format adds inside the UDP payload. */
  int overhead();

  /** TUN for the IP formats, TAP for VXLAN. */
  DeviceKind deviceKind();

  /** What a dissector should decode the format's UDP port as. */
  DecodeAs decodeAs();

  /** A short name for messages, e.g. {@code "plain"}. */
  String name();

  /** The overhead explained, e.g. {@code "40 (AEAD header 24 + tag 16)"}. */
  String overheadText();

  static Encapsulation plain() {
    return new Plain();
  }

  static Encapsulation aead(TunnelKey key) {
    return new Aead(key);
  }

  static Encapsulation vxlan(int vni) {
    return new Vxlan(vni);
  }

  /** IP-in-UDP. */
  record Plain() implements Encapsulation {
    @Override
    public int defaultPort() {
      return 5555;
    }

    @Override
    public int overhead() {
      return 0;
    }

    @Override
    public DeviceKind deviceKind() {
      return DeviceKind.TUN;
    }

    @Override
    public DecodeAs decodeAs() {
      return DecodeAs.RAW_IP;
    }

    @Override
    public String name() {
      return "plain";
    }

    @Override
    public String overheadText() {
      return "0 (no header: the payload is the inner packet)";
    }
  }

  /** ChaCha20-Poly1305 under {@code key}. */
  record Aead(TunnelKey key) implements Encapsulation {
    public Aead {
      Objects.requireNonNull(key, "key");
    }

    @Override
    public int defaultPort() {
      return 5556;
    }

    @Override
    public int overhead() {
      return AeadCodec.HEADER_LENGTH + AeadCodec.TAG_LENGTH;
    }

    @Override
    public DeviceKind deviceKind() {
      return DeviceKind.TUN;
    }

    @Override
    public DecodeAs decodeAs() {
      return DecodeAs.TUNLAB_AEAD;
    }

    @Override
    public String name() {
      return "aead";
    }

    @Override
    public String overheadText() {
      return overhead() + " (AEAD header " + AeadCodec.HEADER_LENGTH + " + tag " + AeadCodec.TAG_LENGTH + ")";
    }
  }

  /** VXLAN with network identifier {@code vni} (24 bits). */
  record Vxlan(int vni) implements Encapsulation {
    public Vxlan {
      if (vni < 0 || vni > 0xffffff) {
        throw new IllegalArgumentException("a VXLAN network identifier has 24 bits (0..16777215), not " + vni);
      }
    }

    @Override
    public int defaultPort() {
      return 4789;
    }

    @Override
    public int overhead() {
      return VxlanCodec.HEADER_LENGTH + DeviceKind.TAP.linkHeaderLength();
    }

    @Override
    public DeviceKind deviceKind() {
      return DeviceKind.TAP;
    }

    @Override
    public DecodeAs decodeAs() {
      return DecodeAs.VXLAN;
    }

    @Override
    public String name() {
      return "vxlan";
    }

    @Override
    public String overheadText() {
      return VxlanCodec.HEADER_LENGTH + " (VXLAN) − " + DeviceKind.TAP.linkHeaderLength() + " (inner Ethernet)";
    }
  }
}
