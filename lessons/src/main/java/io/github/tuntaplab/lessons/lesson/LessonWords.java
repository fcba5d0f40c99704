package io.github.tuntaplab.lessons.lesson;

import java.util.OptionalInt;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The words the lesson runner prints around a lesson's own text (headings, "Predict", the checkpoint
 * verdicts, the summary), and those of the inspector's lesson panel (its buttons, modes and action
 * outcomes: the {@code panel.}, {@code mode.}, {@code replay.} and {@code action.} keys, and the
 * checkpoint states and the prediction that both share: {@code check.} and {@code predict}), in one place
 * per language: {@code LessonWords.properties} and {@code LessonWords_zh.properties} beside this class (a
 * {@link Words} table). The checkpoints' verdicts (what a checkpoint expected and saw) are said from
 * its {@code verdict.} keys in every language at once ({@link Message}), the packets' lines, filters
 * and links' names filled in as they are.
 */
public final class LessonWords {
  private static final String BUNDLE = "io.github.tuntaplab.lessons.lesson.LessonWords";

  private final Words table;

  private LessonWords(Language language) {
    this.table = Words.of(BUNDLE, language, LessonWords.class);
  }

  public static LessonWords of(Language language) {
    return new LessonWords(language);
  }

  public Language language() {
    return table.language();
  }

  /** The text for {@code key}, its {@link java.util.Formatter} conversions filled with {@code arguments}. */
  public String format(String key, Object... arguments) {
    return table.format(key, arguments);
  }

  /** The keys this language defines (for the test that every language defines the same ones). */
  Set<String> keys() {
    return table.keys();
  }

  /** The unformatted text for {@code key}. */
  String pattern(String key) {
    return table.pattern(key);
  }

  /** A lesson's title without the "Lesson N: " its heading starts with. */
  String lessonTitle(Lesson lesson) {
    String prefix = format("lesson.heading", lesson.number(), "");
    return lesson.title().startsWith(prefix) ? lesson.title().substring(prefix.length()) : lesson.title();
  }

  /**
   * The step whose comment {@code line} is, when it is lesson {@code lesson}'s in this language:
   * {@code Lesson 3, Step 2: …} gives 2. Only the numbers count, so a recording made in English
   * serves a lesson read in Chinese.
   */
  OptionalInt stepOfComment(int lesson, String line) {
    String prefix = format("step.comment", lesson, "");
    if (!line.startsWith(prefix)) {
      return OptionalInt.empty();
    }
    String heading = line.substring(prefix.length());
    Matcher number = Pattern.compile("\\d+").matcher(heading);
    return Pattern.matches(pattern("step.numbered"), heading) && number.find()
        ? OptionalInt.of(Integer.parseInt(number.group())) : OptionalInt.empty();
  }

  /** A step's heading: its title, numbered as the runner numbers it unless the author already did. */
  String stepHeading(int number, Step step) {
    return Pattern.matches(pattern("step.numbered"), step.title()) ? step.title()
        : format("step.heading", number, step.title());
  }
}
