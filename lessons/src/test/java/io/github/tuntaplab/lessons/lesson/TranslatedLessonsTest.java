package io.github.tuntaplab.lessons.lesson;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The Chinese lessons ({@code NN-name/README.zh.md}) are the English ones translated: the same engine
 * blocks byte for byte (so the same lab is built and the same checkpoints run), the same steps, and
 * prose that is actually Chinese; every lesson of the catalog has one.
 */
class TranslatedLessonsTest {
  private static final List<String> ENGINE_BLOCKS = List.of("topology", "run", "tunlib", "show", "check");
  private static final Pattern CHINESE = Pattern.compile("\\p{IsHan}");

  @Test
  void everyChineseLessonHasTheEnglishStepsAndByteIdenticalEngineBlocks() throws IOException {
    LessonCatalog english = LessonCatalog.builtIn();
    LessonCatalog chinese = LessonCatalog.builtIn(Language.CHINESE);
    int compared = 0;
    for (LessonCatalog.Entry entry : english.entries()) {
      int number = entry.number();
      if (!chinese.translated(number)) {
        continue;
      }
      compared++;
      assertThat(engineBlocks(chinese.markdown(number))).as("lesson %d's engine blocks in Chinese", number)
          .isEqualTo(engineBlocks(english.markdown(number)));
      Lesson en = english.lesson(number);
      Lesson zh = chinese.lesson(number);
      assertThat(zh.topologyText()).isEqualTo(en.topologyText());
      // The heading is the Chinese table's title, as the English heading is the English table's.
      assertThat(en.title()).isEqualTo(LessonWords.of(Language.ENGLISH).format("lesson.heading", number, entry.title()));
      assertThat(zh.title()).isEqualTo(LessonWords.of(Language.CHINESE).format("lesson.heading", number,
          chinese.entry(number).title()));
      assertThat(zh.introduction()).containsPattern(CHINESE);
      assertThat(zh.steps()).hasSameSizeAs(en.steps());
      for (int i = 0; i < en.steps().size(); i++) {
        Step enStep = en.steps().get(i);
        Step zhStep = zh.steps().get(i);
        String step = "lesson " + number + ", " + enStep.title();
        assertThat(zhStep.runs()).as(step).isEqualTo(enStep.runs());
        assertThat(zhStep.shows()).as(step).isEqualTo(enStep.shows());
        assertThat(zhStep.checks()).as(step).extracting(Checkpoint::text)
            .isEqualTo(enStep.checks().stream().map(Checkpoint::text).toList());
        assertThat(zhStep.prediction().isPresent()).as(step).isEqualTo(enStep.prediction().isPresent());
        zhStep.prediction().ifPresent(p -> assertThat(p).as(step).containsPattern(CHINESE));
        assertThat(zhStep.title()).as(step).containsPattern(CHINESE);
        // The runner numbers the Chinese steps as the English ones.
        assertThat(LessonWords.of(Language.CHINESE).stepHeading(i + 1, zhStep))
            .startsWith(LessonWords.of(Language.CHINESE).format("step.heading", i + 1, ""));
      }
    }
    assertThat(compared).as("translated lessons").isPositive();
  }

  @Test
  void everyLessonInTheCatalogHasAChineseVersion() throws IOException {
    LessonCatalog english = LessonCatalog.builtIn();
    LessonCatalog chinese = LessonCatalog.builtIn(Language.CHINESE);
    List<String> missing = new ArrayList<>();
    for (LessonCatalog.Entry entry : english.entries()) {
      if (!chinese.translated(entry.number())) {
        missing.add("lesson " + entry.number() + ": lessons/" + Language.CHINESE.file(entry.file())
            + " and its row in lessons/README.zh.md");
      } else {
        assertThat(chinese.entry(entry.number()).file()).isEqualTo(Language.CHINESE.file(entry.file()));
        assertThat(chinese.entry(entry.number()).title()).containsPattern(CHINESE);
      }
    }
    assertThat(missing).as("lessons without a Chinese version").isEmpty();
  }

  @Test
  void aLessonMissingFromTheTranslationsTableOrWithoutItsFileStaysInEnglish() throws IOException {
    String lesson = """
        # Lesson %d: t
        ```topology
        topology t
        namespace host
        tun host tl-tun0
        ```
        ## Step 1: s
        ```check
        flags of tl-tun0: NOARP
        ```
        """;
    Map<String, String> files = Map.of(
        "README.md", "| 1 | [One](01-one/README.md) | c1 |\n| 2 | [Two](02-two/README.md) | c2 |\n"
            + "| 3 | [Three](03-three/README.md) | c3 |\n",
        "README.zh.md", "| 1 | [一](01-one/README.zh.md) | 论断 |\n| 3 | [三](03-three/README.zh.md) | 论断 |\n",
        "01-one/README.md", lesson.formatted(1), "01-one/README.zh.md", lesson.formatted(1).replace("t\n", "一\n"),
        "02-two/README.md", lesson.formatted(2), "03-three/README.md", lesson.formatted(3));
    LessonCatalog.Files reader = file -> Optional.ofNullable(files.get(file));
    LessonCatalog chinese = LessonCatalog.of(Language.CHINESE, reader);
    assertThat(chinese.translated(1)).isTrue();
    assertThat(chinese.entry(1).title()).isEqualTo("一");
    assertThat(chinese.translated(2)).as("not in the table").isFalse();
    assertThat(chinese.translated(3)).as("in the table, but no file").isFalse();
    assertThat(chinese.entry(3)).isEqualTo(LessonCatalog.of(Language.ENGLISH, reader).entry(3));
    assertThat(chinese.lesson(3).title()).isEqualTo("Lesson 3: t");
  }

  /** The fenced blocks the engine reads, each with its opening line, in order: what must not be translated. */
  private static List<String> engineBlocks(String markdown) {
    List<String> blocks = new ArrayList<>();
    String[] lines = markdown.split("\n", -1);
    for (int i = 0; i < lines.length; i++) {
      if (lines[i].startsWith("```") && ENGINE_BLOCKS.contains(lines[i].substring(3).strip().split("\\s+")[0])) {
        StringBuilder block = new StringBuilder(lines[i]).append('\n');
        while (!lines[++i].strip().equals("```")) {
          block.append(lines[i]).append('\n');
        }
        blocks.add(block.toString());
      }
    }
    return blocks;
  }
}
