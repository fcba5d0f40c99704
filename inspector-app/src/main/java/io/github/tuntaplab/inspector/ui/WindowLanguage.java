package io.github.tuntaplab.inspector.ui;

import io.github.tuntaplab.inspector.ui.lesson.LessonLanguage;
import io.github.tuntaplab.lessons.lesson.Language;
import io.github.tuntaplab.lessons.lesson.Words;
import java.util.function.Function;
import javafx.beans.binding.Bindings;
import javafx.beans.binding.ObjectBinding;
import javafx.beans.binding.StringBinding;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.value.ObservableValue;
import javafx.scene.control.Labeled;
import javafx.scene.control.MenuItem;
import javafx.scene.control.Tooltip;

/**
 * The language the whole window speaks, and its words ({@code WindowWords.properties} and its
 * {@code _zh} twin beside this class, a {@link Words} table as the lessons' is). The lesson panel's
 * language box and {@code tunlab --lang} choose it; what the window shows is bound to it, so a switch
 * says everything again in the other language without rebuilding anything. Protocol names, tcpdump's
 * text, field names, addresses and commands are not words of the table: they stay as tcpdump and
 * {@code ip} print them. Call from the FX thread.
 */
public final class WindowLanguage {
  static final String TABLE = "io.github.tuntaplab.inspector.ui.WindowWords";

  private final ObjectProperty<LessonLanguage> choice = new SimpleObjectProperty<>(this, "choice",
      LessonLanguage.ENGLISH);
  private final ObjectBinding<Words> words = table(language -> Words.of(TABLE, language, WindowLanguage.class));

  /** The language chosen (the lesson panel's box shows it too). */
  public ObjectProperty<LessonLanguage> choiceProperty() {
    return choice;
  }

  /**
   * A table of words (the window's, the lesson panel's) in the language chosen, made anew when the
   * choice changes.
   */
  public <T> ObjectBinding<T> table(Function<Language, T> inLanguage) {
    return Bindings.createObjectBinding(() -> inLanguage.apply(choice.get().language()), choice);
  }

  /** What {@code say} makes of the table {@code table} holds, said again whenever it changes. */
  public static <T> StringBinding said(ObservableValue<T> table, Function<T, String> say) {
    return Bindings.createStringBinding(() -> say.apply(table.getValue()), table);
  }

  public ObservableValue<Words> wordsProperty() {
    return words;
  }

  public Words words() {
    return words.get();
  }

  /** The text for {@code key} now, its values filled in (phrases said in the same language). */
  public String format(String key, Object... arguments) {
    return Phrase.of(key, arguments).in(words.get());
  }

  /** The text for {@code key}, said again whenever the language changes. */
  public StringBinding text(String key, Object... arguments) {
    return text(Phrase.of(key, arguments));
  }

  /** {@code phrase}'s text, said again whenever the language changes. */
  public StringBinding text(Phrase phrase) {
    return said(words, phrase::in);
  }

  /** {@code phrase}'s text, said again whenever it or the language changes; empty for null. */
  public StringBinding text(ObservableValue<Phrase> phrase) {
    return Bindings.createStringBinding(() -> phrase.getValue() == null ? "" : phrase.getValue().in(words.get()),
        phrase, words);
  }

  /** {@code labeled} (a label, a button, a tab's …) named by the window's word for {@code key}. */
  public <T extends Labeled> T named(T labeled, String key, Object... arguments) {
    return named(labeled, Phrase.of(key, arguments));
  }

  /** {@code labeled} named by {@code phrase}, said in the window's language. */
  public <T extends Labeled> T named(T labeled, Phrase phrase) {
    labeled.textProperty().bind(text(phrase));
    return labeled;
  }

  /** {@code item} (a menu, a menu item) named by the window's word for {@code key}. */
  public <T extends MenuItem> T named(T item, String key) {
    return named(item, Phrase.of(key));
  }

  /** {@code item} named by {@code phrase}, said in the window's language. */
  public <T extends MenuItem> T named(T item, Phrase phrase) {
    item.textProperty().bind(text(phrase));
    return item;
  }

  /** A tooltip saying the window's word for {@code key}. */
  public Tooltip tooltip(String key) {
    Tooltip tip = new Tooltip();
    tip.textProperty().bind(text(key));
    return tip;
  }

  /** A line of text that a model sets as a phrase and the window shows in its language. */
  public Line line(Phrase initial) {
    return new Line(initial);
  }

  /** A model's line of text: set as a phrase, read as text in the window's language. */
  public final class Line {
    private final ReadOnlyStringWrapper text = new ReadOnlyStringWrapper(this, "text");
    private Phrase phrase;

    private Line(Phrase initial) {
      set(initial);
      words.addListener((o, was, now) -> text.set(phrase.in(now)));
    }

    public void set(Phrase said) {
      phrase = said;
      text.set(said.in(words.get()));
    }

    public void set(String key, Object... arguments) {
      set(Phrase.of(key, arguments));
    }

    /** Says nothing. */
    public void clear() {
      set(Phrase.verbatim(""));
    }

    public Phrase phrase() {
      return phrase;
    }

    public ReadOnlyStringProperty textProperty() {
      return text.getReadOnlyProperty();
    }
  }
}
