package io.github.tuntaplab.tunlib.packet;

/**
 * What a UDP port carries when the port alone must say it (Wireshark's "Decode As"): the payload
 * of a tunnel is dissected as this protocol, one encapsulation level deeper.
 */
public enum DecodeAs {
  /** A bare IPv4 or IPv6 packet (an IP-in-UDP tunnel); the version nibble decides. */
  RAW_IP,
  /** An Ethernet frame (an Ethernet-in-UDP tunnel). */
  ETHERNET,
  /** A VXLAN header followed by an Ethernet frame (RFC 7348). */
  VXLAN,
  /** A WireGuard message: the headers are shown, the payload stays ciphertext. */
  WIREGUARD,
  /**
   * TunTap Lab's AEAD tunnel message (docs/tunnel.md): the header, ciphertext and tag are shown;
   * with a key ({@link Dissector#withDecryption}) the inner packet is decrypted and dissected too.
   */
  TUNLAB_AEAD
}
