package io.github.tuntaplab.inspector.ui;

import io.github.tuntaplab.tunlib.capture.CaptureFormatException;
import io.github.tuntaplab.tunlib.capture.CaptureIndex;
import io.github.tuntaplab.tunlib.capture.CaptureReader;
import io.github.tuntaplab.tunlib.capture.CaptureWriter;
import io.github.tuntaplab.tunlib.capture.CapturedPacket;
import io.github.tuntaplab.tunlib.capture.PacketFilter;
import io.github.tuntaplab.tunlib.capture.PcapWriter;
import io.github.tuntaplab.tunlib.capture.PcapngWriter;
import io.github.tuntaplab.tunlib.packet.Dissection;
import io.github.tuntaplab.tunlib.packet.Dissector;
import io.github.tuntaplab.tunlib.packet.LinkType;
import io.github.tuntaplab.tunlib.text.TcpdumpOptions;
import io.github.tuntaplab.tunlib.text.TcpdumpPrinter;
import java.time.ZoneId;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One open capture file: its index (8 bytes a packet), and which packets each pane shows (4 bytes
 * a packet). Packets are read and dissected only when a row is shown or selected. The index
 * grows on a background thread ({@link #load}) while the panes already show what is indexed.
 * A live session ({@link #live}) holds a lab's packets in memory instead, appended by the thread
 * that reads the lab's stream ({@link #append}).
 */
public final class CaptureSession implements AutoCloseable {
  /** How far (in file order) to look for the same packet seen on another device. */
  private static final int LINK_WINDOW = 64;
  /** The snapshot length filters are compiled for: every byte of a lab's packets. */
  static final int SNAP_LENGTH = 262_144;

  private final Path file;
  /** The file's index; null for a live session. */
  private final CaptureIndex index;
  private final LivePackets live;
  /** A lab's stream names its TAP, TUN and veths: panes by kind, not by arrival order. */
  private final boolean labPlacement;
  /** For tcpdump's text: exactly what tcpdump decodes. */
  private final Dissector textDissector = Dissector.standard();
  /** For the tree, the highlighting and the links: also a plain IP-in-UDP tunnel's inner packet. */
  private final Dissector dissector = textDissector.withIpInUdpDetection();
  private final Map<PaneKind, IntList> members = new EnumMap<>(PaneKind.class);
  /** Held while a live packet is kept and sorted, and while a filter for the arrivals is put in place. */
  private final Object appending = new Object();
  /** The filter the arrivals are judged by, if any; guarded by {@link #appending}. */
  private LiveFilter liveFilter;
  /** Per interface number: its pane, link type and name, as the scan meets them. */
  private volatile List<InterfaceInfo> interfaces = List.of();

  /**
   * An interface of the file, and the pane its packets go to.
   *
   * @param name the pcapng {@code if_name}, or null
   * @param description the pcapng {@code if_description}, or null
   */
  public record InterfaceInfo(int number, LinkType linkType, String name, String description, PaneKind pane) {
    private static final Pattern NAMESPACE = Pattern.compile("\\bin namespace (\\S+)");

    /**
     * The tcpdump command that shows this interface's packets live: inside its network namespace
     * when the description names one, as the lab's do ({@code veth in namespace tl-router}).
     */
    public String liveCommand() {
      String namespace = namespaceIn(description);
      return "sudo " + (namespace != null ? "ip netns exec " + namespace + " " : "") + "tcpdump -nn -e -XX -i "
          + (name == null ? "IFACE" : name);
    }

    /** The network namespace an interface description names ({@code veth in namespace tl-router}), or null. */
    public static String namespaceIn(String description) {
      Matcher namespace = NAMESPACE.matcher(description == null ? "" : description);
      return namespace.find() ? namespace.group(1) : null;
    }
  }

  /** Progress of {@link #load}. */
  @FunctionalInterface
  public interface Progress {
    /** Called now and then from the loading thread: packets indexed, and how far through the file. */
    void loaded(int packets, double fraction);
  }

  private CaptureSession(Path file, CaptureIndex index, LivePackets live) {
    this.file = file;
    this.index = index;
    this.live = live;
    this.labPlacement = live != null;
    for (PaneKind kind : PaneKind.values()) {
      members.put(kind, new IntList(1024));
    }
  }

  /** Opens a file to {@link #load}; fails at once if it is no capture at all. */
  public static CaptureSession open(Path file) throws IOException {
    return new CaptureSession(file, CaptureIndex.start(file), null);
  }

  /**
   * A session that a lab's live stream fills through {@link #append}, keeping at most
   * {@code maxBytes} of packets (in a spool file; the heap holds 27 bytes a packet);
   * {@code source} names it (the lab's socket).
   */
  public static CaptureSession live(Path source, long maxBytes) {
    return new CaptureSession(source, null, new LivePackets(maxBytes));
  }

  /**
   * No spool file can be made for a live session's packets ({@link #live}): its directory is missing,
   * not writable, or its disk refuses. {@link #said} tells where, why, and how to choose another.
   */
  public static final class SpoolUnavailable extends UncheckedIOException {
    private final String directory;

    SpoolUnavailable(Path directory, IOException cause) {
      super("cannot create a spool file for live packets in " + directory, cause);
      this.directory = directory.toString();
    }

    /** One line for the live bar: the directory, the system's reason, the properties that choose it. */
    public Phrase said() {
      IOException cause = getCause();
      Phrase why = cause instanceof NoSuchFileException ? Phrase.of("live.spool.missing")
          : cause instanceof AccessDeniedException ? Phrase.of("live.spool.denied")
          : Phrase.verbatim(String.valueOf(cause.getMessage()));
      return Phrase.of("live.spool.unavailable", directory, why, LivePackets.DIRECTORY_PROPERTY);
    }
  }

  /**
   * Keeps the live packet {@code arriving} has just read and sorts it into its pane; from one thread
   * (the stream's reader) only. Returns false, keeping nothing, when a bound is reached.
   */
  public boolean append(CaptureReader arriving) {
    synchronized (appending) {
      int number = live.add(arriving);
      if (number < 0) {
        return false;
      }
      PaneKind pane = paneOf(arriving.packetInterfaceIndex(), arriving.packetLinkType(),
          arriving.packetInterfaceName(), arriving.packetInterfaceDescription());
      members.get(pane).add(number);
      if (liveFilter != null) {
        liveFilter.offer(pane, number, arriving);
      }
      return true;
    }
  }

  /**
   * Applies a tcpdump filter to a live session: from now on the reading thread judges each packet
   * as it arrives; the packets that came before are judged here, on the calling thread. Returns
   * the filter, or null when cancelled (then no filter applies to the arrivals).
   */
  LiveFilter filterLive(String expression, BooleanSupplier cancelled) throws PacketFilter.FilterException {
    Map<Integer, PacketFilter> compiled = compile(expression);
    LiveFilter filter;
    synchronized (appending) {
      filter = new LiveFilter(expression, live.size(), compiled);
      replaceLiveFilter(filter);
    }
    Map<PaneKind, IntList> before;
    try {
      before = filter(expression, cancelled, filter.from());
    } catch (RuntimeException e) {
      stopLiveFilter(); // a filter that could not judge what came before judges no arrivals either
      throw e;
    }
    if (before == null) {
      stopLiveFilter();
      return null;
    }
    filter.judgedBefore(before);
    return filter;
  }

  /** Judges the arrivals by no filter any more. */
  void stopLiveFilter() {
    synchronized (appending) {
      replaceLiveFilter(null);
    }
  }

  private void replaceLiveFilter(LiveFilter next) {
    if (liveFilter != null) {
      liveFilter.close();
    }
    liveFilter = next;
  }

  /**
   * What keeps a live session from keeping the packets arriving now, in words (its spool's disk is
   * full: where, how large, how many packets it holds); null when nothing does, and for a file.
   */
  public Phrase keepingProblem() {
    LivePackets.SpoolFull full = live == null ? null : live.spoolFull();
    return full == null ? null : Phrase.of("live.spool.full", full.directory(), full.diskBytes() / (1024.0 * 1024),
        full.error(), size());
  }

  /** Whether this session shows a lab's live stream rather than a file. */
  public boolean isLive() {
    return live != null;
  }

  public Path file() {
    return file;
  }

  /**
   * Indexes the file on the calling thread, sorting packets into panes and reporting progress
   * about every {@code everyMillis} (and after the first packets, so the first rows show at once).
   * Stops early when {@code cancelled} says so.
   */
  public void load(BooleanSupplier cancelled, Progress progress, long everyMillis) throws IOException {
    long fileSize = java.nio.file.Files.size(file);
    long[] nextReport = {System.nanoTime()};
    index.scan((number, packet) -> {
      if (number == 0) {
        warmUp(packet);
      }
      members.get(paneOf(packet)).add(number);
      long now = System.nanoTime();
      if (number == 99 || now >= nextReport[0]) {
        nextReport[0] = now + everyMillis * 1_000_000;
        progress.loaded(number + 1, fileSize == 0 ? 1 : (double) packet.fileOffset() / fileSize);
        return !cancelled.getAsBoolean();
      }
      return true;
    });
    members.values().forEach(IntList::trim);
    progress.loaded(index.size(), 1);
  }

  /**
   * Dissects and prints the first packet here, off the FX thread, so that the classes behind the
   * first rows are loaded and initialised before the FX thread draws them.
   */
  private void warmUp(CapturedPacket packet) {
    byte[] data = packet.data();
    new TcpdumpPrinter(new TcpdumpOptions(true, 0, false, TcpdumpOptions.Timestamps.TIME_OF_DAY,
        TcpdumpOptions.HexDump.HEX_ASCII_WITH_LINK, ZoneId.systemDefault()))
        .print(new StringBuilder(), packet.timestamp(), dissectForText(packet, data), data, 0);
    dissect(packet, data);
  }

  private PaneKind paneOf(CapturedPacket packet) {
    return paneOf(packet.interfaceIndex(), packet.linkType(), packet.interfaceName(), packet.interfaceDescription());
  }

  /** The pane of interface {@code number}'s packets. */
  private PaneKind paneOf(int number, LinkType linkType, String name, String description) {
    List<InterfaceInfo> known = interfaces;
    if (number < known.size() && known.get(number) != null) {
      return known.get(number).pane();
    }
    // An interface is placed when its first packet arrives (pcapng may describe several up front).
    boolean tapSeen = known.stream().anyMatch(i -> i != null && i.pane() == PaneKind.TAP);
    InterfaceInfo info = new InterfaceInfo(number, linkType, name, description, labPlacement
        ? PaneKind.ofLabDevice(linkType, name) : PaneKind.of(linkType, name, description, tapSeen));
    List<InterfaceInfo> more = new ArrayList<>(known);
    while (more.size() <= number) {
      more.add(null);
    }
    more.set(number, info);
    interfaces = java.util.Collections.unmodifiableList(more);
    return info.pane();
  }

  /** The packets of a pane (file indexes, ascending), up to what {@link #load} has indexed. */
  IntList members(PaneKind pane) {
    return members.get(pane);
  }

  /** The interfaces that have sent packets so far, by number. */
  public List<InterfaceInfo> interfaces() {
    return interfaces.stream().filter(java.util.Objects::nonNull).toList();
  }

  /** How many packets are indexed. */
  public int size() {
    return live != null ? live.size() : index.size();
  }

  /** Why the file could not be read to its end, once loading has stopped there. */
  public Optional<CaptureFormatException> problem() {
    return live != null ? Optional.empty() : index.problem();
  }

  public boolean isComplete() {
    return live == null && index.isComplete();
  }

  /** Reads packet {@code number} (from 0) back from the file. */
  public CapturedPacket packet(int number) {
    if (live != null) {
      return live.get(number);
    }
    try {
      return index.packet(number);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read packet " + (number + 1) + " of " + file, e);
    }
  }

  /** The dissection the tree, the hex view and the links show: IP-in-UDP tunnels are found by themselves. */
  public Dissection dissect(CapturedPacket packet, byte[] data) {
    return dissector.dissect(packet.linkType(), data, 0, data.length, packet.originalLength());
  }

  /** The dissection tcpdump's text is printed from: what {@code tunlab print} (and tcpdump) decode. */
  public Dissection dissectForText(CapturedPacket packet, byte[] data) {
    return textDissector.dissect(packet.linkType(), data, 0, data.length, packet.originalLength());
  }

  /**
   * Which packets of each pane pass a tcpdump filter expression, compiled by libpcap once per link
   * type. Runs on the calling thread; returns null when cancelled.
   */
  public Map<PaneKind, IntList> filter(String expression, BooleanSupplier cancelled)
      throws PacketFilter.FilterException {
    return filter(expression, cancelled, Integer.MAX_VALUE);
  }

  /** {@link #filter(String, BooleanSupplier)} over the packets numbered below {@code end} only. */
  private Map<PaneKind, IntList> filter(String expression, BooleanSupplier cancelled, int end)
      throws PacketFilter.FilterException {
    Map<Integer, PacketFilter> compiled = compile(expression);
    try {
      Map<PaneKind, IntList> passed = new EnumMap<>(PaneKind.class);
      for (PaneKind pane : PaneKind.values()) {
        IntList all = members.get(pane);
        IntList kept = new IntList(1024);
        for (int i = 0, n = all.size(); i < n && all.get(i) < end; i++) {
          if ((i & 1023) == 0 && cancelled.getAsBoolean()) {
            return null;
          }
          CapturedPacket packet = packet(all.get(i));
          PacketFilter filter = compiled.get(packet.linkType().value());
          if (filter == null) {
            filter = PacketFilter.compile(packet.linkType(), SNAP_LENGTH, expression);
            compiled.put(packet.linkType().value(), filter);
          }
          byte[] data = packet.data();
          if (filter.matches(data, data.length, packet.originalLength())) {
            kept.add(all.get(i));
          }
        }
        kept.trim();
        passed.put(pane, kept);
      }
      return passed;
    } finally {
      compiled.values().forEach(PacketFilter::close);
    }
  }

  /** {@code expression} compiled for the link type of each interface seen so far (a bad one fails at once). */
  private Map<Integer, PacketFilter> compile(String expression) throws PacketFilter.FilterException {
    Map<Integer, PacketFilter> compiled = new HashMap<>();
    try {
      for (InterfaceInfo info : interfaces()) {
        if (!compiled.containsKey(info.linkType().value())) {
          compiled.put(info.linkType().value(), PacketFilter.compile(info.linkType(), SNAP_LENGTH, expression));
        }
      }
    } catch (PacketFilter.FilterException | RuntimeException e) {
      compiled.values().forEach(PacketFilter::close);
      throw e;
    }
    return compiled;
  }

  /**
   * The same packet seen on another pane's device: the TAP frame whose IP packet is byte for byte a
   * TUN packet, or the underlay packet that carries a TUN packet whole. Looks among the packets
   * near {@code number} in file order (captures of several devices are in time order).
   */
  public Optional<Correspondence> partner(PaneKind from, int number, PaneKind to) {
    if (from == to) {
      return Optional.empty();
    }
    CapturedPacket mine = packet(number);
    byte[] myData = mine.data();
    int myIp = ipOffset(mine, myData);
    if (myIp < 0) {
      return Optional.empty();
    }
    IntList candidates = members.get(to);
    int at = insertionPoint(candidates, number);
    for (int distance = 0; distance < LINK_WINDOW; distance++) {
      for (int candidate : new int[] {at + distance, at - 1 - distance}) {
        if (candidate < 0 || candidate >= candidates.size()) {
          continue;
        }
        int other = candidates.get(candidate);
        CapturedPacket theirs = packet(other);
        Optional<Correspondence> found = Correspondence.of(from, mine, myData, myIp, to, other, theirs, this);
        if (found.isPresent()) {
          return found;
        }
      }
    }
    return Optional.empty();
  }

  private static int insertionPoint(IntList list, int value) {
    int low = 0;
    int high = list.size();
    while (low < high) {
      int mid = (low + high) >>> 1;
      if (list.get(mid) < value) {
        low = mid + 1;
      } else {
        high = mid;
      }
    }
    return low;
  }

  /** Where the outermost IP header starts in a frame, or -1 if it carries none. */
  int ipOffset(CapturedPacket packet, byte[] data) {
    var layers = dissect(packet, data).layers();
    for (var layer : layers) {
      if (layer.name().equals("ip") || layer.name().equals("ipv6")) {
        return layer.offset();
      }
      if (LayerStyle.of(layer.name()) != LayerStyle.LINK) {
        return -1;
      }
    }
    return -1;
  }

  /**
   * Writes the given packets (file indexes, ascending) as pcapng, or as pcap when the name ends in
   * {@code .pcap} and they share one link type.
   */
  public void write(Path target, int[] numbers) throws IOException {
    List<InterfaceInfo> known = interfaces;
    boolean pcap = target.getFileName().toString().endsWith(".pcap");
    try (CaptureWriter writer = pcap ? PcapWriter.create(target) : PcapngWriter.create(target)) {
      Map<Integer, Integer> ids = new LinkedHashMap<>();
      for (int number : numbers) {
        CapturedPacket packet = packet(number);
        Integer id = ids.get(packet.interfaceIndex());
        if (id == null) {
          if (pcap && !ids.isEmpty()) {
            throw new IOException("a pcap file holds one link type; these packets come from several interfaces"
                + " (save as .pcapng)");
          }
          InterfaceInfo info = known.get(packet.interfaceIndex());
          id = writer.addInterface(packet.linkType(), info.name(), 262_144);
          ids.put(packet.interfaceIndex(), id);
        }
        writer.write(id, packet);
      }
    }
  }

  @Override
  public void close() throws IOException {
    if (index != null) {
      index.close();
    } else {
      stopLiveFilter();
      live.close();
    }
  }
}
