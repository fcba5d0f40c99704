package io.github.tuntaplab.inspector.ui;

import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.framework.junit5.ApplicationExtension;

/**
 * A test of the inspector window: a fresh window on a headless stage for each test, closed after
 * it. (TestFX looks for {@code @Start} among a test class's own methods: each declares one that
 * calls {@link #show}.)
 */
@ExtendWith(ApplicationExtension.class)
abstract class InspectorWindowTest {
  protected Inspector inspector;

  void show(Stage stage) {
    inspector = Inspector.show(stage);
  }

  @AfterEach
  void closeWindow() throws Exception {
    inspector.close();
  }
}
