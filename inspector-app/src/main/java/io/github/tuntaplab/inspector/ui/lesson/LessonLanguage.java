package io.github.tuntaplab.inspector.ui.lesson;

import io.github.tuntaplab.lessons.lesson.Lesson;
import io.github.tuntaplab.lessons.lesson.LessonCatalog;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * The languages a lesson is written in: {@code NN-name/README.md} in English and, where a
 * translator added it, {@code NN-name/README.zh.md} in Simplified Chinese, with the same
 * {@code topology}, {@code run}, {@code tunlib}, {@code show} and {@code check} blocks. Only the
 * prose differs, so the lab runs and judges the English lesson whichever the student reads.
 */
public enum LessonLanguage {
  ENGLISH("en", "English", "README.md"),
  CHINESE("zh", "中文", "README.zh.md");

  /** Where the lessons module packages the lessons' Markdown (LessonCatalog's resources). */
  private static final String CONTENT = "/io/github/tuntaplab/lessons/content/";

  private final String code;
  private final String label;
  private final String fileName;

  LessonLanguage(String code, String label, String fileName) {
    this.code = code;
    this.label = label;
    this.fileName = fileName;
  }

  public String code() {
    return code;
  }

  @Override
  public String toString() {
    return label;
  }

  /** Lesson {@code number} in this language, if it is written in it. */
  public Optional<Lesson> load(LessonCatalog catalog, int number) throws IOException {
    Lesson english = catalog.lesson(number);
    if (this == ENGLISH) {
      return Optional.of(english);
    }
    String file = english.source().replaceFirst("README\\.md$", fileName);
    try (InputStream in = LessonLanguage.class.getResourceAsStream(CONTENT + file)) {
      if (in == null) {
        return Optional.empty();
      }
      return Optional.of(Lesson.parse(number, file, new String(in.readAllBytes(), StandardCharsets.UTF_8)));
    }
  }
}
