package io.github.tuntaplab.inspector.ui.live;

import io.github.tuntaplab.inspector.ui.CaptureSession;
import io.github.tuntaplab.inspector.ui.FramePriority;
import io.github.tuntaplab.inspector.ui.InspectorModel;
import io.github.tuntaplab.inspector.ui.PaneKind;
import io.github.tuntaplab.inspector.ui.Phrase;
import io.github.tuntaplab.inspector.ui.WindowLanguage;
import io.github.tuntaplab.lessons.lab.LabClient;
import io.github.tuntaplab.lessons.lab.LinkCounters;
import io.github.tuntaplab.lessons.lab.Privileges;
import io.github.tuntaplab.tunlib.capture.CaptureReader;
import io.github.tuntaplab.tunlib.capture.InterfaceStatistics;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import io.github.tuntaplab.tunlib.capture.CaptureFormatException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import javafx.animation.AnimationTimer;
import javafx.application.Platform;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyLongProperty;
import javafx.beans.property.ReadOnlyLongWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

/**
 * The inspector's live source: a running lab's socket (LAB-PROTOCOL.md), as an unprivileged
 * client. A reader thread takes the lab's pcapng stream and keeps each packet in the model's live
 * session; the FX thread shows what arrived once per turn. Between the two, the packets the FX thread
 * has not taken yet are bounded ({@link #BACKLOG} by default): at the bound the reader stops reading
 * until the FX thread takes them, and the lab drops the packets that find its own hand-over full and
 * says how many (statistics blocks in the stream). Those count as offered and dropped, as do packets
 * beyond the session's memory bound, so {@code dropped == offered − shown} once the panes have caught up. The lab never
 * ends a stream it could still write: its end means the lab stopped. Read-only properties; call
 * from the FX thread.
 */
public final class LiveSource {
  /** Packets kept but not yet taken by the FX thread, at most: beyond, the reader waits and the lab drops. */
  public static final int BACKLOG = 8192;
  /** The bytes of live packets kept at most (in a spool file, not the heap). */
  public static final long MAX_BYTES = 1L << 30;
  /**
   * How often at most the panes take the packets that arrived (as Wireshark's default {@code
   * gui.update.interval}): at a full-rate ingest one update a pulse would spend every pulse laying out
   * and painting rows scrolled past faster than anyone reads them.
   */
  static final java.time.Duration UPDATE_INTERVAL = java.time.Duration.ofMillis(100);
  /**
   * The same while the window cannot keep up (its reader waited for room within the last second):
   * the rows go by faster than anyone reads them either way, and fewer, larger updates leave the
   * frames the cores they share with the traffic.
   */
  static final java.time.Duration FULL_RATE_UPDATE_INTERVAL = java.time.Duration.ofMillis(250);
  /** How long a reader that waits for room sleeps at most before it looks again (the FX thread wakes it sooner). */
  private static final long ROOM_POLL_NANOS = 20_000_000;
  private static final List<PaneKind> PANES = List.of(PaneKind.values());
  private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss");

  /** Where the source stands. */
  public enum State {
    /** Not connected, and nobody asked yet. */
    IDLE,
    /**
     * No lab that this window can use answers at the socket (none runs, a crashed lab's leftover file,
     * another user's lab, something else than a lab): {@link #messageProperty()} says why and how to fix it.
     */
    NO_LAB,
    CONNECTING,
    LIVE,
    /** The lab's stream ended: the lab was stopped or killed. The packets stay. */
    STOPPED
  }

  private final InspectorModel model;
  private final Executor background;
  private final int backlog;
  private final ReadOnlyObjectWrapper<State> state = new ReadOnlyObjectWrapper<>(this, "state", State.IDLE);
  private final WindowLanguage.Line message;
  private final ReadOnlyStringWrapper startCommand = new ReadOnlyStringWrapper(this, "startCommand",
      "sudo " + Privileges.tunlabCommand() + " lab up");
  private final ReadOnlyLongWrapper offered = new ReadOnlyLongWrapper(this, "offered");
  private final ReadOnlyLongWrapper shown = new ReadOnlyLongWrapper(this, "shown");
  private final ReadOnlyLongWrapper dropped = new ReadOnlyLongWrapper(this, "dropped");
  private final ReadOnlyBooleanWrapper catchingUp = new ReadOnlyBooleanWrapper(this, "catchingUp");
  private final BooleanProperty paused = new SimpleBooleanProperty(this, "paused");
  private final BooleanProperty followNewest = new SimpleBooleanProperty(this, "followNewest", true);
  private final ObservableList<LinkCounters> counters = FXCollections.observableArrayList();
  private Connection connection;

  public LiveSource(InspectorModel model, Executor background) {
    this(model, background, BACKLOG);
  }

  /** A source whose FX thread may fall {@code backlog} packets behind before the reader waits for it. */
  public LiveSource(InspectorModel model, Executor background, int backlog) {
    this.model = model;
    this.background = background;
    this.backlog = backlog;
    this.message = model.language().line(Phrase.verbatim(""));
    paused.addListener((o, was, now) -> {
      if (!now && connection != null) {
        connection.show();
      }
    });
    model.sessionProperty().addListener((o, was, now) -> {
      // The user opened a file: the live stream is no longer what the panes show.
      if (connection != null && connection.session != null && now != null && now != connection.session) {
        disconnect();
      }
    });
  }

  public ReadOnlyObjectProperty<State> stateProperty() {
    return state.getReadOnlyProperty();
  }

  /** One line for the user: what the source does, or how to start a lab. */
  public ReadOnlyStringProperty messageProperty() {
    return message.textProperty();
  }

  /** The command that starts a lab, to copy into a terminal. */
  public ReadOnlyStringProperty startCommandProperty() {
    return startCommand.getReadOnlyProperty();
  }

  /** Packets the lab captured for this window since connecting (or clearing): delivered, or dropped by the lab. */
  public ReadOnlyLongProperty offeredProperty() {
    return offered.getReadOnlyProperty();
  }

  /** Packets in the panes. */
  public ReadOnlyLongProperty shownProperty() {
    return shown.getReadOnlyProperty();
  }

  /**
   * Packets not shown: the lab dropped them because the window fell behind its stream, or the window
   * could not keep up with them (or keep them, beyond {@link #MAX_BYTES}).
   */
  public ReadOnlyLongProperty droppedProperty() {
    return dropped.getReadOnlyProperty();
  }

  /**
   * Whether packets arrived that the panes and counters do not show yet. Once it turns false (and
   * while no more arrive), {@code dropped == offered − shown} holds exactly, as long as no filter
   * hides packets (shown counts the rows the panes hold; a filter's hidden ones are in neither).
   */
  public ReadOnlyBooleanProperty catchingUpProperty() {
    return catchingUp.getReadOnlyProperty();
  }

  /** While paused the panes stand still; the packets arriving meanwhile show on resume. */
  public BooleanProperty pausedProperty() {
    return paused;
  }

  /** Whether the lists scroll to each newest packet. */
  public BooleanProperty followNewestProperty() {
    return followNewest;
  }

  /** Each lab link's rx/tx counters from the lab's {@code stats} request, refreshed by {@link #refreshCounters}. */
  public ObservableList<LinkCounters> counters() {
    return FXCollections.unmodifiableObservableList(counters);
  }

  /** Connects to the lab at {@code socket} if one is there; otherwise says how to start one. */
  public void connect(Path socket) {
    disconnect();
    state.set(State.CONNECTING);
    message.set("live.connecting", socket);
    Connection next = new Connection(socket);
    connection = next;
    background.execute(() -> next.open());
  }

  /** Stops reading the lab (the packets stay in the panes). */
  public void disconnect() {
    Connection old = connection;
    connection = null;
    if (old != null) {
      old.close();
      old.turns.stop();
      catchingUp.set(false);
      if (state.get() == State.LIVE || state.get() == State.CONNECTING) {
        state.set(State.IDLE);
        message.set("live.disconnected", old.socket);
      }
    }
  }

  /** Empties the panes; the stream goes on into a fresh session and the counters start again. */
  public void clear() {
    Connection current = connection;
    if (current == null || current.session == null) {
      return;
    }
    CaptureSession fresh;
    try {
      fresh = CaptureSession.live(current.socket, MAX_BYTES);
    } catch (CaptureSession.SpoolUnavailable e) {
      message.set(e.said()); // the panes and the stream stay as they are
      return;
    }
    current.pendingSession = fresh;
    current.session = fresh;
    current.acknowledge(0);
    model.showLive(fresh, Phrase.of("status.live.cleared", current.socket), true);
    offered.set(0);
    dropped.set(0);
    shown.set(0);
  }

  /** Asks the lab for its links' counters, in the background. */
  public void refreshCounters() {
    Connection current = connection;
    if (current == null || state.get() != State.LIVE) {
      return;
    }
    background.execute(() -> {
      try {
        List<LinkCounters> fresh = new LabClient(current.socket).stats();
        Platform.runLater(() -> {
          if (connection == current) {
            counters.setAll(fresh);
          }
        });
      } catch (IOException e) {
        // The stream's end says it better: the lab stopped.
      }
    });
  }

  /** The socket of the lab connected to, or null. */
  public Path socket() {
    return connection == null ? null : connection.socket;
  }

  /**
   * Why the lab at {@code socket} cannot be used and how to fix it, a line the start command ends. Only
   * an answer other than ok is surely no lab: silence or a stream that cannot be read may be a lab that
   * hangs, is ending, or is of another version.
   */
  private static Phrase unusable(Path socket, Exception e) {
    String why = String.valueOf(e.getMessage());
    if (e instanceof AccessDeniedException) {
      return Phrase.of("live.not.yours", socket, owner(socket));
    }
    if (e instanceof LabClient.LabNotRunningException) {
      return Files.exists(socket, LinkOption.NOFOLLOW_LINKS) ? Phrase.of("live.stale", socket) : Phrase.of("live.no.lab");
    }
    if (e instanceof LabClient.NotALabException) {
      return Phrase.of("live.not.lab", socket, why);
    }
    if (e instanceof LabClient.NoAnswerException) {
      return Phrase.of("live.no.answer", socket, why);
    }
    if (e instanceof CaptureFormatException || e instanceof RuntimeException) {
      return Phrase.of("live.unreadable", socket, why);
    }
    return Phrase.of("live.unreachable", why);
  }

  /**
   * Reads a lab's stream's section header within {@code within}: a peer that answers ok
   * and then nothing would hold the lab-requests thread for ever. A watchdog closes the stream when
   * the time is up; the stream after the header has no time limit (a lab may be quiet for hours).
   */
  private static CaptureReader openWithin(InputStream opened, java.time.Duration within) throws IOException {
    AtomicBoolean settled = new AtomicBoolean();
    CompletableFuture.delayedExecutor(within.toMillis(), TimeUnit.MILLISECONDS).execute(() -> {
      if (settled.compareAndSet(false, true)) {
        closeQuietly(opened); // wakes the read below
      }
    });
    String late = "no capture stream within " + within.toSeconds() + " s of the answer";
    CaptureReader reader;
    try {
      reader = CaptureReader.open(Channels.newChannel(opened));
    } catch (IOException | RuntimeException e) {
      if (settled.compareAndSet(false, true)) {
        throw e;
      }
      throw new LabClient.NoAnswerException(late);
    }
    if (!settled.compareAndSet(false, true)) {
      try (reader) { // the watchdog closed the stream as the header arrived
        throw new LabClient.NoAnswerException(late);
      }
    }
    return reader;
  }

  private static void closeQuietly(InputStream stream) {
    if (stream != null) {
      try {
        stream.close();
      } catch (IOException e) {
        // Closing anyway.
      }
    }
  }

  private static String owner(Path socket) {
    try {
      return Files.getOwner(socket, LinkOption.NOFOLLOW_LINKS).getName();
    } catch (IOException e) {
      return "?";
    }
  }

  /** One connection to a lab: its stream, its reader thread and the counters the reader owns. */
  private final class Connection {
    private final Path socket;
    private final AtomicBoolean updatePending = new AtomicBoolean();
    /** FX thread: runs {@link #turn} once a pulse while packets arrive. */
    private final AnimationTimer turns = new AnimationTimer() {
      @Override
      public void handle(long now) {
        turn(now);
      }
    };
    /** FX thread: the pane whose turn is next in the current round; all of them when no round runs. */
    private int nextPane = PANES.size();
    /** FX thread: when the last round started (pulse time). */
    private long roundStarted = Long.MIN_VALUE / 2;
    private final AtomicLong offeredCount = new AtomicLong();
    private final AtomicLong droppedCount = new AtomicLong();
    /** Reader thread: per interface, the packets the lab dropped for this window, as its last statistics block said. */
    private long[] labDropped = new long[0];
    private volatile InputStream stream;
    private volatile boolean closed;
    /** The session the reader fills; replaced by {@link #clear}. */
    private volatile CaptureSession session;
    /** A session {@link #clear} made, which the reader takes at its next packet (and resets its counts). */
    private volatile CaptureSession pendingSession;
    /** How many of the session's packets the FX thread has taken. */
    private volatile int acknowledged;
    /** The thread reading the stream, which waits while the FX thread is a backlog behind. */
    private volatile Thread readerThread;
    /** When the reader last waited for room (System.nanoTime), or never. */
    private volatile long lastWaitedForRoom = Long.MIN_VALUE / 2;
    /** FX thread: what the bar says keeps packets from being kept (the spool's disk is full), or null. */
    private Phrase keepingProblem;

    Connection(Path socket) {
      this.socket = socket;
    }

    /** Background: connects and starts the reader, or reports that no lab answers. */
    void open() {
      InputStream opened = null;
      CaptureReader reader;
      try {
        opened = new LabClient(socket).captureStream();
        reader = openWithin(opened, LabClient.CAPTURE_ANSWER);
      } catch (IOException | RuntimeException e) {
        closeQuietly(opened);
        failed(State.NO_LAB, unusable(socket, e));
        return;
      }
      stream = opened;
      CaptureSession live;
      try {
        live = CaptureSession.live(socket, MAX_BYTES);
      } catch (CaptureSession.SpoolUnavailable e) {
        close();
        failed(State.IDLE, e.said());
        return;
      }
      session = live;
      Platform.runLater(() -> {
        if (connection != this) {
          close();
          return;
        }
        state.set(State.LIVE);
        message.set("live.live", socket);
        model.showLive(live, Phrase.of("status.live", socket));
        refreshCounters();
      });
      Thread thread = new Thread(() -> read(reader), "lab stream reader");
      thread.setDaemon(true);
      readerThread = thread;
      thread.start();
      if (closed) {
        close();
      }
    }

    private void read(CaptureReader reader) {
      FramePriority.lowerCurrentThread(); // the FX thread comes first: packets wait in the lab's queue meanwhile
      String reason = null;
      reader.onStatistics(this::labDropped);
      try (reader) {
        while (!closed && reader.advance()) {
          offer(reader);
        }
      } catch (IOException e) {
        reason = e.getMessage();
      }
      String why = reason;
      // The lab never ends a stream it can still write (it drops and counts instead): it stopped.
      Platform.runLater(() -> ended(why));
    }

    /** Reader thread: the counters start again once the panes were cleared. */
    private void takeClearedSession() {
      if (pendingSession != null) {
        pendingSession = null;
        offeredCount.set(0);
        droppedCount.set(0);
      }
    }

    /** Reader thread: the lab dropped packets for this window; they count as offered and dropped. */
    private void labDropped(InterfaceStatistics statistics) {
      int device = statistics.interfaceIndex();
      if (statistics.dropped() < 0) {
        return;
      }
      takeClearedSession();
      if (device >= labDropped.length) {
        labDropped = java.util.Arrays.copyOf(labDropped, device + 1);
      }
      long more = statistics.dropped() - labDropped[device];
      labDropped[device] = statistics.dropped();
      offeredCount.addAndGet(more);
      droppedCount.addAndGet(more);
      requestUpdate();
    }

    /**
     * Reader thread: keeps the packet {@code arriving} has just read once the FX thread is less than
     * the backlog behind, unless memory or the spool's disk is spent.
     */
    private void offer(CaptureReader arriving) {
      awaitRoom();
      takeClearedSession();
      offeredCount.incrementAndGet();
      if (!session.append(arriving)) {
        droppedCount.incrementAndGet();
      }
      requestUpdate();
    }

    /**
     * Reader thread: while the FX thread is {@code backlog} packets behind, reads no further. The lab
     * then drops the packets that find its hand-over full, at no cost, and counts them in the stream
     * (offered and dropped here too), rather than this thread reading and storing packets only to drop
     * them, which took a third of a core at full rate from the cores the window's frames wait for.
     */
    private void awaitRoom() {
      while (!closed && pendingSession == null && session.size() - acknowledged >= backlog) {
        lastWaitedForRoom = System.nanoTime();
        LockSupport.parkNanos(this, ROOM_POLL_NANOS); // or until the FX thread takes packets and unparks it
      }
    }

    /** One update in flight at most, however many packets arrive meanwhile. */
    private void requestUpdate() {
      if (updatePending.compareAndSet(false, true)) {
        Platform.runLater(this::update);
      }
    }

    /** FX thread: the panes took the session's first {@code count} packets; a reader waiting for room reads on. */
    void acknowledge(int count) {
      acknowledged = count;
      Thread waiting = readerThread;
      if (waiting != null) {
        LockSupport.unpark(waiting);
      }
    }

    /** FX thread: packets arrived; the pulses take them in turns. */
    void update() {
      catchingUp.set(true);
      turns.start();
    }

    /**
     * FX thread, once a pulse while packets arrive: at most once per {@link #UPDATE_INTERVAL} (or
     * {@link #FULL_RATE_UPDATE_INTERVAL}) a round takes what arrived, however many packets came, one
     * pane a pulse (so no pulse lays out and paints the new rows of every pane), then the counters once.
     * Between rounds a pulse costs nothing.
     */
    private void turn(long now) {
      if (connection != this || session == null) {
        turns.stop();
        return;
      }
      if (nextPane == PANES.size()) {
        boolean fullRate = System.nanoTime() - lastWaitedForRoom < 1_000_000_000L;
        if (now - roundStarted < (fullRate ? FULL_RATE_UPDATE_INTERVAL : UPDATE_INTERVAL).toNanos()) {
          return;
        }
        roundStarted = now;
        nextPane = 0;
        updatePending.set(false);
        acknowledge(session.size());
      }
      if (!paused.get()) {
        model.showArrived(liveMessage(), EnumSet.of(PANES.get(nextPane)));
      }
      nextPane++;
      if (nextPane == PANES.size()) {
        showCounts();
        if (!updatePending.get()) {
          turns.stop();
          catchingUp.set(false);
        }
      }
    }

    /** FX thread: shows what arrived now, in every pane at once. */
    void show() {
      turns.stop();
      catchingUp.set(false);
      nextPane = PANES.size();
      updatePending.set(false);
      if (connection != this || session == null) {
        return;
      }
      acknowledge(session.size());
      if (!paused.get()) {
        model.showArrived(liveMessage());
      }
      showCounts();
    }

    private Phrase liveMessage() {
      return Phrase.of(state.get() == State.STOPPED ? "status.stopped" : "status.live", socket);
    }

    /**
     * The counters of what the panes took, read after them: never fewer offered than shown; and
     * while live, the bar says so when the packets arriving cannot be kept (and when they can again).
     */
    private void showCounts() {
      if (!paused.get()) {
        shown.set(PANES.stream().mapToLong(kind -> model.pane(kind).rows().size()).sum());
      }
      offered.set(offeredCount.get());
      dropped.set(droppedCount.get());
      Phrase problem = session.keepingProblem();
      if (state.get() == State.LIVE && !java.util.Objects.equals(problem, keepingProblem)) {
        message.set(problem != null ? problem : Phrase.of("live.live", socket));
      }
      keepingProblem = problem;
    }

    private void ended(String reason) {
      if (connection != this) {
        return;
      }
      show();
      state.set(State.STOPPED);
      String at = LocalTime.now().format(CLOCK);
      message.set(reason == null ? Phrase.of("live.stopped", at, shown.get())
          : Phrase.of("live.stopped.why", at, reason, shown.get()));
      counters.clear();
    }

    /** Background: this connection ends before it started; the bar says why (FX thread). */
    private void failed(State now, Phrase why) {
      Platform.runLater(() -> {
        if (connection == this) {
          connection = null;
          state.set(now);
          message.set(why);
        }
      });
    }

    void close() {
      closed = true;
      closeQuietly(stream); // wakes the reader blocked on the socket
    }
  }
}
