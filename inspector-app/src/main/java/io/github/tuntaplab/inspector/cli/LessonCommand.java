package io.github.tuntaplab.inspector.cli;

import io.github.tuntaplab.lessons.lab.LabSettings;
import io.github.tuntaplab.lessons.lab.Privileges;
import io.github.tuntaplab.lessons.lesson.Lesson;
import io.github.tuntaplab.lessons.lesson.LessonCatalog;
import io.github.tuntaplab.lessons.lesson.LessonResult;
import io.github.tuntaplab.lessons.lesson.LessonRunner;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code tunlab lesson list|run|step}: the lessons of {@code lessons/}, each on a live lab of its own
 * (built in-process; root needed), every checkpoint judged on the real traffic.
 */
@Command(name = "lesson", mixinStandardHelpOptions = true,
    subcommands = {LessonCommand.ListLessons.class, LessonCommand.RunLesson.class, LessonCommand.StepLesson.class},
    description = {"The lessons: predict, do, see — checked on live traffic.",
        "'sudo tunlab lesson run 1' runs lesson 1; 'tunlab lesson list' lists them."})
final class LessonCommand implements Runnable {
  @Spec
  CommandSpec spec;

  @Override
  public void run() {
    throw new picocli.CommandLine.ParameterException(spec.commandLine(), "Missing required subcommand");
  }

  @Command(name = "list", mixinStandardHelpOptions = true, description = "List the lessons and what each shows.")
  static final class ListLessons implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
      PrintWriter out = spec.commandLine().getOut();
      for (LessonCatalog.Entry entry : LessonCatalog.builtIn().entries()) {
        out.printf("%2d  %-40s %s%n", entry.number(), entry.title(), entry.claim());
      }
      out.flush();
      return ExitCode.OK;
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

    abstract LessonRunner.Pacer pacer();

    @Override
    public Integer call() {
      PrintWriter out = spec.commandLine().getOut();
      PrintWriter err = spec.commandLine().getErr();
      boolean builtIn = which.matches("\\d+");
      Lesson lesson;
      try {
        lesson = builtIn ? LessonCatalog.builtIn().lesson(Integer.parseInt(which))
            : Lesson.parse(0, which, Files.readString(Path.of(which)));
      } catch (IOException e) {
        err.println("tunlab: " + (e instanceof NoSuchFileException ? which + ": no such file" : e.getMessage()));
        err.flush();
        return ExitCode.FAILED;
      }
      if (!Privileges.canBuildLab()) {
        err.println("tunlab: lesson " + which + " builds its lab in network namespaces, which needs root "
            + "(CAP_NET_ADMIN and CAP_SYS_ADMIN); run:\n  sudo " + Privileges.tunlabCommand() + " lesson "
            + spec.name() + " " + which + (builtIn ? "\nWithout root, replay a recorded run of it:\n  "
            + Privileges.tunlabCommand() + " print -e sample-captures/lessons/lesson-" + which + ".pcapng   "
            + "(or open the file in Wireshark; its packet comments name the steps)" : ""));
        err.flush();
        return ExitCode.PREREQUISITE;
      }
      Path file = capture != null ? capture : Path.of("lesson-" + (builtIn ? which : "file") + ".pcapng");
      try {
        LessonResult result = new LessonRunner(out, pacer(), LabSettings.fromSystemProperties())
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
}
