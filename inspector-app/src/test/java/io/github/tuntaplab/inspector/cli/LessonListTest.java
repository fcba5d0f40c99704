package io.github.tuntaplab.inspector.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.tuntaplab.lessons.lesson.Language;
import io.github.tuntaplab.lessons.lesson.LessonCatalog;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code tunlab lesson list [--lang zh]}, which needs no privileges. */
class LessonListTest {
  @Test
  void listInChineseShowsEveryLessonWithTheTitleAndClaimOfItsChineseFile() throws IOException {
    Tunlab list = Tunlab.run("lesson", "list", "--lang", "zh");
    assertThat(list.exitCode()).as(list.stderr()).isZero();
    LessonCatalog english = LessonCatalog.builtIn();
    LessonCatalog chinese = LessonCatalog.builtIn(Language.CHINESE);
    List<String> lines = list.stdout().lines().toList();
    assertThat(lines).hasSameSizeAs(english.entries());
    for (int i = 0; i < lines.size(); i++) {
      LessonCatalog.Entry entry = english.entries().get(i);
      LessonCatalog.Entry shown = chinese.entry(entry.number());
      assertThat(lines.get(i)).startsWith(String.format("%2d  %s", entry.number(), shown.title()))
          .contains(shown.claim());
      if (chinese.translated(entry.number())) {
        assertThat(lines.get(i)).containsPattern("\\p{IsHan}").doesNotContain(entry.title());
        // The title is the Chinese lesson file's own heading.
        assertThat(chinese.lesson(entry.number()).title()).endsWith(shown.title());
      } else {
        assertThat(lines.get(i)).contains(entry.title() + " （英文）");
      }
    }
    assertThat(Tunlab.run("lesson", "list").stdout()).contains(english.entries().get(0).title())
        .doesNotContainPattern("\\p{IsHan}");
  }

  @Test
  void anUnknownLanguageIsAUsageErrorNamingTheKnownOnes() {
    Tunlab list = Tunlab.run("lesson", "list", "--lang", "fr");
    assertThat(list.exitCode()).isEqualTo(2);
    assertThat(list.stderr()).contains("unknown language 'fr' (known: en, zh)");
    Tunlab window = Tunlab.run("--lang", "fr");
    assertThat(window.exitCode()).isEqualTo(2);
    assertThat(window.stderr()).contains("unknown language 'fr' (known: en, zh)");
  }

  /** {@code tunlab --lang zh [FILE]}: the window opens in Chinese; English by default. */
  @Test
  void theWindowTakesItsLessonPanelsLanguage() {
    picocli.CommandLine chinese = TunlabCommand.commandLine();
    chinese.parseArgs("--lang", "zh", "capture.pcapng");
    assertThat(((TunlabCommand) chinese.getCommand()).language).isEqualTo(Language.CHINESE);
    assertThat(((TunlabCommand) chinese.getCommand()).file).hasToString("capture.pcapng");
    picocli.CommandLine plain = TunlabCommand.commandLine();
    plain.parseArgs();
    assertThat(((TunlabCommand) plain.getCommand()).language).isEqualTo(Language.ENGLISH);
  }

  /** Before a subcommand, --lang would set the window's language and the lesson would run in English. */
  @Test
  void langBeforeASubcommandIsAUsageErrorSayingWhereItGoes() {
    Tunlab list = Tunlab.run("--lang", "zh", "lesson", "list");
    assertThat(list.exitCode()).isEqualTo(2);
    assertThat(list.stdout()).isEmpty();
    assertThat(list.stderr()).contains("put it after the subcommand: tunlab lesson list --lang zh");
  }
}
