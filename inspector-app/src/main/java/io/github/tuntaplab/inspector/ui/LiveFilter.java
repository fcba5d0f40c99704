package io.github.tuntaplab.inspector.ui;

import io.github.tuntaplab.tunlib.capture.CaptureReader;
import io.github.tuntaplab.tunlib.capture.PacketFilter;
import io.github.tuntaplab.tunlib.packet.LinkType;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * A tcpdump filter on a live session's packets as they arrive: compiled by libpcap once per link
 * type and run on the thread that reads the lab's stream ({@link #offer}), never on the FX thread.
 * The packets that came before it was applied were judged once, on the background thread
 * ({@code before}). The FX thread shows, per pane, those and then the arrivals that passed,
 * taking the new ones with {@link #catchUp}; the others are hidden.
 */
final class LiveFilter implements AutoCloseable {
  private final String expression;
  /** The first packet number judged on arrival; the ones below were judged before. */
  private final int from;
  /** Per link type, the compiled filter, or empty when the expression cannot apply to that link type. */
  private final Map<Integer, Optional<PacketFilter>> compiled;
  /** Reading thread: the arrivals that passed, per pane. */
  private final Map<PaneKind, IntList> passed = new EnumMap<>(PaneKind.class);
  /** FX thread: the rows shown, per pane, and how many of {@link #passed} they hold. */
  private final Map<PaneKind, IntList> rows = new EnumMap<>(PaneKind.class);
  private final Map<PaneKind, Integer> taken = new EnumMap<>(PaneKind.class);
  private Map<PaneKind, IntList> before;
  /** Reading thread: the bytes of the packet being judged, reused. */
  private byte[] judged = new byte[2048];

  LiveFilter(String expression, int from, Map<Integer, PacketFilter> compiled) {
    this.expression = expression;
    this.from = from;
    this.compiled = new HashMap<>();
    compiled.forEach((linkType, filter) -> this.compiled.put(linkType, Optional.of(filter)));
    for (PaneKind pane : PaneKind.values()) {
      passed.put(pane, new IntList(1024));
      taken.put(pane, 0);
    }
  }

  int from() {
    return from;
  }

  /** Background thread: what passed among the packets before {@link #from}, per pane. */
  void judgedBefore(Map<PaneKind, IntList> passedBefore) {
    this.before = passedBefore;
  }

  /** Reading thread: judges packet {@code number}, which {@code arriving} has just read and which goes to {@code pane}. */
  void offer(PaneKind pane, int number, CaptureReader arriving) {
    LinkType linkType = arriving.packetLinkType();
    Optional<PacketFilter> filter = compiled.computeIfAbsent(linkType.value(), type -> {
      try {
        return Optional.of(PacketFilter.compile(linkType, CaptureSession.SNAP_LENGTH, expression));
      } catch (PacketFilter.FilterException e) {
        return Optional.empty(); // e.g. an Ethernet-only expression on a TUN's link type: nothing passes
      }
    });
    int length = arriving.packetCapturedLength();
    if (length > judged.length) {
      judged = new byte[Math.max(length, judged.length * 2)];
    }
    arriving.copyPacket(judged, 0);
    if (filter.isPresent() && filter.get().matches(judged, length, arriving.packetOriginalLength())) {
      passed.get(pane).add(number);
    }
  }

  /** FX thread: adds to each pane's rows the arrivals that passed since the last call. */
  void catchUp() {
    for (PaneKind pane : PaneKind.values()) {
      IntList shown = rows.computeIfAbsent(pane, p -> copy(before.get(p)));
      IntList arrived = passed.get(pane);
      int count = arrived.size();
      for (int i = taken.get(pane); i < count; i++) {
        shown.add(arrived.get(i));
      }
      taken.put(pane, count);
    }
  }

  /** FX thread: the rows the pane shows, as of the last {@link #catchUp}. */
  IntList rows(PaneKind pane) {
    return rows.get(pane);
  }

  private static IntList copy(IntList list) {
    IntList copy = new IntList(list.size() + 1024);
    for (int i = 0, n = list.size(); i < n; i++) {
      copy.add(list.get(i));
    }
    return copy;
  }

  /** Frees the compiled filters; call where no packet is being offered. */
  @Override
  public void close() {
    compiled.values().forEach(filter -> filter.ifPresent(PacketFilter::close));
  }
}
