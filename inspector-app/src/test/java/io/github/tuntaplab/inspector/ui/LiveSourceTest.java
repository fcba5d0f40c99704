package io.github.tuntaplab.inspector.ui;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.tuntaplab.inspector.ui.live.LiveSource;
import io.github.tuntaplab.tunlib.capture.Direction;
import io.github.tuntaplab.tunlib.capture.InterfaceStatistics;
import io.github.tuntaplab.tunlib.capture.PcapngWriter;
import io.github.tuntaplab.tunlib.net.MacAddress;
import io.github.tuntaplab.tunlib.packet.LinkType;
import io.github.tuntaplab.tunlib.packet.PacketTemplates;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import javafx.application.Platform;
import javafx.stage.Stage;
import org.junit.jupiter.api.Test;
import org.testfx.framework.junit5.Start;

/**
 * The live source against a stand-in lab (no privileges: a socket of the test's that speaks the lab's
 * protocol, LAB-PROTOCOL.md): a burst of packets faster than the window takes them, while the lab
 * says in a statistics block that it dropped some. The window reads no more than its backlog ahead of
 * the FX thread (the lab's writes wait meanwhile, and a real lab would drop and count), every packet is
 * shown or counted dropped, and the end of the stream is the stopped state at once.
 */
class LiveSourceTest extends InspectorWindowTest {
  private static final int BURST = 3000;
  private static final long LAB_DROPPED = 123;

  @Start
  void start(Stage stage) {
    show(stage);
  }

  @Test
  void everyPacketOfABurstIsShownOrCountedDroppedAndTheStreamsEndIsAStoppedLab() throws Exception {
    Path directory = Files.createTempDirectory("tl-live-source");
    Path socket = directory.resolve("lab.sock");
    ExecutorService requests = Executors.newSingleThreadExecutor();
    try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
      server.bind(UnixDomainSocketAddress.of(socket));
      LiveSource live = Inspector.onFx(() -> new LiveSource(inspector.model, requests, 50));
      Inspector.onFx(() -> live.connect(socket));
      try (SocketChannel client = StandInLab.accept(server, Duration.ofSeconds(20))) {
        assertThat(StandInLab.request(client, Duration.ofSeconds(20))).isEqualTo("capture\n");
        client.write(ByteBuffer.wrap("ok\n".getBytes()));
        PcapngWriter stream = PcapngWriter.to(client, false);
        stream.addInterface(LinkType.ETHERNET, "tl-eth0", "veth in namespace tl-client", 0);
        stream.addInterface(LinkType.RAW, "tl-tun0", "tun in namespace tl-client", 0);
        stream.flush();
        LabWindow.await("connected", 20, () -> live.stateProperty().get() == LiveSource.State.LIVE);

        CaptureSession session = Inspector.onFx(() -> inspector.model.sessionProperty().get());
        // The FX thread is busy while the burst arrives: the window falls more than 50 packets behind.
        CountDownLatch busy = new CountDownLatch(1);
        Platform.runLater(() -> {
          busy.countDown();
          sleep(1500);
        });
        busy.await();
        byte[] echo = PacketTemplates.icmpEcho(InetAddress.getByName("198.18.0.1"),
            InetAddress.getByName("198.18.0.2"), 7, 1, new byte[1400]);
        byte[] frame = PacketTemplates.ethernet(MacAddress.parse("02:54:4c:64:00:01"),
            MacAddress.parse("02:54:4c:64:00:02"), echo);
        Instant start = Instant.now();
        // 4.5 MB: far more than the socket and the reader's buffer hold, so the writes wait for the window.
        CompletableFuture<Void> burst = CompletableFuture.runAsync(() -> {
          try {
            for (int i = 0; i < BURST; i++) {
              byte[] data = i % 2 == 0 ? frame : echo;
              stream.write(i % 2, start.plusNanos(i * 1000L), data, 0, data.length, data.length, null,
                  Direction.UNKNOWN);
            }
            // What the lab could not hand over to this window, as the lab reports it.
            stream.writeStatistics(new InterfaceStatistics(1, Instant.now(), BURST / 2 + LAB_DROPPED, LAB_DROPPED));
            stream.flush();
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        });
        Thread.sleep(1000);
        assertThat(session.size()).as("packets kept while the FX thread took none").isLessThanOrEqualTo(50);
        assertThat(burst).as("the lab's writes wait for the window").isNotDone();
        burst.get(20, TimeUnit.SECONDS);

        LabWindow.await("the window to catch up", 20, () -> !live.catchingUpProperty().get()
            && live.offeredProperty().get() == BURST + LAB_DROPPED);
        long[] figures = Inspector.onFx(() -> new long[] {live.offeredProperty().get(), live.shownProperty().get(),
            live.droppedProperty().get(), inspector.model.pane(PaneKind.TAP).rows().size()
            + inspector.model.pane(PaneKind.TUN).rows().size() + inspector.model.pane(PaneKind.UNDERLAY).rows().size()});
        assertThat(figures[1]).as("shown").isEqualTo(figures[3]).isEqualTo(BURST);
        assertThat(figures[2]).as("dropped: the lab's").isEqualTo(LAB_DROPPED);
        assertThat(Inspector.onFx(() -> live.stateProperty().get())).isEqualTo(LiveSource.State.LIVE);
      }
      // The lab's end of the socket closed: the window says the lab stopped, without waiting for anything.
      long closed = System.nanoTime();
      LabWindow.await("the stopped state", 10, () -> live.stateProperty().get() == LiveSource.State.STOPPED);
      assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - closed)).isLessThan(2000);
    } finally {
      requests.shutdownNow();
      Files.deleteIfExists(socket);
      Files.deleteIfExists(directory);
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
