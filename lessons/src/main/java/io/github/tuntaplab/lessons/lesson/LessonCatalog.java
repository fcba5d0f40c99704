package io.github.tuntaplab.lessons.lesson;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The lessons that come with TunTap Lab, found through the table in {@code lessons/README.md}
 * (packaged among the resources with every lesson's Markdown): one row a lesson, its number, then a
 * link to its file. A teacher adds a lesson by adding its folder and its row. A translation has its
 * own table ({@code lessons/README.zh.md}) linking to the translated files ({@code README.zh.md});
 * a lesson missing from it, or whose file is missing, stays in English.
 */
public final class LessonCatalog {
  private static final String CONTENT = "/io/github/tuntaplab/lessons/content/";
  private static final Pattern ROW = Pattern.compile("^\\|\\s*(\\d+)\\s*\\|\\s*\\[([^]]+)]\\(([^)]+)\\)\\s*\\|(.*)\\|\\s*$");

  private final Language language;
  private final List<Entry> entries;
  private final Set<Integer> untranslated;
  private final Files files;

  /** Where the Markdown files come from: {@code lessons/}'s, packaged as resources; a test's own. */
  @FunctionalInterface
  interface Files {
    /** The file's text, or empty if there is no such file ({@code README.md}, {@code 01-tun-and-tap/README.zh.md}). */
    Optional<String> read(String file) throws IOException;
  }

  /** A row of the table: the lesson's number, title, file (relative to {@code lessons/}) and claim. */
  public record Entry(int number, String title, String file, String claim) {}

  private LessonCatalog(Language language, List<Entry> entries, Set<Integer> untranslated, Files files) {
    this.language = language;
    this.entries = List.copyOf(entries);
    this.untranslated = Set.copyOf(untranslated);
    this.files = files;
  }

  /** The lessons packaged with this build, in English. */
  public static LessonCatalog builtIn() throws IOException {
    return builtIn(Language.ENGLISH);
  }

  /** The lessons packaged with this build, in {@code language} where they are translated. */
  public static LessonCatalog builtIn(Language language) throws IOException {
    return of(language, LessonCatalog::resource);
  }

  /** The lessons of the table in {@code files}' {@code README.md}, in {@code language} where they are translated. */
  static LessonCatalog of(Language language, Files files) throws IOException {
    List<Entry> english = rows(required(files, "README.md"));
    if (language == Language.ENGLISH) {
      return new LessonCatalog(language, english, Set.of(), files);
    }
    Map<Integer, Entry> translated = new HashMap<>();
    files.read(language.file("README.md")).ifPresent(index -> rows(index).forEach(e -> translated.put(e.number(), e)));
    List<Entry> entries = new ArrayList<>();
    Set<Integer> untranslated = new TreeSet<>();
    for (Entry entry : english) {
      Entry translation = translated.get(entry.number());
      if (translation != null && files.read(translation.file()).isPresent()) {
        entries.add(translation);
      } else {
        entries.add(entry);
        untranslated.add(entry.number());
      }
    }
    return new LessonCatalog(language, entries, untranslated, files);
  }

  private static List<Entry> rows(String table) {
    List<Entry> entries = new ArrayList<>();
    for (String line : table.lines().toList()) {
      Matcher row = ROW.matcher(line);
      if (row.matches()) {
        entries.add(new Entry(Integer.parseInt(row.group(1)), row.group(2).strip(), row.group(3).strip(),
            row.group(4).strip()));
      }
    }
    return entries;
  }

  public Language language() {
    return language;
  }

  public List<Entry> entries() {
    return entries;
  }

  /** Whether lesson {@code number} is in this catalog's language (false: it is shown in English). */
  public boolean translated(int number) {
    return !untranslated.contains(number);
  }

  /** Lesson {@code number}'s row. */
  public Entry entry(int number) throws LessonFormatException {
    return entries.stream().filter(e -> e.number() == number).findFirst().orElseThrow(
        () -> new LessonFormatException("lessons/README.md", 0, "no lesson " + number + " (there are "
            + entries.stream().map(Entry::number).toList() + ")"));
  }

  /** Lesson {@code number}, read and checked. */
  public Lesson lesson(int number) throws IOException {
    Entry entry = entry(number);
    return Lesson.parse(number, entry.file(), required(files, entry.file()));
  }

  /** The Markdown text of lesson {@code number}'s file in this catalog's language (English where untranslated). */
  public String markdown(int number) throws IOException {
    return required(files, entry(number).file());
  }

  private static String required(Files files, String file) throws IOException {
    return files.read(file).orElseThrow(() -> new IOException("lessons/" + file + " is missing from this build"));
  }

  private static Optional<String> resource(String file) throws IOException {
    try (InputStream in = LessonCatalog.class.getResourceAsStream(CONTENT + file)) {
      return in == null ? Optional.empty() : Optional.of(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    }
  }
}
