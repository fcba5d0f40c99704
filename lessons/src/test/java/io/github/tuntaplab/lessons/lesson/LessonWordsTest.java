package io.github.tuntaplab.lessons.lesson;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/** The runner's words: every language says the same things, with the same values filled in. */
class LessonWordsTest {
  @Test
  void everyLanguageHasEveryKeyWithTheSameConversions() {
    Words english = Words.of("io.github.tuntaplab.lessons.lesson.LessonWords", Language.ENGLISH, LessonWords.class);
    for (Language language : Language.values()) {
      Words words = Words.of("io.github.tuntaplab.lessons.lesson.LessonWords", language, LessonWords.class);
      assertThat(words.keys()).as(language.code()).containsExactlyInAnyOrderElementsOf(english.keys());
      // step.numbered is a regular expression, not a pattern to fill in.
      assertThat(words.differencesFrom(english)).as(language.code()).allMatch(d -> d.startsWith("step.numbered:"));
    }
  }

  /** The inspector's lesson panel says each of its words in Chinese, none left in English. */
  @Test
  void everyPanelWordIsTranslated() {
    LessonWords english = LessonWords.of(Language.ENGLISH);
    LessonWords chinese = LessonWords.of(Language.CHINESE);
    List<String> panel = english.keys().stream()
        .filter(k -> k.matches("(panel|mode|replay|action|check)\\..*")).sorted().toList();
    assertThat(panel).hasSizeGreaterThan(25).contains("panel.run", "mode.stopped", "check.needs.lab");
    for (String key : panel) {
      assertThat(chinese.pattern(key)).as(key).isNotEqualTo(english.pattern(key)).matches(Language.CHINESE::writes);
    }
  }

  /**
   * Every verdict's own words are said in Chinese (the keys made of values and punctuation alone, such
   * as {@code %s%s}, aside): keys no replay reaches (a single trailing byte, a carrier's offset) too.
   */
  @Test
  void everyVerdictWordIsTranslated() {
    LessonWords english = LessonWords.of(Language.ENGLISH);
    LessonWords chinese = LessonWords.of(Language.CHINESE);
    List<String> verdicts = english.keys().stream().filter(k -> k.startsWith("verdict.")).sorted().toList();
    assertThat(verdicts).hasSizeGreaterThan(60).contains("verdict.nothing", "verdict.none.among.one",
        "verdict.cannot.judge", "verdict.libpcap");
    for (String key : verdicts) {
      if (english.pattern(key).matches("(?s).*[A-Za-z]{2}.*")) {
        assertThat(chinese.pattern(key)).as(key).isNotEqualTo(english.pattern(key)).matches(Language.CHINESE::writes);
      }
    }
  }

  /**
   * The panel's note for a lesson without a Chinese file (every built-in lesson has one, so no
   * window test meets it) says so as the runner does.
   */
  @Test
  void thePanelAndTheRunnerSayAlikeThatALessonHasNoChineseVersion() {
    LessonWords chinese = LessonWords.of(Language.CHINESE);
    assertThat(chinese.format("panel.untranslated", 6, "中文")).isEqualTo("第 6 课还没有中文版：以英文显示");
    assertThat(chinese.format("untranslated.lesson", 6, "06-x/README.zh.md"))
        .isEqualTo("第 6 课还没有中文版（缺少 lessons/06-x/README.zh.md），下面以英文运行");
    assertThat(LessonWords.of(Language.ENGLISH).format("panel.untranslated", 6, "English"))
        .isEqualTo("Lesson 6 has no English version yet: shown in English");
  }

  @Test
  void chineseIsChineseAndEnglishStaysEnglishWhateverTheDefaultLocale() {
    Locale before = Locale.getDefault();
    try {
      Locale.setDefault(Locale.SIMPLIFIED_CHINESE);
      assertThat(LessonWords.of(Language.ENGLISH).format("predict", "x")).isEqualTo("Predict: x");
      assertThat(LessonWords.of(Language.CHINESE).format("predict", "x")).isEqualTo("预测：x");
      assertThat(LessonWords.of(Language.CHINESE).format("result.failed", 2, 9)).isEqualTo("9 个检查点中有 2 个未通过。");
    } finally {
      Locale.setDefault(before);
    }
  }

  @Test
  void languagesAreNamedByTheirCodesAndNameTheirFiles() {
    assertThat(Language.of("zh")).isEqualTo(Language.CHINESE);
    assertThat(Language.of("EN")).isEqualTo(Language.ENGLISH);
    assertThatThrownBy(() -> Language.of("fr")).hasMessage("unknown language 'fr' (known: en, zh)");
    assertThat(Language.CHINESE.file("01-tun-and-tap/README.md")).isEqualTo("01-tun-and-tap/README.zh.md");
    assertThat(Language.ENGLISH.file("01-tun-and-tap/README.md")).isEqualTo("01-tun-and-tap/README.md");
  }
}
