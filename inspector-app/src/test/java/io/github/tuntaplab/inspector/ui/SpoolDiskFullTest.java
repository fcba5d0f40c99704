package io.github.tuntaplab.inspector.ui;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.tuntaplab.inspector.ui.live.LiveSource;
import io.github.tuntaplab.lessons.lesson.Language;
import io.github.tuntaplab.lessons.lesson.Words;
import io.github.tuntaplab.tunlib.capture.Direction;
import io.github.tuntaplab.tunlib.capture.PcapngWriter;
import io.github.tuntaplab.tunlib.packet.LinkType;
import io.github.tuntaplab.tunlib.testsupport.Cmd;
import io.github.tuntaplab.tunlib.testsupport.Prerequisites;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import javafx.stage.Stage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.testfx.framework.junit5.Start;

/**
 * The live spool's disk fills up while a lab streams: the spool is put on a 2 MiB tmpfs of its own
 * (mounted as root, unmounted whatever happens) and a stand-in lab streams 5 MiB. Nothing breaks; the
 * packets that could not be kept count as dropped (dropped == offered − shown); the live bar says in
 * one line that the spool's disk is full, where, and how large it is. Once the disk has room again
 * (grown), the batch held in memory meanwhile is written (at most once a second the spool tries
 * again) and the packets are kept again, the bar back to live; and every packet kept reads back byte for byte, from the spool file or the batch.
 */
class SpoolDiskFullTest extends LabWindowTest {
  private static final int PACKETS = 3600;
  private static final int MORE = 500;
  private static final int LENGTH = 1400;
  private static final String MOUNT_PREFIX = "tl-spool-";
  /** Stands for the system's words in a message: they are in the system's language. */
  private static final String MARK = "\u0000";
  private static final Duration WAIT = Duration.ofSeconds(20);
  private final Random random = new Random(7);

  @Start
  void start(Stage stage) {
    showWithLab(stage);
  }

  @Test
  @Timeout(120)
  void aFullSpoolDiskDropsAndSaysSoAndKeepsWhatItHas() throws Exception {
    Prerequisites.require(Cmd.ok("id", "-u").strip().equals("0"), "needs root to mount a tmpfs for the spool");
    unmountLeftovers();
    List<Path> made = new ArrayList<>();
    Path disk = null;
    Throwable failure = null;
    try {
      disk = made(made, Files.createTempDirectory("tl-spool"));
      Path lab = made(made, Files.createTempDirectory("tl-spool-lab"));
      Path socket = lab.resolve("lab.sock");
      Cmd.ok("mount", "-t", "tmpfs", "-o", "size=2m", MOUNT_PREFIX + ProcessHandle.current().pid(), disk.toString());
      made.add(socket);
      fillTheSpoolsDisk(disk, socket);
    } catch (Throwable e) {
      failure = e;
      throw e;
    } finally {
      System.clearProperty(LivePackets.DIRECTORY_PROPERTY);
      cleanUp(disk, made, failure);
    }
  }

  private void fillTheSpoolsDisk(Path disk, Path socket) throws Exception {
    try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
      System.setProperty(LivePackets.DIRECTORY_PROPERTY, disk.toString());
      server.bind(UnixDomainSocketAddress.of(socket));
      LiveSource live = window.features.live();
      Inspector.onFx(() -> live.connect(socket));
      List<byte[]> sent = new ArrayList<>();
      Words english = Words.of(WindowLanguage.TABLE, Language.ENGLISH, WindowLanguage.class);
      CaptureSession session;
      long keptWhileFull;
      try (SocketChannel client = StandInLab.accept(server, WAIT)) {
        PcapngWriter stream = StandInLab.capture(client, WAIT, LinkType.RAW, "tl-tun0", "tun in namespace tl-client");
        LabWindow.await("connected", 20, () -> live.stateProperty().get() == LiveSource.State.LIVE);
        stream(stream, PACKETS, sent);
        awaitOffered(live, PACKETS);
        session = Inspector.onFx(() -> inspector.model.sessionProperty().get());
        keptWhileFull = session.size();
        // 2 MiB in the file, up to 1 MiB more in the batch held in memory: about 2,200 of the 3,600 kept.
        assertThat(keptWhileFull).isBetween(1400L, 2300L);
        assertCounted(live, keptWhileFull);
        // While the lab streams on, the bar says why packets are dropped, with the system's words (in the
        // system's language) where the mark is.
        String[] aroundTheSystemsWords = english.format("live.spool.full", disk, 2.0, MARK, keptWhileFull).split(MARK);
        assertThat(Inspector.onFx(() -> window.features.bar().stateText()))
            .startsWith(english.format("live.state.live") + " " + aroundTheSystemsWords[0])
            .endsWith(aroundTheSystemsWords[1]);

        // The disk has room again (grown): once the spool's pause between retries is over, the batch held
        // in memory is written at the next packet, and the packets after it are kept again.
        Cmd.ok("mount", "-o", "remount,size=8m", disk.toString());
        Thread.sleep(LivePackets.SPOOL_RETRY.toMillis() + 500);
        stream(stream, MORE, sent);
        awaitOffered(live, PACKETS + MORE);
        assertCounted(live, keptWhileFull + MORE);
        assertThat(Inspector.onFx(() -> window.features.bar().stateText()))
            .isEqualTo(english.format("live.state.live") + " " + english.format("live.live", socket));
      }
      // What was kept reads back byte for byte: the packets before the disk was full, and those after it had room.
      assertThat(session.size()).isEqualTo(keptWhileFull + MORE);
      for (int number = 0; number < session.size(); number++) {
        int which = number < keptWhileFull ? number : PACKETS + number - (int) keptWhileFull;
        assertThat(session.packet(number).data()).as("packet %d", number).isEqualTo(sent.get(which));
      }
      Inspector.onFx(live::disconnect);
      session.close();
    }
  }

  private static Path made(List<Path> made, Path path) {
    made.add(path);
    return path;
  }

  /**
   * Unmounts the spool's tmpfs lazily (detached at once even while a failed run still holds the spool
   * file open) and deletes what the test made, newest first; each step is tried whatever the others
   * did, and what fails joins the test's failure, or is one.
   */
  private static void cleanUp(Path disk, List<Path> made, Throwable failure) throws IOException {
    IOException cleanup = new IOException("cleaning up after the spool test");
    if (disk != null && Cmd.run("umount", "--lazy", disk.toString()).exitCode() != 0
        && Files.readString(Path.of("/proc/self/mounts")).contains(" " + disk + " ")) {
      cleanup.addSuppressed(new IOException("still mounted: " + disk));
    }
    for (int i = made.size() - 1; i >= 0; i--) {
      try {
        Files.deleteIfExists(made.get(i));
      } catch (IOException e) {
        cleanup.addSuppressed(e);
      }
    }
    if (cleanup.getSuppressed().length == 0) {
      return;
    }
    if (failure != null) {
      failure.addSuppressed(cleanup);
    } else {
      throw cleanup;
    }
  }

  /** A spool tmpfs of an earlier run that died before its cleanup (its pid is gone): unmounted and removed. */
  private static void unmountLeftovers() throws IOException {
    for (String mount : Files.readAllLines(Path.of("/proc/self/mounts"))) {
      String[] fields = mount.split(" ");
      if (fields.length > 2 && fields[2].equals("tmpfs") && fields[0].matches(MOUNT_PREFIX + "[0-9]+")
          && ProcessHandle.of(Long.parseLong(fields[0].substring(MOUNT_PREFIX.length()))).isEmpty()) {
        Cmd.run("umount", "--lazy", fields[1]);
        Files.deleteIfExists(Path.of(fields[1]));
      }
    }
  }

  /** Streams {@code count} packets of random bytes (IPv4-looking, for the TUN pane), remembered in {@code sent}. */
  private void stream(PcapngWriter stream, int count, List<byte[]> sent) throws Exception {
    Instant start = Instant.now();
    for (int i = 0; i < count; i++) {
      byte[] data = new byte[LENGTH];
      random.nextBytes(data);
      data[0] = 0x45;
      sent.add(data);
      stream.write(0, start.plusNanos(i * 1000L), data, 0, LENGTH, LENGTH, null, Direction.UNKNOWN);
    }
    stream.flush();
  }

  private static void awaitOffered(LiveSource live, long count) {
    LabWindow.await(count + " packets offered", 30, () -> !live.catchingUpProperty().get()
        && live.offeredProperty().get() == count);
  }

  /** {@code kept} packets shown, every other one offered counted dropped. */
  private static void assertCounted(LiveSource live, long kept) {
    long[] counters = Inspector.onFx(() -> new long[] {live.offeredProperty().get(), live.shownProperty().get(),
        live.droppedProperty().get()});
    assertThat(counters[1]).as("shown").isEqualTo(kept);
    assertThat(counters[2]).as("dropped").isEqualTo(counters[0] - counters[1]).isPositive();
  }
}
