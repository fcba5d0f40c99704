package io.github.tuntaplab.inspector.ui.topology;

import io.github.tuntaplab.lessons.lab.LabClient;
import io.github.tuntaplab.lessons.lab.Topology;
import io.github.tuntaplab.tunlib.packet.Dissection;
import java.io.IOException;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.function.Supplier;
import javafx.application.Platform;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;

/**
 * Which topology the picture shows and the selected packet's way over it. The topology comes from
 * the running lab (its {@code status} names it), or, with no lab, from the opened capture when its
 * devices are those of a built-in topology; otherwise there is none and the picture is hidden.
 */
public final class TopologyModel {
  private final Supplier<LabClient> lab;
  private final Executor background;
  private final ReadOnlyObjectWrapper<TopologyGraph> graph = new ReadOnlyObjectWrapper<>(this, "graph");
  private final ReadOnlyObjectWrapper<PacketPath> path = new ReadOnlyObjectWrapper<>(this, "path", PacketPath.NONE);
  private final ReadOnlyStringWrapper source = new ReadOnlyStringWrapper(this, "source", "");

  public TopologyModel(Supplier<LabClient> lab, Executor background) {
    this.lab = lab;
    this.background = background;
  }

  /** The topology as a graph; null when none is known. */
  public ReadOnlyObjectProperty<TopologyGraph> graphProperty() {
    return graph.getReadOnlyProperty();
  }

  public ReadOnlyObjectProperty<PacketPath> pathProperty() {
    return path.getReadOnlyProperty();
  }

  /** Where the topology came from, in words. */
  public ReadOnlyStringProperty sourceProperty() {
    return source.getReadOnlyProperty();
  }

  /** Asks the running lab which topology it built; {@code then} runs on the FX thread after. */
  public void fromLab(Runnable then) {
    background.execute(() -> {
      Optional<Topology> found;
      String said;
      try {
        String status = lab.get().status();
        String name = status.startsWith("lab ") ? status.substring(4, status.indexOf(',')) : "";
        found = Optional.of(Topology.load(name));
        said = "the running lab (topology " + name + ")";
      } catch (IOException | RuntimeException e) {
        found = Optional.empty();
        said = "no lab: " + e.getMessage();
      }
      Optional<Topology> result = found;
      String words = said;
      Platform.runLater(() -> {
        if (result.isPresent() || graph.get() == null) {
          show(result.orElse(null), words);
        }
        then.run();
      });
    });
  }

  /** With no lab: the built-in topology that has every device of the capture, if one does. */
  public void fromCapture(Collection<String> interfaceNames) {
    Set<String> names = new HashSet<>(interfaceNames);
    names.remove(null);
    if (names.isEmpty()) {
      return;
    }
    try {
      for (String name : Topology.builtIn()) {
        Topology topology = Topology.load(name);
        Set<String> links = new HashSet<>();
        topology.namespaces().forEach(ns -> links.addAll(topology.linksIn(ns.role())));
        if (links.containsAll(names)) {
          show(topology, "the capture's devices (topology " + name + ")");
          return;
        }
      }
    } catch (IOException e) {
      // No built-in topologies to compare with: nothing to show.
    }
  }

  /** Shows {@code topology}, or hides the picture for null. */
  public void show(Topology topology, String from) {
    graph.set(topology == null ? null : new TopologyGraph(topology));
    path.set(PacketPath.NONE);
    source.set(topology == null ? "" : "From " + from);
  }

  /** Draws the way of the packet captured on {@code link}; nothing for null. */
  public void select(Dissection dissection, String link) {
    TopologyGraph shown = graph.get();
    path.set(shown == null || dissection == null || link == null ? PacketPath.NONE
        : PacketPath.of(shown, dissection, link, null));
  }

  /** The roles of the topology shown, in its order. */
  public List<String> roles() {
    TopologyGraph shown = graph.get();
    return shown == null ? List.of() : shown.topology().namespaces().stream().map(Topology.Namespace::role).toList();
  }
}
