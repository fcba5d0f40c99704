package io.github.tuntaplab.tunlib.net;

import java.util.ArrayList;
import java.util.List;

/**
 * The state bits of a neighbour entry ({@code NUD_*}). A static entry is {@link #PERMANENT};
 * the kernel's own ARP/NDP moves entries through INCOMPLETE, REACHABLE, STALE, DELAY, PROBE.
 */
public record NeighbourState(int bits) {
  public static final NeighbourState NONE = new NeighbourState(0);
  public static final NeighbourState INCOMPLETE = new NeighbourState(0x01);
  public static final NeighbourState REACHABLE = new NeighbourState(0x02);
  public static final NeighbourState STALE = new NeighbourState(0x04);
  public static final NeighbourState DELAY = new NeighbourState(0x08);
  public static final NeighbourState PROBE = new NeighbourState(0x10);
  public static final NeighbourState FAILED = new NeighbourState(0x20);
  public static final NeighbourState NOARP = new NeighbourState(0x40);
  public static final NeighbourState PERMANENT = new NeighbourState(0x80);

  private static final String[] NAMES = {"INCOMPLETE", "REACHABLE", "STALE", "DELAY", "PROBE", "FAILED",
      "NOARP", "PERMANENT"};

  /** The names {@code ip -j neigh} lists in its {@code state} array, lowest bit first. */
  public List<String> names() {
    List<String> names = new ArrayList<>();
    for (int bit = 0; bit < NAMES.length; bit++) {
      if ((bits & (1 << bit)) != 0) {
        names.add(NAMES[bit]);
      }
    }
    if (bits >> NAMES.length != 0) {
      names.add("0x" + Integer.toHexString(bits >> NAMES.length << NAMES.length));
    }
    if (names.isEmpty()) {
      names.add("NONE");
    }
    return names;
  }

  /** The word {@code ip neigh add … nud} accepts: {@code permanent}, {@code reachable}, … */
  public String nudName() {
    return String.join("+", names()).toLowerCase();
  }

  @Override
  public String toString() {
    return String.join(",", names());
  }
}
