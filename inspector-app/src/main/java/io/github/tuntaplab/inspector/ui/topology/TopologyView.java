package io.github.tuntaplab.inspector.ui.topology;

import io.github.tuntaplab.inspector.ui.topology.TopologyGraph.Kind;
import io.github.tuntaplab.inspector.ui.topology.TopologyGraph.Node;
import io.github.tuntaplab.inspector.ui.WindowLanguage;
import io.github.tuntaplab.lessons.lab.Topology;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javafx.css.PseudoClass;
import javafx.geometry.Point2D;
import javafx.scene.Group;
import javafx.scene.control.Label;
import javafx.scene.control.ScrollPane;
import javafx.scene.layout.Pane;
import javafx.scene.shape.Line;
import javafx.scene.shape.Polygon;
import javafx.scene.shape.Polyline;
import javafx.scene.shape.QuadCurve;
import javafx.scene.shape.Rectangle;

/**
 * The lab drawn with JavaFX shapes: a box per namespace with its stack and its links along the
 * bottom, veth cables between namespaces, each TUN's and TAP's program above it; and the
 * selected packet's way over it, the outer packet's solid and an encapsulated packet's dashed, with
 * the device it was captured on marked.
 */
public final class TopologyView extends ScrollPane {
  static final PseudoClass CAPTURED = PseudoClass.getPseudoClass("captured");
  static final PseudoClass ON_PATH = PseudoClass.getPseudoClass("on-path");
  private static final double LINK_W = 92;
  private static final double LINK_H = 26;
  private static final double LINK_GAP = 10;
  private static final double NS_GAP = 60;
  /** Programs sit above their namespace (user space over the kernel); cables run below. */
  private static final double PROGRAM_Y = 10;
  private static final double NS_TOP = PROGRAM_Y + LINK_H + 30;
  private static final double NS_H = 100;
  private static final double CABLE_DEPTH = NS_TOP + NS_H + 45;

  private final TopologyModel model;
  private final WindowLanguage words;
  private final Pane canvas = new Pane();
  private final Group pathLayer = new Group();
  private final Map<Node, Point2D> anchors = new HashMap<>();
  private final Map<Node, javafx.scene.Node> shapes = new HashMap<>();

  public TopologyView(TopologyModel model, WindowLanguage words) {
    this.model = model;
    this.words = words;
    getStyleClass().add("topology-view");
    canvas.getStyleClass().add("topology-canvas");
    setContent(canvas);
    model.graphProperty().addListener((o, was, now) -> draw(now));
    model.pathProperty().addListener((o, was, now) -> drawPath(now));
    draw(model.graphProperty().get());
  }

  private void draw(TopologyGraph graph) {
    canvas.getChildren().clear();
    anchors.clear();
    shapes.clear();
    pathLayer.getChildren().clear();
    if (graph == null) {
      return;
    }
    Topology topology = graph.topology();
    double x = 20;
    for (Topology.Namespace ns : topology.namespaces()) {
      List<Node> links = graph.nodes().stream().filter(n -> n.isLink() && n.role().equals(ns.role())).toList();
      double width = Math.max(150, links.size() * (LINK_W + LINK_GAP) + LINK_GAP);
      Rectangle box = new Rectangle(x, NS_TOP, width, NS_H);
      box.getStyleClass().add("topology-namespace");
      Label title = label(words.text(ns.forwarding() ? "topology.namespace.forwards" : "topology.namespace",
          ns.role()), "topology-namespace-title");
      title.relocate(x + 8, NS_TOP + 4);
      Node stack = new Node(Kind.STACK, ns.role(), "");
      Label kernel = label(words.text("topology.stack"), "topology-stack");
      kernel.relocate(x + 8, NS_TOP + 30);
      anchors.put(stack, new Point2D(x + 55, NS_TOP + 40));
      shapes.put(stack, kernel);
      canvas.getChildren().addAll(box, title, kernel);
      double lx = x + LINK_GAP;
      for (Node link : links) {
        Rectangle shape = new Rectangle(lx, NS_TOP + NS_H - LINK_H - 8, LINK_W, LINK_H);
        shape.getStyleClass().addAll("topology-link", "topology-" + link.kind().name().toLowerCase());
        Label name = label(new javafx.beans.property.SimpleStringProperty(link.name()), "topology-link-name");
        name.relocate(lx + 6, NS_TOP + NS_H - LINK_H - 4);
        name.setMouseTransparent(true);
        anchors.put(link, new Point2D(lx + LINK_W / 2, NS_TOP + NS_H - 8));
        shapes.put(link, shape);
        canvas.getChildren().addAll(shape, name);
        if (link.kind() == Kind.TUN || link.kind() == Kind.TAP) {
          Node program = new Node(Kind.PROGRAM, link.role(), link.name());
          Rectangle programBox = new Rectangle(lx, PROGRAM_Y, LINK_W, LINK_H);
          programBox.getStyleClass().add("topology-program");
          Label programName = label(words.text("topology.program"), "topology-link-name");
          programName.relocate(lx + 6, PROGRAM_Y + 4);
          anchors.put(program, new Point2D(lx + LINK_W / 2, PROGRAM_Y + LINK_H));
          shapes.put(program, programBox);
          Line fd = new Line(lx + LINK_W / 2, PROGRAM_Y + LINK_H, lx + LINK_W / 2, NS_TOP + NS_H - LINK_H - 8);
          fd.getStyleClass().add("topology-fd");
          canvas.getChildren().addAll(fd, programBox, programName);
        }
        lx += LINK_W + LINK_GAP;
      }
      x += width + NS_GAP;
    }
    for (TopologyGraph.Edge edge : graph.edges()) {
      Point2D a = anchors.get(edge.a());
      Point2D b = anchors.get(edge.b());
      if (a == null || b == null || edge.b().kind() == Kind.PROGRAM) {
        continue;
      }
      if (edge.cable()) {
        // Deep enough that the curve passes under the programs' row (a quadratic reaches half way to its control point).
        double control = a.getY() + 2 * (CABLE_DEPTH - a.getY());
        QuadCurve cable = new QuadCurve(a.getX(), a.getY(), (a.getX() + b.getX()) / 2, control, b.getX(), b.getY());
        cable.getStyleClass().add("topology-cable");
        canvas.getChildren().add(0, cable);
      } else if (edge.a().isLink() && edge.b().isLink()) {
        Line port = new Line(a.getX(), a.getY() - LINK_H, b.getX(), b.getY() - LINK_H);
        port.getStyleClass().add("topology-port");
        canvas.getChildren().add(port);
      }
    }
    canvas.getChildren().add(pathLayer);
    canvas.setPrefSize(x, CABLE_DEPTH + 20);
    drawPath(model.pathProperty().get());
  }

  private void drawPath(PacketPath path) {
    pathLayer.getChildren().clear();
    shapes.values().forEach(shape -> {
      shape.pseudoClassStateChanged(CAPTURED, false);
      shape.pseudoClassStateChanged(ON_PATH, false);
    });
    if (path == null) {
      return;
    }
    drawWay(path.outer(), "topology-path-outer");
    drawWay(path.inner(), "topology-path-inner");
    for (Node node : path.captured()) {
      if (shapes.containsKey(node)) {
        shapes.get(node).pseudoClassStateChanged(CAPTURED, true);
      }
    }
  }

  private void drawWay(List<Node> way, String styleClass) {
    if (way.size() < 2) {
      return;
    }
    Polyline line = new Polyline();
    line.getStyleClass().addAll("topology-path", styleClass);
    for (Node node : way) {
      Point2D at = anchors.get(node);
      if (at != null) {
        line.getPoints().addAll(at.getX(), at.getY());
      }
      if (shapes.containsKey(node)) {
        shapes.get(node).pseudoClassStateChanged(ON_PATH, true);
      }
    }
    pathLayer.getChildren().add(line);
    int n = line.getPoints().size();
    if (n >= 4) {
      pathLayer.getChildren().add(arrowHead(line.getPoints().get(n - 4), line.getPoints().get(n - 3),
          line.getPoints().get(n - 2), line.getPoints().get(n - 1), styleClass));
    }
  }

  private static Polygon arrowHead(double fromX, double fromY, double toX, double toY, String styleClass) {
    double angle = Math.atan2(toY - fromY, toX - fromX);
    double size = 12;
    Polygon head = new Polygon(toX, toY,
        toX - size * Math.cos(angle - Math.PI / 7), toY - size * Math.sin(angle - Math.PI / 7),
        toX - size * Math.cos(angle + Math.PI / 7), toY - size * Math.sin(angle + Math.PI / 7));
    head.getStyleClass().addAll("topology-arrow", styleClass);
    return head;
  }

  private static Label label(javafx.beans.value.ObservableValue<String> text, String styleClass) {
    Label label = new Label();
    label.textProperty().bind(text);
    label.getStyleClass().add(styleClass);
    return label;
  }

  /** The shape drawn for a node ({@code client/tl-tun0}), for tests and screenshots. */
  public javafx.scene.Node shape(String id) {
    return shapes.entrySet().stream().filter(e -> e.getKey().id().equals(id)).map(Map.Entry::getValue).findFirst()
        .orElse(null);
  }

  /** The drawn ways: one polyline per way, outer first. */
  public List<Polyline> ways() {
    return pathLayer.getChildren().stream().filter(Polyline.class::isInstance).map(Polyline.class::cast).toList();
  }
}
