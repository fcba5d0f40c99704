package io.github.tuntaplab.lessons.lesson;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.ResourceBundle;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A table of words in one language: a {@code NAME.properties} file (English) and its
 * {@code NAME_zh.properties} twin with the same keys, each value a {@link java.util.Formatter} pattern.
 * The lesson runner's and panel's words are one table ({@link LessonWords}), the inspector window's
 * another; both are looked up here.
 */
public final class Words {
  private static final Pattern CONVERSION = Pattern.compile("%(\\d+\\$)?[-#+ 0,(]*\\d*(?:\\.\\d+)?([a-zA-Z%])");

  private final Language language;
  private final ResourceBundle bundle;

  private Words(String table, Language language, ClassLoader loader) {
    this.language = language;
    // No fallback to the JVM's default locale: --lang en must print English on a Chinese desktop too.
    this.bundle = ResourceBundle.getBundle(table, language.locale(), loader,
        ResourceBundle.Control.getNoFallbackControl(ResourceBundle.Control.FORMAT_PROPERTIES));
  }

  /**
   * The table {@code table} (a bundle's base name, e.g. {@code io.github.tuntaplab.lessons.lesson.LessonWords})
   * in {@code language}, read beside {@code owner}.
   */
  public static Words of(String table, Language language, Class<?> owner) {
    return new Words(table, language, owner.getClassLoader());
  }

  public Language language() {
    return language;
  }

  /** The text for {@code key}, its {@link java.util.Formatter} conversions filled with {@code arguments}. */
  public String format(String key, Object... arguments) {
    return String.format(Locale.ROOT, pattern(key), arguments);
  }

  /** The keys this language defines (for the tests that every language defines the same ones). */
  public Set<String> keys() {
    return bundle.keySet();
  }

  /** The unformatted text for {@code key}. */
  public String pattern(String key) {
    return bundle.getString(key);
  }

  /**
   * Where this language's table says other things than {@code other}'s: a key only one of them has, or
   * a key whose patterns fill in other values ({@code %2$d} and {@code %d} in second place agree).
   * Empty when translations fit each other.
   */
  public List<String> differencesFrom(Words other) {
    List<String> differences = new ArrayList<>();
    Set<String> all = new TreeSet<>(keys());
    all.addAll(other.keys());
    for (String key : all) {
      if (!keys().contains(key) || !other.keys().contains(key)) {
        differences.add(key + ": only in " + (keys().contains(key) ? language : other.language).code());
      } else if (!conversions(pattern(key)).equals(conversions(other.pattern(key)))) {
        differences.add(key + ": " + conversions(pattern(key)) + " in " + language.code() + ", "
            + conversions(other.pattern(key)) + " in " + other.language.code());
      }
    }
    return differences;
  }

  /** The argument each conversion takes, by position, sorted. */
  private static List<String> conversions(String pattern) {
    Matcher matcher = CONVERSION.matcher(pattern);
    List<String> found = new ArrayList<>();
    int next = 1;
    while (matcher.find()) {
      if (!matcher.group(2).equals("%")) {
        int position = matcher.group(1) == null ? next++ : Integer.parseInt(matcher.group(1).replace("$", ""));
        found.add(position + matcher.group(2));
      }
    }
    found.sort(null);
    return found;
  }
}
