package io.github.tuntaplab.inspector.ui.lesson;

import io.github.tuntaplab.lessons.lesson.Language;
import io.github.tuntaplab.lessons.lesson.Lesson;
import io.github.tuntaplab.lessons.lesson.LessonCatalog;
import java.io.IOException;
import java.util.Optional;

/**
 * The lesson languages the panel offers, each with the name it is listed by; which file holds a
 * lesson in which language is the lesson catalog's business ({@link LessonCatalog#builtIn(Language)}).
 * Only the prose differs between languages, so the lab runs and judges the English lesson whichever
 * the student reads.
 */
public enum LessonLanguage {
  ENGLISH(Language.ENGLISH, "English"),
  CHINESE(Language.CHINESE, "中文");

  private final Language language;
  private final String label;

  LessonLanguage(Language language, String label) {
    this.language = language;
    this.label = label;
  }

  public String code() {
    return language.code();
  }

  @Override
  public String toString() {
    return label;
  }

  /** Lesson {@code number} of {@code catalog} in this language, if it is written in it. */
  public Optional<Lesson> load(LessonCatalog catalog, int number) throws IOException {
    if (language == catalog.language()) {
      return Optional.of(catalog.lesson(number));
    }
    LessonCatalog translated = LessonCatalog.builtIn(language);
    return translated.translated(number) ? Optional.of(translated.lesson(number)) : Optional.empty();
  }
}
