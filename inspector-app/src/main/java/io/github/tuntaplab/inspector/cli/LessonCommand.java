package io.github.tuntaplab.inspector.cli;

import io.github.tuntaplab.lessons.lab.LabSettings;
import io.github.tuntaplab.lessons.lab.Privileges;
import io.github.tuntaplab.lessons.lesson.Language;
import io.github.tuntaplab.lessons.lesson.Lesson;
import io.github.tuntaplab.lessons.lesson.LessonCatalog;
import io.github.tuntaplab.lessons.lesson.LessonResult;
import io.github.tuntaplab.lessons.lesson.LessonRunner;
import io.github.tuntaplab.lessons.lesson.LessonWords;
import io.github.tuntaplab.lessons.lesson.SampleRecorder;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code tunlab lesson list|run|step|record}: the lessons of {@code lessons/}, each on a live lab of its own
 * (built in-process; root needed), every checkpoint judged on the real traffic; {@code --lang zh} for the
 * Chinese lessons.
 */
@Command(name = "lesson", mixinStandardHelpOptions = true,
    subcommands = {LessonCommand.ListLessons.class, LessonCommand.RunLesson.class, LessonCommand.StepLesson.class,
        LessonCommand.RecordLessons.class},
    description = {"The lessons: predict, do, see — checked on live traffic.",
        "'sudo tunlab lesson run 1' runs lesson 1; 'tunlab lesson list' lists them."})
final class LessonCommand implements Runnable {
  @Spec
  CommandSpec spec;

  @Override
  public void run() {
    throw new picocli.CommandLine.ParameterException(spec.commandLine(), "Missing required subcommand");
  }

  /** {@code --lang en|zh}: which version of the lessons, and the language of the runner's own words. */
  static final class LanguageOption {
    @Option(names = "--lang", paramLabel = "en|zh", defaultValue = "en", converter = LanguageConverter.class,
        description = "the lessons' language: en (English, the default) or zh (Simplified Chinese, 简体中文)")
    Language language;
  }

  static final class LanguageConverter implements CommandLine.ITypeConverter<Language> {
    @Override
    public Language convert(String value) {
      try {
        return Language.of(value);
      } catch (IllegalArgumentException e) {
        throw new CommandLine.TypeConversionException(e.getMessage());
      }
    }
  }

  @Command(name = "list", mixinStandardHelpOptions = true, description = "List the lessons and what each shows.")
  static final class ListLessons implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @CommandLine.Mixin
    LanguageOption lang;

    @Override
    public Integer call() throws IOException {
      PrintWriter out = spec.commandLine().getOut();
      LessonCatalog catalog = LessonCatalog.builtIn(lang.language);
      String untranslated = " " + LessonWords.of(lang.language).format("untranslated.marker");
      for (LessonCatalog.Entry entry : catalog.entries()) {
        out.printf("%2d  %s %s%n", entry.number(), padded(entry.title()
            + (catalog.translated(entry.number()) ? "" : untranslated), 40), entry.claim());
      }
      out.flush();
      return ExitCode.OK;
    }

    /** {@code text} padded with spaces to {@code columns} terminal columns: a Chinese character takes two. */
    static String padded(String text, int columns) {
      int width = text.codePoints().map(c -> Character.UnicodeScript.of(c) == Character.UnicodeScript.HAN
          || (c >= 0x3000 && c <= 0x303f) || (c >= 0xff00 && c <= 0xff60) ? 2 : 1).sum();
      return text + " ".repeat(Math.max(0, columns - width));
    }
  }

  /** What run and step share: the lesson's number, where its capture goes, and running it. */
  abstract static class LessonRun implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "N|FILE", description = {"the lesson's number (tunlab lesson list), or a lesson's Markdown "
        + "file: a teacher tries a new lesson without rebuilding"})
    String which;

    @Option(names = {"-w", "--capture"}, paramLabel = "FILE",
        description = "where to write the lesson's capture (pcapng; default: lesson-N.pcapng)")
    Path capture;

    @CommandLine.Mixin
    LanguageOption lang;

    abstract LessonRunner.Pacer pacer();

    @Override
    public Integer call() {
      PrintWriter out = spec.commandLine().getOut();
      PrintWriter err = spec.commandLine().getErr();
      boolean builtIn = which.matches("\\d+");
      LessonWords words = LessonWords.of(lang.language);
      Lesson lesson;
      try {
        if (builtIn) {
          LessonCatalog catalog = LessonCatalog.builtIn(lang.language);
          int number = Integer.parseInt(which);
          lesson = catalog.lesson(number);
          if (!catalog.translated(number)) {
            err.println("tunlab: " + words.format("untranslated.lesson", number,
                lang.language.file(catalog.entry(number).file())));
            err.flush();
          }
        } else {
          lesson = Lesson.parse(0, which, Files.readString(Path.of(which)));
        }
      } catch (IOException e) {
        err.println("tunlab: " + (e instanceof NoSuchFileException ? which + ": no such file" : e.getMessage()));
        err.flush();
        return ExitCode.FAILED;
      }
      if (!Privileges.canBuildLab()) {
        err.println("tunlab: lesson " + which + " builds its lab in network namespaces, which needs root "
            + "(CAP_NET_ADMIN and CAP_SYS_ADMIN); run:\n  sudo " + Privileges.tunlabCommand() + " lesson "
            + spec.name() + " " + which + (builtIn ? "\nWithout root, replay a recorded run of it:\n  "
            + Privileges.tunlabCommand() + " print -e sample-captures/lesson-" + which + ".pcapng   "
            + "(or open the file in Wireshark; its packet comments name the steps)" : ""));
        err.flush();
        return ExitCode.PREREQUISITE;
      }
      Path file = capture != null ? capture : Path.of("lesson-" + (builtIn ? which : "file") + ".pcapng");
      try {
        LessonResult result = new LessonRunner(out, pacer(), LabSettings.fromSystemProperties(), words)
            .run(lesson, Optional.of(file));
        return result.passed() ? ExitCode.OK : ExitCode.FAILED;
      } catch (IOException e) {
        out.flush();
        err.println("tunlab: lesson " + which + ": " + e.getMessage());
        err.flush();
        return ExitCode.FAILED;
      }
    }
  }

  @Command(name = "run", mixinStandardHelpOptions = true,
      description = {"Run every step of lesson N: text, commands, observations, checkpoint results.",
          "Exit code 0 when every checkpoint passed, 1 otherwise, 3 without root."})
  static final class RunLesson extends LessonRun {
    @Override
    LessonRunner.Pacer pacer() {
      return LessonRunner.Pacer.none();
    }
  }

  @Command(name = "step", mixinStandardHelpOptions = true,
      description = "Run lesson N one step at a time: each prediction first, then Enter to see what happens.")
  static final class StepLesson extends LessonRun {
    @Override
    LessonRunner.Pacer pacer() {
      BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
      PrintWriter out = spec.commandLine().getOut();
      return prompt -> {
        out.print(prompt + " ");
        out.flush();
        in.readLine();
      };
    }
  }

  @Command(name = "record", mixinStandardHelpOptions = true,
      description = {"Record the sample captures: run every lesson and write into DIR lesson-N.pcapng (every device),",
          "lesson-N-LINK.pcap (one device, for tcpdump) and the index README.md. As root:",
          "  sudo ./tunlab lesson record sample-captures",
          "Exit code 0 when every lesson passed, 1 otherwise, 3 without root."})
  static final class RecordLessons implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "DIR", description = "where to write the captures and their index")
    Path directory;

    @Override
    public Integer call() {
      PrintWriter out = spec.commandLine().getOut();
      PrintWriter err = spec.commandLine().getErr();
      if (!Privileges.canBuildLab()) {
        err.println("tunlab: recording runs every lesson on a live lab, which needs root; run:\n  sudo "
            + Privileges.tunlabCommand() + " lesson record " + directory);
        err.flush();
        return ExitCode.PREREQUISITE;
      }
      try {
        LessonCatalog catalog = LessonCatalog.builtIn();
        List<Integer> all = catalog.entries().stream().map(LessonCatalog.Entry::number).toList();
        new SampleRecorder(out, LabSettings.fromSystemProperties()).record(catalog, all, directory);
        return ExitCode.OK;
      } catch (IOException e) {
        out.flush();
        err.println("tunlab: lesson record: " + e.getMessage());
        err.flush();
        return ExitCode.FAILED;
      }
    }
  }
}
