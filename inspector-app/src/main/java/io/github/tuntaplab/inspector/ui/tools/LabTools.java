package io.github.tuntaplab.inspector.ui.tools;

import io.github.tuntaplab.inspector.ui.CaptureSession;
import io.github.tuntaplab.inspector.ui.InspectorModel;
import io.github.tuntaplab.inspector.ui.PacketDetail;
import io.github.tuntaplab.inspector.ui.PaneKind;
import io.github.tuntaplab.inspector.ui.WindowLanguage;
import io.github.tuntaplab.inspector.ui.craft.CraftModel;
import io.github.tuntaplab.inspector.ui.craft.CraftPanel;
import io.github.tuntaplab.inspector.ui.craft.CraftTarget;
import io.github.tuntaplab.inspector.ui.routing.RoutingModel;
import io.github.tuntaplab.inspector.ui.routing.RoutingPanel;
import io.github.tuntaplab.inspector.ui.topology.TopologyModel;
import io.github.tuntaplab.inspector.ui.topology.TopologyView;
import io.github.tuntaplab.lessons.lab.LabClient;
import io.github.tuntaplab.lessons.lab.Topology;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.function.Supplier;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.Tab;
import javafx.scene.control.TabPane;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.VBox;

/**
 * The lab tools under the panes: the routing panel, the topology picture with the selected
 * packet's way, and craft and inject. They talk to the running lab through its socket, one request
 * at a time, on the background executor; the topology also comes from an opened capture when its
 * devices are a built-in topology's.
 */
public final class LabTools extends BorderPane {
  private final RoutingModel routing;
  private final TopologyModel topology;
  private final CraftModel craft;
  private final TabPane tabs = new TabPane();
  private final Tab topologyTab;
  private final RoutingPanel routingPanel;
  private final CraftPanel craftPanel;
  private final TopologyView topologyView;
  private PacketDetail lastSelected;

  public LabTools(InspectorModel inspector, Supplier<LabClient> lab, Executor background) {
    getStyleClass().add("lab-tools");
    WindowLanguage words = inspector.language();
    routing = new RoutingModel(lab, background, words);
    topology = new TopologyModel(lab, background, words);
    craft = new CraftModel(lab, background, words);
    routingPanel = new RoutingPanel(routing, words);
    craftPanel = new CraftPanel(craft, () -> lastSelected == null ? null : new CraftPanel.SelectedPacket(
        lastSelected.packet().linkType(), lastSelected.data(), lastSelected.packet().interfaceName()), words);
    topologyView = new TopologyView(topology, words);
    Label source = new Label();
    source.getStyleClass().add("topology-source");
    source.textProperty().bind(topology.sourceProperty());
    topologyTab = new Tab("", new VBox(source, topologyView));
    Tab routingTab = new Tab("", routingPanel);
    Tab craftTab = new Tab("", craftPanel);
    topologyTab.textProperty().bind(words.text("tools.topology"));
    routingTab.textProperty().bind(words.text("tools.routing"));
    craftTab.textProperty().bind(words.text("tools.craft"));
    for (Tab tab : List.of(routingTab, topologyTab, craftTab)) {
      tab.setClosable(false);
    }
    tabs.getTabs().addAll(routingTab, craftTab);
    tabs.setId("lab-tools-tabs");
    topology.graphProperty().addListener((o, was, now) -> showTopology(now == null ? null : now.topology()));

    Button connect = words.named(new Button(), "tools.connect");
    connect.setId("lab-tools-connect");
    connect.setOnAction(e -> connect());
    Label hint = words.named(new Label(), "tools.hint");
    hint.getStyleClass().add("lab-tools-hint");
    HBox bar = new HBox(connect, hint);
    bar.getStyleClass().add("lab-tools-bar");
    setTop(bar);
    setCenter(tabs);

    for (PaneKind kind : PaneKind.values()) {
      inspector.pane(kind).selectedProperty().addListener((o, was, now) -> {
        if (now != null) {
          lastSelected = now;
          topology.select(now.dissection(), now.packet().interfaceName(),
              CaptureSession.InterfaceInfo.namespaceIn(now.packet().interfaceDescription()));
        }
      });
    }
    inspector.loadingProperty().addListener((o, was, now) -> {
      CaptureSession session = inspector.sessionProperty().get();
      if (!now && session != null && topology.graphProperty().get() == null) {
        topology.fromCapture(session.file().getFileName().toString(),
            session.interfaces().stream().map(CaptureSession.InterfaceInfo::name).toList());
      }
    });
  }

  /** Reads the running lab's topology, then its client's routes; the devices become craft targets. */
  public void connect() {
    topology.fromLab(() -> {
      List<String> roles = topology.roles();
      if (!roles.isEmpty() && !roles.contains(routing.roleProperty().get())) {
        routing.roleProperty().set(roles.get(0));
      }
      routing.refresh();
    });
  }

  private void showTopology(Topology shown) {
    if (shown == null) {
      tabs.getTabs().remove(topologyTab);
      craft.setTargets(List.of());
    } else {
      if (!tabs.getTabs().contains(topologyTab)) {
        tabs.getTabs().add(1, topologyTab);
      }
      craft.setTargets(CraftTarget.of(shown));
    }
  }

  public RoutingPanel routingPanel() {
    return routingPanel;
  }

  public CraftPanel craftPanel() {
    return craftPanel;
  }

  public TopologyView topologyView() {
    return topologyView;
  }

  public TopologyModel topologyModel() {
    return topology;
  }

  public TabPane tabs() {
    return tabs;
  }
}
