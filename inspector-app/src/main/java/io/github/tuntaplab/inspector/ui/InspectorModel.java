package io.github.tuntaplab.inspector.ui;

import io.github.tuntaplab.tunlib.capture.CaptureFormatException;
import io.github.tuntaplab.tunlib.capture.PacketFilter;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.prefs.Preferences;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javafx.application.Platform;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.DoubleProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyDoubleProperty;
import javafx.beans.property.ReadOnlyDoubleWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleDoubleProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

/**
 * The inspector's state apart from its nodes: the open file, its panes, loading and filtering on a
 * background executor, links between panes, recent files and the classroom settings. Read-only
 * properties over private wrappers; call from the FX thread.
 */
public final class InspectorModel {
  /** The font size the window starts with, and presentation mode's. */
  public static final double NORMAL_FONT = 13;
  public static final double PRESENTATION_FONT = 22;
  private static final int RECENT_FILES = 8;

  /** What went wrong, in words for the user: a title and what happened where. */
  public record Problem(Phrase title, Phrase message) {}

  private final Executor background;
  private final Preferences preferences;
  private final WindowLanguage language = new WindowLanguage();
  private final Map<PaneKind, PacketPaneModel> panes = new EnumMap<>(PaneKind.class);
  private final ReadOnlyObjectWrapper<CaptureSession> session = new ReadOnlyObjectWrapper<>(this, "session");
  private final ReadOnlyBooleanWrapper loading = new ReadOnlyBooleanWrapper(this, "loading");
  private final ReadOnlyDoubleWrapper progress = new ReadOnlyDoubleWrapper(this, "progress");
  private final WindowLanguage.Line status = language.line(Phrase.of("status.none"));
  private final WindowLanguage.Line counts = language.line(Phrase.verbatim(""));
  private final ReadOnlyStringWrapper filterError = new ReadOnlyStringWrapper(this, "filterError", "");
  private final ReadOnlyBooleanWrapper hasUnderlay = new ReadOnlyBooleanWrapper(this, "hasUnderlay");
  private final ReadOnlyBooleanWrapper showsTap = new ReadOnlyBooleanWrapper(this, "showsTap", true);
  private final ObservableList<Path> recentFiles = FXCollections.observableArrayList();
  private final DoubleProperty fontSize = new SimpleDoubleProperty(this, "fontSize", NORMAL_FONT);
  private final BooleanProperty presentation = new SimpleBooleanProperty(this, "presentation");
  private final BooleanProperty textView = new SimpleBooleanProperty(this, "textView");
  private Consumer<Problem> problems = problem -> {};
  private AtomicBoolean cancel = new AtomicBoolean();
  private AtomicBoolean cancelFilter = new AtomicBoolean();
  private String appliedFilter = "";
  /** Whether the live session on show keeps the panes placed as its predecessor's were. */
  private boolean keepLivePanes;
  /** The filter the live session's arrivals pass, while one applies to it. */
  private LiveFilter liveFilter;
  private boolean linking;

  public InspectorModel(Executor background, Preferences preferences) {
    this.background = background;
    this.preferences = preferences;
    for (PaneKind kind : PaneKind.values()) {
      PacketPaneModel pane = new PacketPaneModel(kind);
      panes.put(kind, pane);
      pane.selectedProperty().addListener((o, was, now) -> linkFrom(pane, now));
    }
    for (int i = 0; i < RECENT_FILES; i++) {
      String path = preferences.get("recent." + i, null);
      if (path != null) {
        recentFiles.add(Path.of(path));
      }
    }
    presentation.addListener((o, was, now) -> fontSize.set(now ? PRESENTATION_FONT : NORMAL_FONT));
  }

  /** The language the window speaks, and its words. */
  public WindowLanguage language() {
    return language;
  }

  /** Where problems go to be shown (a dialog), never a stack trace. */
  public void onProblem(Consumer<Problem> handler) {
    this.problems = handler;
  }

  /** Shows a problem to the user (a dialog), as the model's own are shown. */
  public void reportProblem(Phrase title, Phrase message) {
    problems.accept(new Problem(title, message));
  }

  public PacketPaneModel pane(PaneKind kind) {
    return panes.get(kind);
  }

  public ReadOnlyObjectProperty<CaptureSession> sessionProperty() {
    return session.getReadOnlyProperty();
  }

  public ReadOnlyBooleanProperty loadingProperty() {
    return loading.getReadOnlyProperty();
  }

  /** How far loading has come, 0 to 1; -1 while unknown. */
  public ReadOnlyDoubleProperty progressProperty() {
    return progress.getReadOnlyProperty();
  }

  /** The source and what happens to it, for the status bar. */
  public ReadOnlyStringProperty statusProperty() {
    return status.textProperty();
  }

  /** Packets per pane, e.g. "TAP 12 · TUN 10 · Underlay 10". */
  public ReadOnlyStringProperty countsProperty() {
    return counts.textProperty();
  }

  /** libpcap's complaint about the filter expression; empty when it compiled. */
  public ReadOnlyStringProperty filterErrorProperty() {
    return filterError.getReadOnlyProperty();
  }

  public ReadOnlyBooleanProperty hasUnderlayProperty() {
    return hasUnderlay.getReadOnlyProperty();
  }

  /**
   * Whether the TAP pane is worth its width: it has packets, or the file has no underlay either
   * (TAP | TUN stay side by side for a TUN capture). A tunnel's TUN and underlay take the window.
   */
  public ReadOnlyBooleanProperty showsTapProperty() {
    return showsTap.getReadOnlyProperty();
  }

  public ObservableList<Path> recentFiles() {
    return FXCollections.unmodifiableObservableList(recentFiles);
  }

  public DoubleProperty fontSizeProperty() {
    return fontSize;
  }

  public BooleanProperty presentationProperty() {
    return presentation;
  }

  /** Whether the lists show tcpdump's text instead of columns. */
  public BooleanProperty textViewProperty() {
    return textView;
  }

  public void zoom(int steps) {
    fontSize.set(Math.max(8, Math.min(48, fontSize.get() + steps * 2)));
  }

  /** Opens a file: indexes it in the background while the panes fill. */
  public void open(Path file) {
    cancelLoading();
    AtomicBoolean cancelled = new AtomicBoolean();
    cancel = cancelled;
    closeSession();
    appliedFilter = "";
    liveFilter = null;
    filterError.set("");
    loading.set(true);
    progress.set(-1);
    status.set("status.opening", file);
    background.execute(() -> load(file, cancelled));
  }

  private void load(Path file, AtomicBoolean cancelled) {
    CaptureSession opened;
    try {
      opened = CaptureSession.open(file);
    } catch (IOException | RuntimeException | Error e) {
      // Errors too (out of memory, a broken installation): a dialog, not a window stuck at "Opening".
      Platform.runLater(() -> {
        loading.set(false);
        status.set("status.open.failed", file);
        problems.accept(new Problem(Phrase.of("problem.open", file.getFileName()), describe(file, e)));
      });
      return;
    }
    Platform.runLater(() -> {
      session.set(opened);
      panes.values().forEach(p -> p.reset(opened));
      remember(file);
    });
    AtomicBoolean updatePending = new AtomicBoolean();
    try {
      opened.load(cancelled::get, (packets, fraction) -> {
        if (updatePending.compareAndSet(false, true)) {
          Platform.runLater(() -> {
            updatePending.set(false);
            if (session.get() == opened) {
              progress.set(fraction);
              showLoaded(opened, Phrase.of("status.loading", file, packets));
            }
          });
        }
      }, 100);
    } catch (IOException | RuntimeException | Error e) {
      if (!cancelled.get()) {
        Platform.runLater(() -> problems.accept(new Problem(Phrase.of("problem.read", file.getFileName()),
            describe(file, e))));
      }
    }
    Platform.runLater(() -> {
      if (session.get() != opened) {
        return;
      }
      loading.set(false);
      progress.set(1);
      showLoaded(opened, cancelled.get() ? Phrase.of("status.cancelled", file, opened.size())
          : Phrase.verbatim(file.toString()));
      opened.problem().ifPresent(fault -> problems.accept(new Problem(Phrase.of("problem.damaged", file.getFileName()),
          Phrase.of("problem.damaged.shown", describe(file, fault), opened.size()))));
      if (opened.size() == 0 && opened.problem().isEmpty()) {
        status.set("status.empty", file);
      }
    });
  }

  /** Shows a live session (a lab's stream, filled by its reader) in the panes instead of what was open. */
  public void showLive(CaptureSession live, Phrase message) {
    showLive(live, message, false);
  }

  /**
   * As {@link #showLive(CaptureSession, Phrase)}; {@code keepPanes}: the session follows one of the
   * same lab (the panes were cleared), so the panes stay placed as they are (a pane still comes when
   * its first packet does). Placing them anew would restyle every pane, twice, for devices that
   * send again at once.
   */
  public void showLive(CaptureSession live, Phrase message, boolean keepPanes) {
    keepLivePanes = keepPanes;
    cancelLoading();
    closeSession();
    appliedFilter = "";
    liveFilter = null;
    filterError.set("");
    loading.set(false);
    session.set(live);
    panes.values().forEach(p -> p.reset(live));
    showArrived(message);
  }

  /**
   * Shows the live packets that arrived since the last call; while a filter applies, those that
   * pass it (judged as they arrived, off the FX thread), the others counted as hidden.
   */
  public void showArrived(Phrase message) {
    showArrived(message, EnumSet.allOf(PaneKind.class));
  }

  /**
   * As {@link #showArrived(Phrase)}, growing only the given panes: a live source lets the panes take
   * turns, one a pulse, so that no pulse lays out and paints the new rows of all of them.
   */
  public void showArrived(Phrase message, Set<PaneKind> growing) {
    CaptureSession current = session.get();
    if (current == null || !current.isLive()) {
      return;
    }
    if (liveFilter == null) {
      showLoaded(current, message, growing);
    } else {
      liveFilter.catchUp();
      growing.forEach(kind -> pane(kind).showGrown(liveFilter.rows(kind)));
      showFilteredLive(current, message);
    }
  }

  private void showFilteredLive(CaptureSession live, Phrase message) {
    long hidden = Stream.of(PaneKind.values()).mapToLong(kind -> live.members(kind).size() - pane(kind).rows().size())
        .sum();
    status.set("status.live.filtered", message, appliedFilter, hidden);
    updateCounts();
  }

  private void showLoaded(CaptureSession opened, Phrase message) {
    showLoaded(opened, message, EnumSet.allOf(PaneKind.class));
  }

  private void showLoaded(CaptureSession opened, Phrase message, Set<PaneKind> growing) {
    for (PaneKind kind : growing) {
      panes.get(kind).showLoaded(opened.members(kind).size());
    }
    boolean keep = keepLivePanes && opened.isLive();
    boolean tapWasShown = showsTap.get();
    hasUnderlay.set(opened.members(PaneKind.UNDERLAY).size() > 0 || keep && hasUnderlay.get());
    showsTap.set(opened.members(PaneKind.TAP).size() > 0 || !hasUnderlay.get() || keep && tapWasShown);
    status.set(message);
    updateCounts();
  }

  private void updateCounts() {
    List<Phrase> perPane = Stream.of(PaneKind.values())
        .filter(kind -> kind != PaneKind.UNDERLAY || hasUnderlay.get())
        .map(kind -> Phrase.of("counts.pane", kind.title(), panes.get(kind).rows().size()
            + (appliedFilter.isEmpty() || session.get() == null ? ""
                : "/" + session.get().members(kind).size())))
        .toList();
    counts.set(counts(perPane));
  }

  /** The panes' counts in one line, e.g. "TAP 3 · TUN 2" (two panes, or three with the underlay). */
  static Phrase counts(List<Phrase> perPane) {
    return Phrase.of("counts." + perPane.size(), perPane.toArray());
  }

  /** Says that there is nothing to open yet, and how to open something. */
  public void noSamples(Path directory) {
    status.set("status.no.samples", directory);
  }

  /** Stops a load (the packets indexed so far stay) or a filter (the list stays as it was) in progress. */
  public void cancelLoading() {
    cancel.set(true);
    cancelFilter.set(true);
  }

  /** Closes the open file, if any. */
  public void close() {
    cancelLoading();
    closeSession();
    status.set("status.none");
    counts.clear();
  }

  private void closeSession() {
    CaptureSession old = session.get();
    session.set(null);
    panes.values().forEach(p -> p.reset(null));
    if (old != null) {
      background.execute(() -> {
        try {
          old.close();
        } catch (IOException ignored) {
          // Only reads were open; nothing is lost.
        }
      });
    }
  }

  /** Shows only the packets that pass a tcpdump filter expression; an empty one shows all again. */
  public void filter(String expression) {
    CaptureSession current = session.get();
    String trimmed = expression.trim();
    if (current == null) {
      return;
    }
    if (trimmed.isEmpty()) {
      cancelFilter.set(true);
      showUnfiltered(current);
      return;
    }
    status.set("status.filtering", trimmed);
    loading.set(true);
    progress.set(-1);
    cancelFilter.set(true);
    AtomicBoolean cancelled = new AtomicBoolean();
    cancelFilter = cancelled;
    if (current.isLive()) {
      filterLive(current, trimmed, cancelled);
      return;
    }
    background.execute(() -> {
      try {
        Map<PaneKind, IntList> passed = current.filter(trimmed, cancelled::get);
        Platform.runLater(() -> {
          loading.set(false);
          if (passed == null || session.get() != current) {
            status.set(Phrase.verbatim(current.file().toString()));
            return;
          }
          appliedFilter = trimmed;
          filterError.set("");
          passed.forEach((kind, list) -> panes.get(kind).showFiltered(list));
          status.set("status.filtered", current.file(), trimmed);
          updateCounts();
        });
      } catch (PacketFilter.FilterException | RuntimeException e) {
        Platform.runLater(() -> {
          loading.set(false);
          filterError.set(e.getMessage());
          status.set("status.filter.failed", String.valueOf(e.getMessage()));
        });
      }
    });
  }

  /** Filters a live session: what came so far on the background thread, the arrivals as they come. */
  private void filterLive(CaptureSession current, String expression, AtomicBoolean cancelled) {
    background.execute(() -> {
      try {
        LiveFilter filter = current.filterLive(expression, cancelled::get);
        Platform.runLater(() -> {
          loading.set(false);
          if (session.get() != current) {
            return;
          }
          if (filter == null || cancelled.get()) {
            if (cancelFilter == cancelled) {
              // Cancelled (the filter was cleared while it ran), and no other filter follows: none
              // judges the arrivals any more, so all show.
              current.stopLiveFilter();
              showUnfiltered(current);
            }
            return;
          }
          appliedFilter = expression;
          filterError.set("");
          liveFilter = filter;
          filter.catchUp();
          panes.values().forEach(p -> p.showFiltered(filter.rows(p.kind())));
          showFilteredLive(current, Phrase.of("status.live", current.file()));
        });
      } catch (PacketFilter.FilterException | RuntimeException e) {
        Platform.runLater(() -> {
          loading.set(false);
          filterError.set(e.getMessage());
          status.set("status.filter.failed", String.valueOf(e.getMessage()));
        });
      }
    });
  }

  private void showUnfiltered(CaptureSession current) {
    appliedFilter = "";
    filterError.set("");
    if (liveFilter != null) {
      liveFilter = null;
      current.stopLiveFilter();
    }
    panes.values().forEach(p -> p.showFiltered(current.members(p.kind())));
    updateCounts();
  }

  /** Writes the packets shown in every pane, or only the selected ones, to {@code target}. */
  public void save(Path target, List<Integer> packets) {
    CaptureSession current = session.get();
    if (current == null) {
      return;
    }
    int[] numbers = packets.stream().mapToInt(Integer::intValue).sorted().distinct().toArray();
    background.execute(() -> {
      try {
        current.write(target, numbers);
        Platform.runLater(() -> status.set("status.saved", numbers.length, target));
      } catch (IOException | RuntimeException e) {
        Platform.runLater(() -> problems.accept(new Problem(Phrase.of("problem.save", target.getFileName()),
            describe(target, e))));
      }
    });
  }

  /** Every packet shown in any pane, in file order. */
  public List<Integer> visiblePackets() {
    List<Integer> all = new ArrayList<>();
    panes.values().forEach(p -> all.addAll(p.rows()));
    Collections.sort(all);
    return all;
  }

  /** When a packet is selected, selects the same packet in the other panes and says what differs. */
  private void linkFrom(PacketPaneModel from, PacketDetail detail) {
    if (linking) {
      return;
    }
    linking = true;
    try {
      CaptureSession current = session.get();
      panes.values().forEach(PacketPaneModel::clearCallout);
      if (detail != null && from.kind() == PaneKind.TAP
          && detail.dissection().layers().stream().anyMatch(l -> l.name().equals("arp") && l.depth() == 0)) {
        from.addCallout(Phrase.of("callout.arp"));
      }
      for (PacketPaneModel other : panes.values()) {
        if (other == from) {
          continue;
        }
        if (detail == null || current == null) {
          continue;
        }
        Optional<Correspondence> partner = current.partner(from.kind(), detail.number(), other.kind());
        int row = partner.map(p -> other.rowOf(p.number())).orElse(-1);
        // No counterpart (an ARP frame never reaches a TUN): the other pane selects nothing.
        other.select(row);
        if (row >= 0) {
          // The outer view is the one with more bytes around the shared IP packet.
          boolean fromOuter = other.kind() == PaneKind.TUN || from.kind() == PaneKind.UNDERLAY;
          PacketPaneModel outer = fromOuter ? from : other;
          PacketPaneModel inner = fromOuter ? other : from;
          int outerNumber = fromOuter ? detail.number() : partner.get().number();
          int innerNumber = fromOuter ? partner.get().number() : detail.number();
          outer.addCallout(Phrase.of("callout.around", partner.get().callout(), inner.kind().title(), innerNumber + 1));
          inner.addCallout(Phrase.of("callout.inside", outer.kind().title(), outerNumber + 1));
        }
      }
    } finally {
      linking = false;
    }
  }

  private void remember(Path file) {
    Path absolute = file.toAbsolutePath().normalize();
    recentFiles.remove(absolute);
    recentFiles.add(0, absolute);
    while (recentFiles.size() > RECENT_FILES) {
      recentFiles.remove(recentFiles.size() - 1);
    }
    for (int i = 0; i < RECENT_FILES; i++) {
      if (i < recentFiles.size()) {
        preferences.put("recent." + i, recentFiles.get(i).toString());
      } else {
        preferences.remove("recent." + i);
      }
    }
    try {
      // Now, not at exit: a window killed with the JVM still leaves the list for the next start.
      preferences.flush();
    } catch (java.util.prefs.BackingStoreException e) {
      status.set("status.recent.failed", String.valueOf(e.getMessage()));
    }
  }

  /** The sample captures in {@code directory}, sorted; empty if there are none. */
  public static List<Path> samples(Path directory) {
    if (!Files.isDirectory(directory)) {
      return List.of();
    }
    try (Stream<Path> files = Files.list(directory)) {
      return files.filter(f -> f.toString().endsWith(".pcap") || f.toString().endsWith(".pcapng")).sorted()
          .collect(Collectors.toList());
    } catch (IOException e) {
      return List.of();
    }
  }

  /** A failure in words: what is wrong and where, as tunlab's commands say it. */
  static Phrase describe(Path file, Throwable e) {
    if (e instanceof NoSuchFileException) {
      return Phrase.of("problem.no.such.file", file);
    }
    if (e instanceof AccessDeniedException) {
      return Phrase.of("problem.permission", file);
    }
    if (e instanceof CaptureFormatException fault) {
      return Phrase.of("problem.at.byte", file, fault.offset(), fault.getMessage());
    }
    Throwable cause = e.getCause() != null && e.getMessage() == null ? e.getCause() : e;
    return Phrase.verbatim(file + ": " + (cause.getMessage() == null ? cause.getClass().getSimpleName()
        : cause.getMessage()));
  }
}
