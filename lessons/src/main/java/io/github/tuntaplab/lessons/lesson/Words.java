package io.github.tuntaplab.lessons.lesson;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.PropertyResourceBundle;
import java.util.ResourceBundle;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

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

  /**
   * The keys this language's own file defines (for the tests that every language defines the same
   * ones): not those a Chinese table would take from the English one, its parent, when it lacks them.
   */
  public Set<String> keys() {
    PropertyResourceBundle own = (PropertyResourceBundle) bundle;
    return bundle.keySet().stream().filter(key -> own.handleGetObject(key) != null)
        .collect(Collectors.toUnmodifiableSet());
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

  /** How many values {@code key}'s pattern takes: the last position a conversion fills. */
  public int arguments(String key) {
    return conversions(pattern(key)).stream().mapToInt(c -> Integer.parseInt(c.substring(0, c.length() - 1)))
        .max().orElse(0);
  }

  /**
   * {@code key}'s pattern as a regular expression over the texts it makes, each conversion any text:
   * whether a text shown is this entry, whatever values were filled in.
   */
  public Pattern asRegex(String key) {
    String pattern = pattern(key);
    StringBuilder regex = new StringBuilder("(?s)");
    Matcher conversion = CONVERSION.matcher(pattern);
    int at = 0;
    while (conversion.find()) {
      regex.append(Pattern.quote(pattern.substring(at, conversion.start())));
      regex.append(switch (conversion.group(2)) {
        case "%" -> "%";
        case "n" -> "\\R";
        default -> ".*";
      });
      at = conversion.end();
    }
    regex.append(Pattern.quote(pattern.substring(at)));
    return Pattern.compile(regex.toString());
  }

  /** The argument each conversion takes, by position, sorted ({@code %%} and {@code %n} take none). */
  private static List<String> conversions(String pattern) {
    Matcher matcher = CONVERSION.matcher(pattern);
    List<String> found = new ArrayList<>();
    int next = 1;
    while (matcher.find()) {
      if (!matcher.group(2).equals("%") && !matcher.group(2).equals("n")) {
        int position = matcher.group(1) == null ? next++ : Integer.parseInt(matcher.group(1).replace("$", ""));
        found.add(position + matcher.group(2));
      }
    }
    found.sort(null);
    return found;
  }
}
