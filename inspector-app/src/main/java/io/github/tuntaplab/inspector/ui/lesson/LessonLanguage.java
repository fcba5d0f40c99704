package io.github.tuntaplab.inspector.ui.lesson;

import io.github.tuntaplab.lessons.lesson.Language;

/**
 * The lesson languages the panel offers, each with the name it is listed by: a label over the
 * lesson catalog's {@link Language}, which finds the lesson's file in it
 * ({@link io.github.tuntaplab.lessons.lesson.LessonCatalog#builtIn(Language)}).
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

  public Language language() {
    return language;
  }

  /** The entry for {@code language}. */
  public static LessonLanguage of(Language language) {
    return java.util.Arrays.stream(values()).filter(l -> l.language == language).findFirst().orElseThrow();
  }

  @Override
  public String toString() {
    return label;
  }
}
