package io.github.tuntaplab.inspector.ui;

import javafx.scene.control.Label;
import javafx.scene.layout.FlowPane;

/** What the colours mean: each layer family, outer (pale) and encapsulated (strong). */
final class Legend extends FlowPane {
  Legend() {
    getStyleClass().add("legend");
    for (LayerStyle style : LayerStyle.values()) {
      getChildren().add(swatch(style.label(), style.styleClass(), false));
    }
    getChildren().add(swatch("Encapsulated (inner) headers", LayerStyle.NETWORK.styleClass(), true));
    Label selected = new Label("Selected field");
    selected.getStyleClass().addAll("legend-swatch", "legend-selected");
    getChildren().add(selected);
  }

  private static Label swatch(String text, String styleClass, boolean inner) {
    Label label = new Label(text);
    label.getStyleClass().addAll("legend-swatch", styleClass);
    if (inner) {
      label.getStyleClass().add(LayerStyle.INNER);
    }
    return label;
  }
}
