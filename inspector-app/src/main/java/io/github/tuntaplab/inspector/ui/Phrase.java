package io.github.tuntaplab.inspector.ui;

import io.github.tuntaplab.lessons.lesson.Words;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * Something the window says, before it is said in a language: a key of the window's table and the
 * values to fill in, which may be phrases themselves (said in the same language). Kept instead of the
 * text so that a window switched to another language says it again in that one. A verbatim phrase
 * (an address, a command, a library's own message) reads the same in every language.
 */
public record Phrase(String key, List<Object> arguments) {
  public Phrase {
    // Not List.copyOf: a value may be null (said "null", as String.format says it).
    arguments = Collections.unmodifiableList(new ArrayList<>(arguments));
  }

  public static Phrase of(String key, Object... arguments) {
    return new Phrase(key, Arrays.asList(arguments));
  }

  /** {@code text} as it is, in every language. */
  public static Phrase verbatim(String text) {
    return new Phrase(null, List.of(text));
  }

  /** The phrase in {@code words}' language. */
  public String in(Words words) {
    if (key == null) {
      return String.valueOf(arguments.get(0));
    }
    return words.format(key, arguments.stream().map(a -> a instanceof Phrase p ? p.in(words) : a).toArray());
  }
}
