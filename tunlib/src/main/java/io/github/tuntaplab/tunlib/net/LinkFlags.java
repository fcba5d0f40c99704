package io.github.tuntaplab.tunlib.net;

import java.util.ArrayList;
import java.util.List;

/**
 * A link's {@code IFF_*} flags, rendered the way {@code ip link} prints them between angle
 * brackets: TUN shows {@code POINTOPOINT,MULTICAST,NOARP}, TAP {@code BROADCAST,MULTICAST}.
 */
public record LinkFlags(int bits) {
  public static final int UP = 0x1;
  public static final int BROADCAST = 0x2;
  public static final int DEBUG = 0x4;
  public static final int LOOPBACK = 0x8;
  public static final int POINTOPOINT = 0x10;
  public static final int NOTRAILERS = 0x20;
  public static final int RUNNING = 0x40;
  public static final int NOARP = 0x80;
  public static final int PROMISC = 0x100;
  public static final int ALLMULTI = 0x200;
  public static final int MASTER = 0x400;
  public static final int SLAVE = 0x800;
  public static final int MULTICAST = 0x1000;
  public static final int PORTSEL = 0x2000;
  public static final int AUTOMEDIA = 0x4000;
  public static final int DYNAMIC = 0x8000;
  public static final int LOWER_UP = 0x10000;
  public static final int DORMANT = 0x20000;
  public static final int ECHO = 0x40000;

  // iproute2's print_link_flags order.
  private static final int[] ORDER = {LOOPBACK, BROADCAST, POINTOPOINT, MULTICAST, NOARP, ALLMULTI,
      PROMISC, NOTRAILERS, DEBUG, DYNAMIC, AUTOMEDIA, PORTSEL, MASTER, SLAVE, UP, LOWER_UP, DORMANT, ECHO};
  private static final String[] NAMES = {"LOOPBACK", "BROADCAST", "POINTOPOINT", "MULTICAST", "NOARP",
      "ALLMULTI", "PROMISC", "NOTRAILERS", "DEBUG", "DYNAMIC", "AUTOMEDIA", "PORTSEL", "MASTER", "SLAVE",
      "UP", "LOWER_UP", "DORMANT", "ECHO"};

  public boolean has(int flag) {
    return (bits & flag) == flag;
  }

  /** The names in iproute2's order, {@code NO-CARRIER} first for a link that is up without carrier. */
  public List<String> names() {
    List<String> names = new ArrayList<>();
    int rest = bits;
    if (has(UP) && !has(RUNNING)) {
      names.add("NO-CARRIER");
    }
    rest &= ~RUNNING;
    for (int i = 0; i < ORDER.length; i++) {
      if ((rest & ORDER[i]) != 0) {
        names.add(NAMES[i]);
        rest &= ~ORDER[i];
      }
    }
    if (rest != 0) {
      names.add(Integer.toHexString(rest));
    }
    return names;
  }

  /** {@code <POINTOPOINT,MULTICAST,NOARP,UP,LOWER_UP>}, exactly as {@code ip link} shows it. */
  @Override
  public String toString() {
    return "<" + String.join(",", names()) + ">";
  }
}
