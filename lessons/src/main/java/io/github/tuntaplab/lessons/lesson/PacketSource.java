package io.github.tuntaplab.lessons.lesson;

/**
 * Where a checkpoint looks for packets: {@code on LINK} (both directions, as {@code tcpdump -i LINK}
 * sees them) or {@code read from LINK} (what the program behind a TUN or TAP read from its file
 * descriptor, with the packet-information header when the device has one), from byte
 * {@code offset} on ({@code +14}).
 */
public record PacketSource(LinkRef link, boolean read, int offset) {
  /** Parses {@code on tl-tap0+14} or {@code read from l4-pi/tl-tun0}. */
  public static PacketSource parse(String text) {
    String rest;
    boolean read;
    if (text.startsWith("on ")) {
      rest = text.substring(3).strip();
      read = false;
    } else if (text.startsWith("read from ")) {
      rest = text.substring(10).strip();
      read = true;
    } else {
      throw new IllegalArgumentException("'" + text + "' is not a packet source: 'on LINK' or 'read from LINK'");
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
    return new PacketSource(LinkRef.parse(rest), read, offset);
  }

  @Override
  public String toString() {
    return (read ? "read from " : "on ") + link + (offset != 0 ? "+" + offset : "");
  }
}
