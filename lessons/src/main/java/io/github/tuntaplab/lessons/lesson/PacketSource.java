package io.github.tuntaplab.lessons.lesson;

/**
 * Where a checkpoint looks for packets: {@code on LINK} (both directions, as {@code tcpdump -i LINK}
 * sees them), {@code read from LINK} (what the program behind a TUN or TAP read from its file
 * descriptor, with the packet-information header when the device has one) or {@code decrypted on
 * LINK} (the packets on the link with each of the lab's aead tunnel messages opened by the lab's
 * key: the plaintext in the ciphertext's place), from byte {@code offset} on ({@code +14}).
 */
public record PacketSource(LinkRef link, boolean read, int offset, boolean decrypted) {
  public PacketSource(LinkRef link, boolean read, int offset) {
    this(link, read, offset, false);
  }

  /** Parses {@code on tl-tap0+14}, {@code read from l4-pi/tl-tun0} or {@code decrypted on client/tl-eth0+58}. */
  public static PacketSource parse(String text) {
    String rest;
    boolean read = false;
    boolean decrypted = false;
    if (text.startsWith("on ")) {
      rest = text.substring(3).strip();
    } else if (text.startsWith("read from ")) {
      rest = text.substring(10).strip();
      read = true;
    } else if (text.startsWith("decrypted on ")) {
      rest = text.substring(13).strip();
      decrypted = true;
    } else {
      throw new IllegalArgumentException("'" + text + "' is not a packet source: 'on LINK', 'read from LINK' or "
          + "'decrypted on LINK'");
    }
    int plus = rest.indexOf('+');
    int offset = 0;
    if (plus >= 0) {
      try {
        offset = Integer.parseInt(rest.substring(plus + 1));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("'" + rest + "': after + comes a byte offset, such as +14");
      }
      rest = rest.substring(0, plus);
    }
    return new PacketSource(LinkRef.parse(rest), read, offset, decrypted);
  }

  /** The source in words, in every language: {@code on tl-tap0+14}, {@code 在 tl-tap0+14 上}. */
  Message said() {
    return Message.of(read ? "verdict.source.read" : decrypted ? "verdict.source.decrypted" : "verdict.source.on",
        link + (offset != 0 ? "+" + offset : ""));
  }

  @Override
  public String toString() {
    return said().in(Language.ENGLISH);
  }
}
