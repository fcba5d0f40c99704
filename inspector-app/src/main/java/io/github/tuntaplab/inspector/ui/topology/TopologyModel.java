package io.github.tuntaplab.inspector.ui.topology;

import io.github.tuntaplab.inspector.ui.Phrase;
import io.github.tuntaplab.inspector.ui.WindowLanguage;
import io.github.tuntaplab.lessons.lab.LabClient;
import io.github.tuntaplab.lessons.lab.Topology;
import io.github.tuntaplab.lessons.lesson.LessonCatalog;
import io.github.tuntaplab.tunlib.packet.Dissection;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
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

/**
 * Which topology the picture shows and the selected packet's way over it. The topology comes from
 * the running lab (its {@code status} names it: a built-in topology or a lesson's), or, with no lab,
 * from the opened capture when its devices are those of one of them; otherwise there is none and the
 * picture is hidden.
 */
public final class TopologyModel {
  private final Supplier<LabClient> lab;
  private final Executor background;
  private final ReadOnlyObjectWrapper<TopologyGraph> graph = new ReadOnlyObjectWrapper<>(this, "graph");
  private final ReadOnlyObjectWrapper<PacketPath> path = new ReadOnlyObjectWrapper<>(this, "path", PacketPath.NONE);
  private final WindowLanguage.Line source;

  public TopologyModel(Supplier<LabClient> lab, Executor background, WindowLanguage words) {
    this.lab = lab;
    this.background = background;
    this.source = words.line(Phrase.verbatim(""));
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
    return source.textProperty();
  }

  /** Asks the running lab which topology it built; {@code then} runs on the FX thread after. */
  public void fromLab(Runnable then) {
    background.execute(() -> {
      Optional<Topology> found;
      Phrase said;
      try {
        String status = lab.get().status();
        String name = status.startsWith("lab ") ? status.substring(4, status.indexOf(',')) : "";
        found = known().stream().filter(t -> t.name().equals(name)).findFirst();
        if (found.isEmpty()) {
          throw new IOException("the lab's topology " + name + " is neither built in nor a lesson's");
        }
        said = Phrase.of("topology.from.lab", name);
      } catch (IOException | RuntimeException e) {
        found = Optional.empty();
        said = Phrase.of("topology.no.lab", String.valueOf(e.getMessage()));
      }
      Optional<Topology> result = found;
      Phrase words = said;
      Platform.runLater(() -> {
        if (result.isPresent() || graph.get() == null) {
          show(result.orElse(null), words);
        }
        then.run();
      });
    });
  }

  /**
   * With no lab: the built-in or lesson topology that has every device of the capture; when several
   * do, the one the file is named after ({@code lesson-3.pcapng}), else the one with the fewest links
   * (lesson 1's twins rather than the whole default lab).
   */
  public void fromCapture(String fileName, Collection<String> interfaceNames) {
    Set<String> names = new HashSet<>(interfaceNames);
    names.remove(null);
    if (names.isEmpty()) {
      return;
    }
    // The topology the file is named after; else a lab's (`tunlab lab up`) before a lesson's; else the smallest.
    known().stream().filter(t -> links(t).containsAll(names))
        .min(Comparator.comparing((Topology t) -> !fileName.contains(t.name()))
            .thenComparing(t -> t.name().startsWith("lesson-"))
            .thenComparingInt(t -> links(t).size()))
        .ifPresent(t -> show(t, Phrase.of("topology.from.capture", t.name())));
  }

  private static Set<String> links(Topology topology) {
    Set<String> links = new HashSet<>();
    topology.namespaces().forEach(ns -> links.addAll(topology.linksIn(ns.role())));
    return links;
  }

  /** The built-in topologies and the lessons'; one that cannot be read is left out. */
  static List<Topology> known() {
    List<Topology> all = new ArrayList<>();
    try {
      for (String name : Topology.builtIn()) {
        all.add(Topology.load(name));
      }
      LessonCatalog lessons = LessonCatalog.builtIn();
      for (LessonCatalog.Entry entry : lessons.entries()) {
        all.add(lessons.lesson(entry.number()).topology());
      }
    } catch (IOException | RuntimeException e) {
      // What could be read is enough to draw.
    }
    return all;
  }

  /** Shows {@code topology}, or hides the picture for null. */
  public void show(Topology topology, Phrase from) {
    graph.set(topology == null ? null : new TopologyGraph(topology));
    path.set(PacketPath.NONE);
    source.set(topology == null ? Phrase.verbatim("") : Phrase.of("topology.from", from));
  }

  /**
   * Draws the way of the packet captured on {@code link}, in {@code namespace} when known (several
   * namespaces may have a {@code tl-eth0}); nothing for a null link.
   */
  public void select(Dissection dissection, String link, String namespace) {
    TopologyGraph shown = graph.get();
    path.set(shown == null || dissection == null || link == null ? PacketPath.NONE
        : PacketPath.of(shown, dissection, link, namespace));
  }

  /** The roles of the topology shown, in its order. */
  public List<String> roles() {
    TopologyGraph shown = graph.get();
    return shown == null ? List.of() : shown.topology().namespaces().stream().map(Topology.Namespace::role).toList();
  }
}
