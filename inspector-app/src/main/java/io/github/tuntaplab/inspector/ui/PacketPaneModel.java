package io.github.tuntaplab.inspector.ui;

import io.github.tuntaplab.tunlib.capture.CapturedPacket;
import io.github.tuntaplab.tunlib.packet.Dissection;
import io.github.tuntaplab.tunlib.packet.Field;
import io.github.tuntaplab.tunlib.packet.Layer;
import io.github.tuntaplab.tunlib.text.TcpdumpOptions;
import io.github.tuntaplab.tunlib.text.TcpdumpPrinter;
import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleObjectProperty;
import javafx.collections.ObservableList;

/**
 * What one pane shows: its rows, the selected packet and field, and the call-out linking it to
 * another pane. Rows are summarised only when shown (a small cache keeps the recent ones). The
 * tcpdump text comes from one {@link TcpdumpPrinter} fed the rows in order, as {@code tunlab print}
 * feeds it the file, so relative TCP sequence numbers read as tcpdump's. FX thread only.
 */
public final class PacketPaneModel {
  private static final int CACHED_ROWS = 4096;
  /** Beyond this many rows to catch up, a line is printed on its own (TCP numbers then absolute). */
  private static final int MAX_CATCH_UP = 20_000;
  /**
   * The same for a live session, where following the newest row skips every row that arrived in
   * between: catching up on thousands a pulse would stall the FX thread at a full-rate ingest.
   */
  private static final int MAX_LIVE_CATCH_UP = 32;

  private final PaneKind kind;
  private final PacketRows rows = new PacketRows();
  private final Map<Integer, PacketSummary> summaries = new LinkedHashMap<>(256, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<Integer, PacketSummary> eldest) {
      return size() > CACHED_ROWS;
    }
  };
  private final ReadOnlyObjectWrapper<PacketDetail> selected = new ReadOnlyObjectWrapper<>(this, "selected");
  private final ObjectProperty<Field> selectedField = new SimpleObjectProperty<>(this, "selectedField");
  private final ReadOnlyObjectWrapper<Highlight> highlight = new ReadOnlyObjectWrapper<>(this, "highlight");
  private final ReadOnlyObjectWrapper<Phrase> callout = new ReadOnlyObjectWrapper<>(this, "callout");
  private final ReadOnlyStringWrapper liveCommand = new ReadOnlyStringWrapper(this, "liveCommand", "");

  private CaptureSession session;
  private TcpdumpPrinter printer;
  /** Rows fed to {@link #printer} so far. */
  private int printedRows;
  private String firstSource;

  PacketPaneModel(PaneKind kind) {
    this.kind = kind;
    selectedField.addListener((o, was, now) -> highlight.set(now == null ? null : Highlight.of(now)));
  }

  public PaneKind kind() {
    return kind;
  }

  /** The file indexes of the visible packets, in order. */
  public ObservableList<Integer> rows() {
    return rows;
  }

  public ReadOnlyObjectProperty<PacketDetail> selectedProperty() {
    return selected.getReadOnlyProperty();
  }

  public PacketDetail selected() {
    return selected.get();
  }

  /** The field whose bytes are highlighted; null for none. */
  public ObjectProperty<Field> selectedFieldProperty() {
    return selectedField;
  }

  /** The bytes highlighted: the selected field's, or a whole layer's; null for none. */
  public ReadOnlyObjectProperty<Highlight> highlightProperty() {
    return highlight.getReadOnlyProperty();
  }

  /** Highlights a whole layer (no field selected). */
  public void selectLayer(Layer layer) {
    selectedField.set(null);
    highlight.set(layer == null ? null : Highlight.of(layer));
  }

  /** What the packet linked in another pane adds or lacks, e.g. "14-byte Ethernet header"; null if none. */
  public ReadOnlyObjectProperty<Phrase> calloutProperty() {
    return callout.getReadOnlyProperty();
  }

  /** The tcpdump command that shows this pane's packets live. */
  public ReadOnlyStringProperty liveCommandProperty() {
    return liveCommand.getReadOnlyProperty();
  }

  void clearCallout() {
    callout.set(null);
  }

  void addCallout(Phrase said) {
    callout.set(callout.get() == null ? said : Phrase.of("callout.and", callout.get(), said));
  }

  /** Starts over with a new file (or none). */
  void reset(CaptureSession session) {
    this.session = session;
    restartText();
    firstSource = null;
    selectedField.set(null);
    selected.set(null);
    callout.set(null);
    rows.show(session == null ? new IntList(16) : session.members(kind), 0);
    refreshLiveCommand();
  }

  /** Shows the packets loaded so far. */
  void showLoaded(int count) {
    rows.show(session.members(kind), count);
    refreshLiveCommand();
  }

  /** Shows the rows {@code list} gained since it was shown (a live session's filtered arrivals). */
  void showGrown(IntList list) {
    rows.show(list, list.size());
  }

  /** Shows a filtered list (or the whole list again); tcpdump's text restarts as tcpdump would. */
  void showFiltered(IntList list) {
    restartText();
    selectedField.set(null);
    selected.set(null);
    callout.set(null);
    rows.show(list, list.size());
  }

  private void restartText() {
    printer = new TcpdumpPrinter(lineOptions());
    printedRows = 0;
    summaries.clear();
  }

  private static TcpdumpOptions lineOptions() {
    return new TcpdumpOptions(true, 0, false, TcpdumpOptions.Timestamps.TIME_OF_DAY, TcpdumpOptions.HexDump.NONE,
        ZoneId.systemDefault());
  }

  private void refreshLiveCommand() {
    if (session == null) {
      liveCommand.set("");
      return;
    }
    // tcpdump captures one interface at a time: one command (one terminal) per interface.
    liveCommand.set(session.interfaces().stream().filter(i -> i.pane() == kind)
        .map(CaptureSession.InterfaceInfo::liveCommand).distinct().collect(Collectors.joining("\n")));
  }

  /** The row's summary, computed now if it is not cached. */
  public PacketSummary summary(int row) {
    int number = rows.get(row);
    PacketSummary cached = summaries.get(number);
    if (cached != null) {
      return cached;
    }
    if (row >= printedRows && row - printedRows <= (session.isLive() ? MAX_LIVE_CATCH_UP : MAX_CATCH_UP)) {
      // Feed the rows before it to the printer, so its TCP state is tcpdump's at this line.
      StringBuilder discard = new StringBuilder();
      for (int earlier = printedRows; earlier < row; earlier++) {
        if (!summaries.containsKey(rows.get(earlier))) {
          discard.setLength(0);
          summaries.put(rows.get(earlier), summarise(rows.get(earlier), printer, discard));
        }
      }
    }
    PacketSummary summary = summarise(number, printer, new StringBuilder());
    printedRows = Math.max(printedRows, row + 1);
    summaries.put(number, summary);
    return summary;
  }

  private PacketSummary summarise(int number, TcpdumpPrinter with, StringBuilder line) {
    CapturedPacket packet = session.packet(number);
    byte[] data = packet.data();
    with.print(line, packet.timestamp(), session.dissectForText(packet, data), data, 0);
    Dissection dissection = session.dissect(packet, data);
    String text = line.toString().stripTrailing();
    int space = text.indexOf(' ');
    String time = space < 0 ? text : text.substring(0, space);
    String rest = space < 0 ? "" : text.substring(space + 1);
    String[] ends = Endpoints.of(dissection);
    if (firstSource == null) {
      firstSource = ends[0];
    }
    String direction = switch (packet.direction()) {
      case OUTBOUND -> "out";
      case INBOUND -> "in";
      case UNKNOWN -> ends[0].equals(firstSource) ? "→" : ends[1].equals(firstSource) ? "←" : "";
    };
    return new PacketSummary(number + 1, time, direction, ends[0], ends[1], Endpoints.protocol(dissection),
        packet.originalLength(), rest);
  }

  /** Selects the packet at {@code row}, or nothing for -1. */
  public void select(int row) {
    if (row < 0 || row >= rows.size()) {
      selected.set(null);
      selectedField.set(null);
      return;
    }
    int number = rows.get(row);
    if (selected.get() != null && selected.get().number() == number) {
      return;
    }
    String line = summary(row).time() + " " + summary(row).line();
    CapturedPacket packet = session.packet(number);
    byte[] data = packet.data();
    Dissection dissection = session.dissect(packet, data);
    StringBuilder dump = new StringBuilder();
    new TcpdumpPrinter(lineOptions().withHexDump(TcpdumpOptions.HexDump.HEX_ASCII_WITH_LINK).withTimestamps(
        TcpdumpOptions.Timestamps.NONE)).print(dump, packet.timestamp(), session.dissectForText(packet, data), data, 0);
    String hex = dump.toString().lines().filter(l -> l.startsWith("\t0x")).collect(Collectors.joining("\n"));
    selectedField.set(null);
    selected.set(new PacketDetail(number, packet, data, dissection, line, hex));
  }

  /** Selects the field whose bytes hold {@code offset} in the selected packet. */
  public void selectByte(int offset) {
    PacketDetail detail = selected.get();
    if (detail != null) {
      selectedField.set(detail.fieldAt(offset).orElse(null));
    }
  }

  /** The row of packet {@code number}, or -1 when it is not shown. */
  public int rowOf(int number) {
    return rows.rowOf(number);
  }

  /** The tcpdump line of every row, as {@code tunlab print -e} prints them: for the text view. */
  public String line(int row) {
    PacketSummary summary = summary(row);
    return summary.time() + " " + summary.line();
  }
}
