package io.github.tuntaplab.inspector.ui;

import io.github.tuntaplab.tunlib.packet.Field;
import io.github.tuntaplab.tunlib.packet.Layer;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javafx.scene.control.TreeCell;
import javafx.scene.control.TreeItem;
import javafx.scene.control.TreeView;

/**
 * The selected packet as Wireshark's tree: layers, their fields and sub-fields, each with its byte
 * range. An encapsulated packet is a subtree of its own under the tunnel header that carries it.
 * Selecting a field highlights its bytes; a byte clicked in the hex view selects its field here.
 */
public final class PacketTree extends TreeView<PacketTree.Entry> {
  /** A row of the tree: a layer, a field, or the start of an encapsulated packet. */
  public record Entry(String text, Layer layer, Field field) {
    @Override
    public String toString() {
      return text;
    }
  }

  private final PacketPaneModel model;
  private final Map<String, TreeItem<Entry>> itemsByField = new HashMap<>();
  private boolean updating;

  private final WindowLanguage words;

  PacketTree(PacketPaneModel model, WindowLanguage words) {
    this.model = model;
    this.words = words;
    getStyleClass().add("packet-tree");
    setShowRoot(false);
    setCellFactory(view -> new EntryCell());
    model.selectedProperty().addListener((o, was, now) -> rebuild(now));
    // Said again in the other language, the field selected still selected and highlighted.
    words.wordsProperty().addListener((o, was, now) -> {
      Field field = model.selectedFieldProperty().get();
      updating = true;
      rebuild(model.selected());
      getSelectionModel().select(field == null ? null : itemsByField.get(key(field)));
      updating = false;
    });
    getSelectionModel().selectedItemProperty().addListener((o, was, now) -> {
      if (!updating) {
        updating = true;
        if (now != null && now.getValue().field() == null) {
          model.selectLayer(now.getValue().layer());
        } else {
          model.selectedFieldProperty().set(now == null ? null : now.getValue().field());
        }
        updating = false;
      }
    });
    model.selectedFieldProperty().addListener((o, was, now) -> {
      if (!updating) {
        updating = true;
        TreeItem<Entry> item = now == null ? null : itemsByField.get(key(now));
        for (TreeItem<Entry> parent = item == null ? null : item.getParent(); parent != null; parent = parent.getParent()) {
          parent.setExpanded(true);
        }
        getSelectionModel().select(item);
        if (item != null) {
          scrollTo(Math.max(0, getRow(item) - 3));
        }
        updating = false;
      }
    });
  }

  private static String key(Field field) {
    return field.name() + "@" + field.offset() + "+" + field.length();
  }

  private void rebuild(PacketDetail detail) {
    itemsByField.clear();
    TreeItem<Entry> root = new TreeItem<>(new Entry("", null, null));
    if (detail != null) {
      TreeItem<Entry> parent = root;
      TreeItem<Entry> lastLayer = null;
      int depth = 0;
      for (Layer layer : detail.dissection().layers()) {
        if (layer.depth() > depth && lastLayer != null) {
          TreeItem<Entry> inner = new TreeItem<>(new Entry(words.format("tree.encapsulated", layer.depth(),
              layer.offset()), layer, null));
          inner.setExpanded(true);
          lastLayer.getChildren().add(inner);
          lastLayer.setExpanded(true);
          parent = inner;
        }
        depth = layer.depth();
        TreeItem<Entry> item = new TreeItem<>(new Entry(describe(layer), layer, null));
        item.setExpanded(true);
        addFields(item, layer, layer.fields());
        parent.getChildren().add(item);
        lastLayer = item;
      }
    }
    setRoot(root);
  }

  private void addFields(TreeItem<Entry> parent, Layer layer, List<Field> fields) {
    for (Field field : fields) {
      TreeItem<Entry> item = new TreeItem<>(new Entry(field.text(), layer, field));
      itemsByField.putIfAbsent(key(field), item);
      addFields(item, layer, field.children());
      parent.getChildren().add(item);
    }
  }

  /** A layer's row: its protocol's own label, its bytes, and what is wrong with it (in the dissector's words). */
  private String describe(Layer layer) {
    String problem = layer.malformedReason() != null ? words.format("tree.malformed", layer.malformedReason())
        : layer.truncatedReason() != null ? words.format("tree.truncated", layer.truncatedReason()) : "";
    return words.format("tree.layer", layer.label(), layer.length(), layer.offset(),
        layer.offset() + layer.length() - 1) + problem;
  }

  /** Every field in tree order: for tests that select them one by one. */
  public List<TreeItem<Entry>> fieldItems() {
    List<TreeItem<Entry>> all = new java.util.ArrayList<>();
    collect(getRoot(), all);
    return all;
  }

  private static void collect(TreeItem<Entry> item, List<TreeItem<Entry>> into) {
    if (item == null) {
      return;
    }
    if (item.getValue().field() != null) {
      into.add(item);
    }
    item.getChildren().forEach(child -> collect(child, into));
  }

  /** A row in its layer's colour. */
  private static final class EntryCell extends TreeCell<Entry> {
    @Override
    protected void updateItem(Entry entry, boolean empty) {
      super.updateItem(entry, empty);
      getStyleClass().removeIf(c -> c.startsWith("layer-") || c.equals(LayerStyle.INNER) || c.equals("layer-row"));
      if (empty || entry == null) {
        setText(null);
        return;
      }
      setText(entry.text());
      if (entry.layer() != null && entry.field() == null) {
        getStyleClass().add("layer-row");
        getStyleClass().addAll(LayerStyle.classesOf(entry.layer().name(), entry.layer().depth()));
      }
    }
  }
}
