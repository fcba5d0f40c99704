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
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import javafx.stage.Stage;
import org.junit.jupiter.api.Test;
import org.testfx.framework.junit5.Start;

/**
 * The live spool's disk fills up while a lab streams: the spool is put on a 2 MiB tmpfs of its own
 * (mounted as root, unmounted whatever happens) and a stand-in lab streams 5 MiB. Nothing breaks; the
 * packets that could not be kept count as dropped (dropped == offered − shown); the live bar says in
 * one line that the spool's disk is full, where, and how large it is. Once the disk has room again
 * (grown), the batch held in memory meanwhile is written and the packets are kept again, the bar back
 * to live; and every packet kept reads back byte for byte, from the spool file or the batch.
 */
class SpoolDiskFullTest extends LabWindowTest {
  private static final int PACKETS = 3600;
  private static final int MORE = 500;
  private static final int LENGTH = 1400;
  private final Random random = new Random(7);

  @Start
  void start(Stage stage) {
    showWithLab(stage);
  }

  @Test
  void aFullSpoolDiskDropsAndSaysSoAndKeepsWhatItHas() throws Exception {
    Prerequisites.require(Cmd.ok("id", "-u").strip().equals("0"), "needs root to mount a tmpfs for the spool");
    Path disk = Files.createTempDirectory("tl-spool");
    Path lab = Files.createTempDirectory("tl-spool-lab");
    Path socket = lab.resolve("lab.sock");
    Cmd.ok("mount", "-t", "tmpfs", "-o", "size=2m", "tl-spool-" + ProcessHandle.current().pid(), disk.toString());
    try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
      System.setProperty(LivePackets.DIRECTORY_PROPERTY, disk.toString());
      server.bind(UnixDomainSocketAddress.of(socket));
      LiveSource live = window.features.live();
      Inspector.onFx(() -> live.connect(socket));
      List<byte[]> sent = new ArrayList<>();
      Words english = Words.of(WindowLanguage.TABLE, Language.ENGLISH, WindowLanguage.class);
      CaptureSession session;
      long keptWhileFull;
      try (SocketChannel client = server.accept()) {
        ByteBuffer request = ByteBuffer.allocate(64);
        while (request.position() == 0 || request.get(request.position() - 1) != '\n') {
          client.read(request);
        }
        client.write(ByteBuffer.wrap("ok\n".getBytes()));
        PcapngWriter stream = PcapngWriter.to(client, false);
        stream.addInterface(LinkType.RAW, "tl-tun0", "tun in namespace tl-client", 0);
        stream.flush();
        LabWindow.await("connected", 20, () -> live.stateProperty().get() == LiveSource.State.LIVE);
        stream(stream, PACKETS, sent);
        awaitOffered(live, PACKETS);
        session = Inspector.onFx(() -> inspector.model.sessionProperty().get());
        keptWhileFull = session.size();
        // 2 MiB in the file, up to 1 MiB more in the batch held in memory: about 2,200 of the 3,600 kept.
        assertThat(keptWhileFull).isBetween(1400L, 2300L);
        assertCounted(live, keptWhileFull);
        // While the lab streams on, the bar says why packets are dropped.
        assertThat(Inspector.onFx(() -> window.features.bar().stateText())).isEqualTo(english.format("live.state.live")
            + " " + english.format("live.spool.full", disk, 2.0, "No space left on device", keptWhileFull));

        // The disk has room again (grown): the batch held in memory is written at the next packet, and the
        // packets after it are kept again.
        Cmd.ok("mount", "-o", "remount,size=8m", disk.toString());
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
    } finally {
      System.clearProperty(LivePackets.DIRECTORY_PROPERTY);
      // Lazily: detached at once even while a failed run still holds the spool file open.
      Cmd.run("umount", "--lazy", disk.toString());
      Files.deleteIfExists(disk);
      Files.deleteIfExists(socket);
      Files.deleteIfExists(lab);
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
