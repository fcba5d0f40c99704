package io.github.tuntaplab.tunlib.net;

import java.util.ArrayList;
import java.util.List;

/**
 * The kernel's flags on a route it reports ({@code rtm_flags}: {@code RTNH_F_*} and
 * {@code RTM_F_*}), named as {@code ip route} prints them. The one a student meets is
 * {@link #LINKDOWN}: the route's device has no carrier, e.g. a TUN that no program holds open.
 */
public record RouteFlags(int bits) {
  public static final RouteFlags NONE = new RouteFlags(0);
  public static final int DEAD = 0x1;
  public static final int PERVASIVE = 0x2;
  public static final int ONLINK = 0x4;
  public static final int OFFLOAD = 0x8;
  public static final int LINKDOWN = 0x10;
  public static final int UNRESOLVED = 0x20;
  public static final int TRAP = 0x40;
  public static final int NOTIFY = 0x100;
  public static final int RT_OFFLOAD = 0x2000;
  public static final int RT_TRAP = 0x4000;

  // iproute2's print_rt_flags order; other bits (such as RTM_F_CLONED) it does not print.
  private static final int[] ORDER = {DEAD, ONLINK, PERVASIVE, OFFLOAD, TRAP, NOTIFY, LINKDOWN, UNRESOLVED,
      RT_OFFLOAD, RT_TRAP};
  private static final String[] NAMES = {"dead", "onlink", "pervasive", "offload", "trap", "notify", "linkdown",
      "unresolved", "rt_offload", "rt_trap"};

  /** The flag {@code ip route} prints as {@code name} ({@code linkdown}), or empty when it is no flag's name. */
  public static java.util.OptionalInt bit(String name) {
    for (int i = 0; i < NAMES.length; i++) {
      if (NAMES[i].equals(name)) {
        return java.util.OptionalInt.of(ORDER[i]);
      }
    }
    return java.util.OptionalInt.empty();
  }

  public boolean has(int flag) {
    return (bits & flag) == flag;
  }

  /** The names {@code ip route} prints after the metric, in its order. */
  public List<String> names() {
    List<String> names = new ArrayList<>();
    for (int i = 0; i < ORDER.length; i++) {
      if (has(ORDER[i])) {
        names.add(NAMES[i]);
      }
    }
    return names;
  }

  @Override
  public String toString() {
    return String.join(",", names());
  }
}
