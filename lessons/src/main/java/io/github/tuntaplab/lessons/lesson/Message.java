package io.github.tuntaplab.lessons.lesson;

import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A text said in every language the lessons have, made at once from a {@link LessonWords} key and its
 * values: a checkpoint's verdict, judged in the lab's process, crosses the lab's socket and is shown
 * by a window that may switch language afterwards, so it carries each language's text rather than a
 * key to look up later. A value that is a message is said in the same language; any other value
 * (a filter, a tcpdump line, hex, a link's name, the kernel's or a library's words) reads the same in
 * every language.
 */
public record Message(Map<Language, String> texts) {
  private static final Map<Language, LessonWords> WORDS = words();

  private static Map<Language, LessonWords> words() {
    Map<Language, LessonWords> words = new EnumMap<>(Language.class);
    for (Language language : Language.values()) {
      words.put(language, LessonWords.of(language));
    }
    return Collections.unmodifiableMap(words);
  }

  public Message {
    if (!texts.keySet().containsAll(List.of(Language.values()))) {
      throw new IllegalArgumentException("a message needs a text in every language: " + texts.keySet());
    }
    texts = Map.copyOf(texts);
  }

  /** The lesson table's {@code key} in every language, its values filled in. */
  static Message of(String key, Object... arguments) {
    Map<Language, String> texts = new EnumMap<>(Language.class);
    for (Language language : Language.values()) {
      texts.put(language, WORDS.get(language).format(key, Stream.of(arguments)
          .map(a -> a instanceof Message m ? m.in(language) : a).toArray()));
    }
    return new Message(texts);
  }

  /** {@code text} as it is, in every language. */
  public static Message verbatim(String text) {
    Map<Language, String> texts = new EnumMap<>(Language.class);
    for (Language language : Language.values()) {
      texts.put(language, text);
    }
    return new Message(texts);
  }

  /** The items one after another, separated as each language lists things. */
  static Message list(List<Message> items) {
    return items.stream().reduce((a, b) -> of("verdict.list", a, b)).orElse(verbatim(""));
  }

  /** The message in {@code language}. */
  public String in(Language language) {
    return texts.get(language);
  }
}
