package io.github.tuntaplab.lessons.lesson;

import java.util.Arrays;
import java.util.Locale;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * A language the lessons are written in: English, the original ({@code NN-name/README.md}), and
 * Simplified Chinese, translated from it ({@code NN-name/README.zh.md}, the same engine blocks byte
 * for byte). The runner's own words follow the language too ({@link LessonWords}).
 */
public enum Language {
  ENGLISH("en", Locale.ROOT, Pattern.compile("[A-Za-z]")),
  // Han characters, or at least CJK or full-width punctuation ("%s：%s").
  CHINESE("zh", Locale.SIMPLIFIED_CHINESE,
      Pattern.compile("[\\x{4e00}-\\x{9fff}\\x{3000}-\\x{303f}\\x{ff00}-\\x{ffef}]"));

  private final String code;
  private final Locale locale;
  private final Pattern script;

  Language(String code, Locale locale, Pattern script) {
    this.code = code;
    this.locale = locale;
    this.script = script;
  }

  /** Whether {@code text} has a character of this language's own writing (how a translation shows). */
  public boolean writes(String text) {
    return script.matcher(text).find();
  }

  /** The language's code, as {@code --lang} takes it: {@code en}, {@code zh}. */
  public String code() {
    return code;
  }

  Locale locale() {
    return locale;
  }

  /** The language for {@code code} ({@code en}, {@code zh}); anything else is refused with the codes known. */
  public static Language of(String code) {
    return Arrays.stream(values()).filter(l -> l.code.equalsIgnoreCase(code.strip())).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("unknown language '" + code + "' (known: "
            + Arrays.stream(values()).map(Language::code).collect(Collectors.joining(", ")) + ")"));
  }

  /**
   * This language's version of a lesson file: {@code 01-tun-and-tap/README.md} becomes
   * {@code 01-tun-and-tap/README.zh.md}.
   */
  public String file(String englishFile) {
    return this == ENGLISH ? englishFile : englishFile.replaceFirst("\\.md$", "." + code + ".md");
  }
}
