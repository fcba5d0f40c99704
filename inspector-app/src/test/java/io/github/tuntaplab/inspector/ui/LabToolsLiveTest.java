package io.github.tuntaplab.inspector.ui;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.tuntaplab.inspector.ui.craft.CraftModel;
import io.github.tuntaplab.inspector.ui.craft.CraftTarget;
import io.github.tuntaplab.inspector.ui.live.LiveSource;
import io.github.tuntaplab.inspector.ui.routing.RoutingModel;
import io.github.tuntaplab.inspector.ui.tools.LabTools;
import io.github.tuntaplab.lessons.lab.LabClient;
import io.github.tuntaplab.lessons.lab.LabHost;
import io.github.tuntaplab.lessons.lab.LabSettings;
import io.github.tuntaplab.lessons.lab.Topology;
import io.github.tuntaplab.tunlib.capture.CaptureReader;
import io.github.tuntaplab.tunlib.capture.CapturedPacket;
import io.github.tuntaplab.tunlib.capture.Direction;
import io.github.tuntaplab.tunlib.capture.PcapngWriter;
import io.github.tuntaplab.tunlib.packet.Field;
import io.github.tuntaplab.tunlib.packet.LinkType;
import io.github.tuntaplab.tunlib.testsupport.Cmd;
import io.github.tuntaplab.tunlib.testsupport.LiveTest;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import javafx.scene.control.Button;
import javafx.scene.control.TreeItem;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/**
 * The lab tools against a real lab (the default topology, hosted in this JVM as {@code sudo tunlab
 * lab up} hosts it, with namespaces and socket of the test's own): the routing lookup box agrees
 * with the kernel for a table of destinations, and a crafted ICMP echo sent into the TUN is
 * answered, with both packets in the lab's capture and the answer's way drawn on the topology; with
 * its checksum pinned to a wrong value it is sent as it is, tcpdump -v flags it and nobody answers.
 * Into the TAP, a crafted ARP request, an Ethernet frame with an ICMP echo (and its duplicate, taken
 * from the live pane) and one with a UDP datagram are answered by the kernel (ARP reply, echo
 * replies, port unreachable), all of it in the live TAP pane.
 */
@LiveTest
class LabToolsLiveTest extends InspectorWindowTest {
  private static Path directory;
  private static LabSettings settings;
  private static LabHost host;
  private LabTools tools;

  @BeforeAll
  static void labUp() throws Exception {
    directory = Files.createTempDirectory("tl-lab-tools");
    Files.setPosixFilePermissions(directory, PosixFilePermissions.fromString("rwxr-xr-x"));
    settings = new LabSettings("tl-l" + ProcessHandle.current().pid() + "-90-", directory);
    host = LabHost.start(Topology.load("default"), settings, OptionalInt.empty(), OptionalInt.empty(), () -> {});
    // Overlapping prefixes and metrics for the lookup box to explain.
    String client = settings.namespace("client");
    for (String route : List.of("203.0.113.0/25 via 198.51.100.1 metric 50", "203.0.113.0/25 dev tl-tun0 metric 10",
        "203.0.113.89/32 via 198.51.100.1", "blackhole 198.19.128.0/17", "198.18.0.0/15 dev tl-tun0 metric 5")) {
      Cmd.ok(Cmd.concat(List.of("ip", "-n", client, "route", "add"), route.split(" ")));
    }
    for (String route : List.of("2001:db8:113::/48 via 2001:db8:100::1", "2001:db8:113::/64 dev tl-tun0 metric 300",
        "2001:db8:113::/64 via 2001:db8:100::1 metric 400")) {
      Cmd.ok(Cmd.concat(List.of("ip", "-n", client, "-6", "route", "add"), route.split(" ")));
    }
  }

  @AfterAll
  static void labDown() throws Exception {
    if (host != null) {
      host.close();
    }
  }

  @Start
  void start(Stage stage) {
    show(stage);
    // Requests run where they are made: on the FX thread, one after another, in step with the test.
    tools = new LabTools(inspector.model, () -> new LabClient(settings.socket()), Runnable::run);
    inspector.view.installLabTools(tools);
  }

  private void connect() {
    Inspector.onFx(() -> tools.connect());
    WaitForAsyncUtils.waitForFxEvents();
    WaitForAsyncUtils.waitForFxEvents();
  }

  @Test
  void theLookupBoxAgreesWithTheKernel() throws Exception {
    connect();
    RoutingModel routing = tools.routingPanel().model();
    String shown = Inspector.onFx(() -> routing.ipRouteTextProperty().get());
    String client = settings.namespace("client");
    List<String> ip = new ArrayList<>(Cmd.ok("ip", "-n", client, "route").lines().map(String::stripTrailing).toList());
    Cmd.ok("ip", "-n", client, "-6", "route").lines().map(String::stripTrailing).forEach(ip::add);
    // Link-local routes may still be arriving: the rest must be exactly ip's.
    assertThat(shown.lines().filter(l -> !l.startsWith("fe80"))).containsExactlyElementsOf(
        ip.stream().filter(l -> !l.startsWith("fe80")).toList());
    assertThat(Inspector.onFx(() -> routing.windowsTextProperty().get()))
        .contains("          0.0.0.0          0.0.0.0     198.51.100.1     198.51.100.2      0");

    List<String> destinations = List.of("203.0.113.77", "203.0.113.200", "203.0.113.89", "198.18.0.2",
        "198.18.7.7", "198.19.200.1", "198.19.0.2", "198.51.100.2", "8.8.8.8", "2001:db8:113::8", "2001:db8:113:5::1",
        "2001:db8:18::2", "2001:db8:100::2", "2001:db8:99::1");
    for (String destination : destinations) {
      Inspector.onFx(() -> {
        tools.routingPanel().destinationField().setText(destination);
        tools.routingPanel().destinationField().fireEvent(new javafx.event.ActionEvent());
      });
      WaitForAsyncUtils.waitForFxEvents();
      WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS,
          () -> Inspector.onFx(() -> routing.agreementProperty().get() != RoutingModel.Agreement.PENDING));
      assertThat(Inspector.onFx(() -> routing.kernelProperty().get())).as(destination)
          .isEqualTo(Inspector.onFx(() -> routing.oursProperty().get()));
      assertThat(Inspector.onFx(() -> routing.agreementProperty().get())).as(destination)
          .isEqualTo(RoutingModel.Agreement.AGREE);
      assertThat(Inspector.onFx(() -> tools.routingPanel().verdictLabel().getText())).as(destination)
          .isEqualTo("✔ the kernel agrees");
    }
    Inspector.onFx(() -> routing.lookup("203.0.113.77"));
    WaitForAsyncUtils.waitForFxEvents();
    List<String> reasons = Inspector.onFx(() -> tools.routingPanel().candidateList().getItems().stream()
        .map(c -> c.route() + ": " + c.reason()).toList());
    assertThat(reasons).containsExactly("203.0.113.0/25 dev tl-tun0 scope link metric 10: wins: the longest matching "
        + "prefix, /25, and the lowest metric among those, 10",
        "203.0.113.0/25 via 198.51.100.1 dev tl-eth0 scope global metric 50: loses: the same /25, but metric 50 is "
            + "higher than 10",
        "default via 198.51.100.1 dev tl-eth0 scope global: loses: /0 is shorter than /25");
  }

  /** The lab's capture stream, read into a queue by a thread of its own until closed. */
  private static InputStream capture(BlockingQueue<CapturedPacket> captured) throws IOException {
    InputStream stream = new LabClient(settings.socket()).captureStream();
    Thread reader = new Thread(() -> {
      try (CaptureReader capture = CaptureReader.open(Channels.newChannel(stream))) {
        for (CapturedPacket packet; (packet = capture.next()) != null; ) {
          captured.add(packet);
        }
      } catch (IOException e) {
        // The stream was closed: the test is over.
      }
    }, "lab capture reader");
    reader.setDaemon(true);
    reader.start();
    return stream;
  }

  @Test
  void aPinnedWrongChecksumIsSentAsItIsAndTcpdumpFlagsIt() throws Exception {
    BlockingQueue<CapturedPacket> captured = new LinkedBlockingQueue<>();
    try (InputStream stream = capture(captured)) {
      connect();
      CraftModel craft = tools.craftPanel().model();
      Inspector.onFx(() -> {
        craft.targetProperty().set(craft.targets().stream().filter(t -> t.link().equals("tl-tun0")).findFirst()
            .orElseThrow());
        craft.start(CraftModel.Template.ICMP_ECHO_V4);
      });
      // The student ticks "Pinned" beside the ICMP checksum in the field tree, then writes a wrong one.
      Inspector.onFx(() -> {
        var tree = tools.craftPanel().fieldTree();
        var checksum = find(tree.getRoot(), "icmp.checksum");
        ((javafx.beans.property.BooleanProperty) tree.getColumns().get(2).getCellObservableValue(checksum)).set(true);
        craft.edit(checksum.getValue().field(), "0x1234");
        craft.edit(find(tree.getRoot(), "icmp.seq").getValue().field(), "4343");
      });
      assertThat(Inspector.onFx(() -> craft.pinned())).containsExactly("icmp.checksum");
      byte[] sent = Inspector.onFx(() -> craft.packetProperty().get());
      assertThat(Arrays.copyOfRange(sent, 22, 24)).containsExactly(0x12, 0x34);
      Thread.sleep(300); // the stream has its interfaces described before the packet goes
      Inspector.onFx(() -> ((Button) tools.craftPanel().lookup("#craft-send")).fire());
      WaitForAsyncUtils.waitForFxEvents();

      CapturedPacket request = null;
      boolean answered = false;
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
      while (System.nanoTime() < deadline) {
        CapturedPacket packet = captured.poll(200, TimeUnit.MILLISECONDS);
        if (packet == null || !"tl-tun0".equals(packet.interfaceName())) {
          continue;
        }
        if (Arrays.equals(packet.data(), sent)) {
          request = packet;
          deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(1); // a reply would come within this
        } else if (request != null && packet.data().length == sent.length && packet.data()[20] == 0) {
          answered = true;
        }
      }
      assertThat(request).as("the crafted request in the capture, byte for byte").isNotNull();
      assertThat(answered).as("the kernel drops an echo request with a wrong checksum").isFalse();
      Path file = directory.resolve("pinned.pcapng");
      try (PcapngWriter writer = PcapngWriter.create(file)) {
        writer.write(writer.addInterface(LinkType.RAW, "tl-tun0", 262_144), request);
      }
      assertThat(Cmd.ok("tcpdump", "-nn", "-v", "-r", file.toString()))
          .contains("ICMP echo request, id 29812, seq 4343, length 18 (wrong icmp cksum 1234 (->");
    }
  }

  /** The panes following the lab live, as in the window: a crafted packet shows there like any other. */
  private LiveSource live(java.util.concurrent.Executor requests) {
    return Inspector.onFx(() -> new LiveSource(inspector.model, requests));
  }

  private static void connectLive(LiveSource live, Path socket) {
    Inspector.onFx(() -> live.connect(socket));
    LabWindow.await("the panes live", 20, () -> live.stateProperty().get() == LiveSource.State.LIVE);
  }

  /** Each row of a pane as its tcpdump line (after the time), with what the Dir column says before it: {@code in 02:54:…}. */
  private List<String> rows(PaneKind kind) {
    PacketPaneModel pane = inspector.model.pane(kind);
    List<String> rows = new ArrayList<>();
    for (int row = 0; row < pane.rows().size(); row++) {
      rows.add(pane.summary(row).direction() + " " + pane.line(row).replaceFirst("^[0-9:.]+ ", ""));
    }
    return rows;
  }

  @Test
  void craftedArpIcmpAndUdpSentIntoTheTapAreAnsweredInTheTapPane() throws Exception {
    java.util.concurrent.ExecutorService liveRequests = java.util.concurrent.Executors.newSingleThreadExecutor();
    LiveSource live = live(liveRequests);
    try {
      connectLive(live, settings.socket());
      connect();
      CraftModel craft = tools.craftPanel().model();
      Inspector.onFx(() -> craft.targetProperty().set(craft.targets().stream()
          .filter(t -> t.link().equals("tl-tap0")).findFirst().orElseThrow()));

      // The ARP request template: the responder asks who has the kernel's address on the TAP.
      Inspector.onFx(() -> craft.start(CraftModel.Template.ARP_REQUEST));
      Inspector.onFx(() -> ((Button) tools.craftPanel().lookup("#craft-send")).fire());
      LabWindow.await("the send's outcome", 10, () -> !craft.messageProperty().get().startsWith("Sending"));
      assertThat(Inspector.onFx(() -> craft.messageProperty().get())).startsWith("Sent 42 bytes into tl-tap0");
      // The kernel's MAC on the TAP, as ip shows it: its ARP reply says so.
      String kernelMac = Cmd.ok("ip", "-n", settings.namespace("client"), "-br", "link", "show", "tl-tap0")
          .trim().split("\\s+")[2];
      LabWindow.await("the crafted ARP request and the kernel's reply in the TAP pane", 10, () ->
          rows(PaneKind.TAP).contains("in 02:54:4c:19:00:02 > ff:ff:ff:ff:ff:ff, ethertype ARP (0x0806), length 42: "
              + "Request who-has 198.19.0.1 tell 198.19.0.2, length 28")
          && rows(PaneKind.TAP).contains("out " + kernelMac + " > 02:54:4c:19:00:02, ethertype ARP (0x0806), "
              + "length 42: Reply 198.19.0.1 is-at " + kernelMac + ", length 28"));

      // An Ethernet frame carrying an ICMP echo, its sequence number edited in the field tree.
      Inspector.onFx(() -> {
        craft.start(CraftModel.Template.ICMP_ECHO_V4);
        craft.edit(find(tools.craftPanel().fieldTree().getRoot(), "icmp.seq").getValue().field(), "4444");
      });
      assertThat(Inspector.onFx(() -> craft.tcpdumpProperty().get())).startsWith("02:54:4c:19:00:02 > " + kernelMac
          + ", ethertype IPv4 (0x0800), length 52: 198.19.0.2 > 198.19.0.1: ICMP echo request, id 29812, seq 4444");
      Inspector.onFx(() -> ((Button) tools.craftPanel().lookup("#craft-send")).fire());
      LabWindow.await("the crafted echo and the kernel's reply in the TAP pane", 10, () ->
          rows(PaneKind.TAP).stream().anyMatch(r -> r.startsWith("in 02:54:4c:19:00:02 > " + kernelMac)
              && r.endsWith("198.19.0.2 > 198.19.0.1: ICMP echo request, id 29812, seq 4444, length 18"))
          && rows(PaneKind.TAP).stream().anyMatch(r -> r.startsWith("out " + kernelMac + " > 02:54:4c:19:00:02")
              && r.endsWith("198.19.0.1 > 198.19.0.2: ICMP echo reply, id 29812, seq 4444, length 18")));
      // That request, selected in the live pane and duplicated, goes again: a second exchange.
      int row = Inspector.onFx(() -> rows(PaneKind.TAP).indexOf(rows(PaneKind.TAP).stream()
          .filter(r -> r.startsWith("in ") && r.contains("ICMP echo request, id 29812, seq 4444")).findFirst().orElseThrow()));
      inspector.selectRow(PaneKind.TAP, row);
      byte[] captured = Inspector.onFx(() -> inspector.model.pane(PaneKind.TAP).selected().data());
      Inspector.onFx(() -> ((Button) tools.craftPanel().lookup("#craft-duplicate")).fire());
      assertThat(Inspector.onFx(() -> craft.packetProperty().get())).isEqualTo(captured);
      Inspector.onFx(() -> ((Button) tools.craftPanel().lookup("#craft-send")).fire());
      LabWindow.await("the duplicate answered too", 10, () -> rows(PaneKind.TAP).stream()
          .filter(r -> r.startsWith("out ") && r.endsWith("ICMP echo reply, id 29812, seq 4444, length 18")).count() == 2);

      // A UDP datagram to the discard port, where nobody listens: the kernel answers port unreachable
      // (and would drop it silently if the template's UDP checksum were wrong).
      Inspector.onFx(() -> craft.start(CraftModel.Template.UDP_V4));
      Inspector.onFx(() -> ((Button) tools.craftPanel().lookup("#craft-send")).fire());
      LabWindow.await("the crafted datagram and the kernel's port unreachable in the TAP pane", 10, () ->
          rows(PaneKind.TAP).stream().anyMatch(r -> r.startsWith("in ") && r.matches(".*198\\.19\\.0\\.2\\.\\d+ > "
              + "198\\.19\\.0\\.1\\.9: UDP, length 10"))
          && rows(PaneKind.TAP).stream().anyMatch(r -> r.startsWith("out ")
              && r.endsWith("198.19.0.1 > 198.19.0.2: ICMP 198.19.0.1 udp port 9 unreachable, length 46")));
      // None of it is on the TUN: a TAP's frames stay on its own link.
      assertThat(Inspector.onFx(() -> rows(PaneKind.TUN))).noneMatch(r -> r.contains("198.19.0."));
    } finally {
      Inspector.onFx(live::disconnect);
      liveRequests.shutdownNow();
    }
  }

  @Test
  void aCraftedEchoSentIntoTheTunIsAnsweredAndItsWayDrawn() throws Exception {
    BlockingQueue<CapturedPacket> captured = new LinkedBlockingQueue<>();
    InputStream stream = capture(captured);
    java.util.concurrent.ExecutorService liveRequests = java.util.concurrent.Executors.newSingleThreadExecutor();
    LiveSource live = live(liveRequests);
    try {
      connectLive(live, settings.socket());
      connect();
      assertThat(Inspector.onFx(() -> tools.tabs().getTabs().stream().map(t -> t.getText()).toList()))
          .containsExactly("Routing", "Topology", "Craft and inject");
      CraftModel craft = tools.craftPanel().model();
      Inspector.onFx(() -> {
        CraftTarget tun = craft.targets().stream().filter(t -> t.link().equals("tl-tun0")).findFirst().orElseThrow();
        craft.targetProperty().set(tun);
        craft.start(CraftModel.Template.ICMP_ECHO_V4);
      });
      // The student edits the sequence number in the field tree.
      Inspector.onFx(() -> {
        TreeItem<io.github.tuntaplab.inspector.ui.craft.CraftPanel.Row> seq = find(
            tools.craftPanel().fieldTree().getRoot(), "icmp.seq");
        Field field = seq.getValue().field();
        craft.edit(field, "4242");
      });
      byte[] sent = Inspector.onFx(() -> craft.packetProperty().get());
      assertThat(Inspector.onFx(() -> craft.tcpdumpProperty().get()))
          .startsWith("ip: 198.18.0.2 > 198.18.0.1: ICMP echo request, id 29812, seq 4242, length 18");
      Thread.sleep(300); // the stream has its interfaces described before the packet goes
      Inspector.onFx(() -> ((Button) tools.craftPanel().lookup("#craft-send")).fire());
      WaitForAsyncUtils.waitForFxEvents();
      assertThat(Inspector.onFx(() -> craft.messageProperty().get())).startsWith("Sent 38 bytes into tl-tun0");

      CapturedPacket request = null;
      CapturedPacket reply = null;
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (reply == null && System.nanoTime() < deadline) {
        CapturedPacket packet = captured.poll(1, TimeUnit.SECONDS);
        if (packet == null || !"tl-tun0".equals(packet.interfaceName())) {
          continue;
        }
        if (Arrays.equals(packet.data(), sent)) {
          request = packet;
        } else if (request != null && packet.data().length == sent.length && packet.data()[20] == 0) {
          reply = packet;
        }
      }
      assertThat(request).as("the crafted request in the capture").isNotNull();
      assertThat(request.direction()).isEqualTo(Direction.INBOUND);
      assertThat(reply).as("the kernel's echo reply in the capture").isNotNull();
      assertThat(reply.direction()).isEqualTo(Direction.OUTBOUND);
      LabWindow.await("the crafted request and the kernel's reply in the live TUN pane", 10, () ->
          rows(PaneKind.TUN).stream().anyMatch(l -> l.endsWith("ip: 198.18.0.2 > 198.18.0.1: ICMP echo request, id 29812, seq 4242, length 18"))
          && rows(PaneKind.TUN).stream().anyMatch(l -> l.endsWith("ip: 198.18.0.1 > 198.18.0.2: ICMP echo reply, id 29812, seq 4242, length 18")));
      Inspector.onFx(live::disconnect);

      // Both in a file, opened in the inspector: the reply's way runs from the client's stack to the TUN's program.
      Path file = directory.resolve("crafted.pcapng");
      try (PcapngWriter writer = PcapngWriter.create(file)) {
        int id = writer.addInterface(LinkType.RAW, "tl-tun0", 262_144);
        writer.write(id, request);
        writer.write(id, reply);
      }
      inspector.open(file);
      assertThat(inspector.lines(PaneKind.TUN)).hasSize(2);
      assertThat(inspector.lines(PaneKind.TUN).get(1))
          .endsWith("ip: 198.18.0.1 > 198.18.0.2: ICMP echo reply, id 29812, seq 4242, length 18");
      inspector.selectRow(PaneKind.TUN, 1);
      assertThat(Inspector.onFx(() -> tools.topologyModel().pathProperty().get().outer().stream()
          .map(n -> n.id()).toList())).containsExactly("client", "client/tl-tun0", "client/tl-tun0 program");
      assertThat(Inspector.onFx(() -> tools.topologyView().ways())).hasSize(1);
      assertThat(Inspector.onFx(() -> tools.topologyView().shape("client/tl-tun0").getPseudoClassStates()
          .stream().map(Object::toString).toList())).contains("captured", "on-path");
    } finally {
      Inspector.onFx(live::disconnect);
      stream.close();
      liveRequests.shutdownNow();
    }
  }

  private static TreeItem<io.github.tuntaplab.inspector.ui.craft.CraftPanel.Row> find(
      TreeItem<io.github.tuntaplab.inspector.ui.craft.CraftPanel.Row> item, String name) {
    if (item.getValue().field() != null && item.getValue().field().name().equals(name)) {
      return item;
    }
    for (TreeItem<io.github.tuntaplab.inspector.ui.craft.CraftPanel.Row> child : item.getChildren()) {
      TreeItem<io.github.tuntaplab.inspector.ui.craft.CraftPanel.Row> found = find(child, name);
      if (found != null) {
        return found;
      }
    }
    return null;
  }
}
