package io.github.tuntaplab.lessons.lesson;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The lessons that come with TunTap Lab, found through the table in {@code lessons/README.md}
 * (packaged among the resources with every lesson's Markdown): one row a lesson, its number, then a
 * link to its file. A teacher adds a lesson by adding its folder and its row.
 */
public final class LessonCatalog {
  private static final String CONTENT = "/io/github/tuntaplab/lessons/content/";
  private static final Pattern ROW = Pattern.compile("^\\|\\s*(\\d+)\\s*\\|\\s*\\[([^]]+)]\\(([^)]+)\\)\\s*\\|(.*)\\|\\s*$");

  private final List<Entry> entries;

  /** A row of the table: the lesson's number, title, file (relative to {@code lessons/}) and claim. */
  public record Entry(int number, String title, String file, String claim) {}

  private LessonCatalog(List<Entry> entries) {
    this.entries = List.copyOf(entries);
  }

  /** The lessons packaged with this build. */
  public static LessonCatalog builtIn() throws IOException {
    List<Entry> entries = new ArrayList<>();
    for (String line : read("README.md").lines().toList()) {
      Matcher row = ROW.matcher(line);
      if (row.matches()) {
        entries.add(new Entry(Integer.parseInt(row.group(1)), row.group(2).strip(), row.group(3).strip(),
            row.group(4).strip()));
      }
    }
    return new LessonCatalog(entries);
  }

  public List<Entry> entries() {
    return entries;
  }

  /** Lesson {@code number}, read and checked. */
  public Lesson lesson(int number) throws IOException {
    Entry entry = entries.stream().filter(e -> e.number() == number).findFirst().orElseThrow(
        () -> new LessonFormatException("lessons/README.md", 0, "no lesson " + number + " (there are "
            + entries.stream().map(Entry::number).toList() + ")"));
    return Lesson.parse(number, entry.file(), read(entry.file()));
  }

  private static String read(String file) throws IOException {
    try (InputStream in = LessonCatalog.class.getResourceAsStream(CONTENT + file)) {
      if (in == null) {
        throw new IOException("lessons/" + file + " is missing from this build");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
