package io.github.tuntaplab.inspector.ui;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.tuntaplab.inspector.ui.live.LiveSource;
import io.github.tuntaplab.tunlib.capture.PcapngWriter;
import io.github.tuntaplab.tunlib.packet.LinkType;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import javafx.stage.Stage;
import org.junit.jupiter.api.Test;
import org.testfx.framework.junit5.Start;

/**
 * No spool file can be made for the live packets (here: {@code tuntaplab.spool.dir} names a missing
 * directory; no privileges needed): connecting to a lab, and clearing the panes while live, each end
 * with one line in the live bar saying where, why and which property chooses another directory,
 * instead of "Connecting…" for ever or a clear that silently does nothing.
 */
class SpoolUnavailableTest extends InspectorWindowTest {
  @Start
  void start(Stage stage) {
    show(stage);
  }

  @Test
  void aMissingSpoolDirectoryIsSaidInTheLiveBarWhenConnectingAndWhenClearing() throws Exception {
    Path directory = Files.createTempDirectory("tl-spool-unavailable");
    Path socket = directory.resolve("lab.sock");
    Path missing = directory.resolve("no-such-directory");
    ExecutorService requests = Executors.newSingleThreadExecutor();
    String before = System.getProperty(LivePackets.DIRECTORY_PROPERTY);
    try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
      server.bind(UnixDomainSocketAddress.of(socket));
      LiveSource live = Inspector.onFx(() -> new LiveSource(inspector.model, requests, 50));

      // Live with a spool, then Clear once the spool's directory is gone.
      Inspector.onFx(() -> live.connect(socket));
      try (SocketChannel lab = streamTo(server)) {
        LabWindow.await("connected", 20, () -> live.stateProperty().get() == LiveSource.State.LIVE);
        CaptureSession session = Inspector.onFx(() -> inspector.model.sessionProperty().get());
        System.setProperty(LivePackets.DIRECTORY_PROPERTY, missing.toString());
        Inspector.onFx(live::clear);
        assertSaysTheSpoolIsMissing(Inspector.onFx(() -> live.messageProperty().get()), missing);
        assertThat(Inspector.onFx(() -> inspector.model.sessionProperty().get())).isSameAs(session);
        assertThat(Inspector.onFx(() -> live.stateProperty().get())).isEqualTo(LiveSource.State.LIVE);
        Inspector.onFx(live::disconnect);
      }

      // Connecting while the directory is missing: the lab answers, the window cannot keep its packets.
      Inspector.onFx(() -> live.connect(socket));
      try (SocketChannel lab = streamTo(server)) {
        LabWindow.await("the connection given up", 20, () -> live.stateProperty().get() != LiveSource.State.CONNECTING);
        assertThat(Inspector.onFx(() -> live.stateProperty().get())).isEqualTo(LiveSource.State.IDLE);
        assertSaysTheSpoolIsMissing(Inspector.onFx(() -> live.messageProperty().get()), missing);
        assertThat(Inspector.onFx(() -> live.socket())).isNull();
      }
    } finally {
      if (before == null) {
        System.clearProperty(LivePackets.DIRECTORY_PROPERTY);
      } else {
        System.setProperty(LivePackets.DIRECTORY_PROPERTY, before);
      }
      requests.shutdownNow();
      Files.deleteIfExists(socket);
      Files.deleteIfExists(directory);
    }
  }

  private static void assertSaysTheSpoolIsMissing(String message, Path missing) {
    assertThat(message).startsWith("Cannot keep live packets").contains(missing.toString())
        .contains("no such directory").contains("-D" + LivePackets.DIRECTORY_PROPERTY + "=DIR")
        .contains("java.io.tmpdir").doesNotContain("\n");
  }

  /**
   * Accepts the window's capture request as a lab does and starts the stream (no packets yet); other
   * requests (the live bar's counters) go unanswered.
   */
  private static SocketChannel streamTo(ServerSocketChannel server) throws IOException {
    SocketChannel client;
    while (!request(client = server.accept()).equals("capture\n")) {
      client.close();
    }
    client.write(ByteBuffer.wrap("ok\n".getBytes()));
    PcapngWriter stream = PcapngWriter.to(client, false);
    stream.addInterface(LinkType.RAW, "tl-tun0", "tun in namespace tl-client", 0);
    stream.flush();
    return client;
  }

  private static String request(SocketChannel client) throws IOException {
    ByteBuffer request = ByteBuffer.allocate(64);
    while ((request.position() == 0 || request.get(request.position() - 1) != '\n') && client.read(request) >= 0) {
      // until the request's line ends, or the window closed the connection
    }
    return new String(request.array(), 0, request.position());
  }
}
