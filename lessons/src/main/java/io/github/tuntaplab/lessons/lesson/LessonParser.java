package io.github.tuntaplab.lessons.lesson;

import io.github.tuntaplab.lessons.lab.Topology;
import io.github.tuntaplab.lessons.lab.TopologyException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Reads a lesson's Markdown: the fenced blocks {@code topology}, {@code predict}, {@code run ROLE},
 * {@code show} and {@code check} mean something to the engine; every other line is prose for the
 * student. Strict: a misplaced or malformed block is an error naming its line.
 */
final class LessonParser {
  private final int number;
  private final String source;
  private String title;
  private final StringBuilder introduction = new StringBuilder();
  private String topology;
  private final List<Step> steps = new ArrayList<>();
  private StepBuilder step;

  LessonParser(int number, String source) {
    this.number = number;
    this.source = source;
  }

  Lesson parse(String markdown) throws LessonFormatException {
    String[] lines = markdown.split("\n", -1);
    for (int i = 0; i < lines.length; i++) {
      String line = lines[i];
      if (line.startsWith("```") && isEngineBlock(line.substring(3).strip())) {
        int end = closingFence(lines, i);
        block(line.substring(3).strip(), List.of(lines).subList(i + 1, end), i + 1);
        i = end;
      } else if (line.startsWith("```")) {
        int end = closingFence(lines, i);
        for (int j = i; j <= end; j++) {
          prose(lines[j]);
        }
        i = end;
      } else if (line.startsWith("# ") && title == null) {
        title = line.substring(2).strip();
      } else if (line.startsWith("## ")) {
        finishStep();
        step = new StepBuilder(line.substring(3).strip());
      } else {
        prose(line);
      }
    }
    finishStep();
    if (title == null) {
      throw new LessonFormatException(source, 0, "no title: start the lesson with '# Lesson N: title'");
    }
    if (topology == null) {
      throw new LessonFormatException(source, 0, "no topology block: the lesson needs a lab (```topology)");
    }
    if (steps.isEmpty()) {
      throw new LessonFormatException(source, 0, "no steps: each '## ' heading starts one");
    }
    Lesson lesson = new Lesson(number, source, title, paragraphs(introduction), topology, steps);
    checkNames(lesson);
    return lesson;
  }

  /** Every role and device a step names must be in the lesson's topology: a teacher learns of a typo at once. */
  private void checkNames(Lesson lesson) throws LessonFormatException {
    Topology lab;
    try {
      lab = lesson.topology();
    } catch (TopologyException e) {
      throw new LessonFormatException(source, 0, e.getMessage());
    }
    Set<String> roles = lab.namespaces().stream().map(Topology.Namespace::role).collect(Collectors.toSet());
    Set<String> links = roles.stream().flatMap(role -> lab.linksIn(role).stream()).collect(Collectors.toSet());
    for (Step step : lesson.steps()) {
      List<String> named = new ArrayList<>(step.runs().stream().map(Run::role).toList());
      List<LinkRef> devices = new ArrayList<>();
      for (Checkpoint checkpoint : step.checks()) {
        named.addAll(checkpoint.roles());
        devices.addAll(checkpoint.links());
      }
      for (String role : named) {
        if (!roles.contains(role)) {
          throw new LessonFormatException(source, 0, "step '" + step.title() + "' names the namespace " + role
              + ", which the topology does not declare (it has " + new TreeSet<>(roles) + ")");
        }
      }
      for (Run run : step.runs()) {
        for (String line : run.tunlib() ? run.lines() : List.<String>of()) {
          Optional<String> tunnel = TunlibAction.tunnelControl(line).map(TunlibAction.TunnelControl::link);
          if (tunnel.isPresent() && lab.tunnels().stream().noneMatch(t -> t.namespace().equals(run.role())
              && t.link().equals(tunnel.get()))) {
            throw new LessonFormatException(source, 0, "step '" + step.title() + "' stops or starts the tunnel "
                + tunnel.get() + " in " + run.role() + ", which the topology does not declare (its tunnels: "
                + lab.tunnels().stream().map(t -> t.namespace() + "/" + t.link()).toList() + ")");
          }
        }
      }
      for (LinkRef device : devices) {
        if (!links.contains(device.link())) {
          throw new LessonFormatException(source, 0, "step '" + step.title() + "' names the device " + device
              + ", which the topology does not declare (it has " + new TreeSet<>(links) + ")");
        }
      }
    }
  }

  private static boolean isEngineBlock(String info) {
    String word = info.split("\\s+", 2)[0];
    return List.of("topology", "predict", "run", "tunlib", "show", "check").contains(word);
  }

  private int closingFence(String[] lines, int open) throws LessonFormatException {
    for (int i = open + 1; i < lines.length; i++) {
      if (lines[i].strip().equals("```")) {
        return i;
      }
    }
    throw new LessonFormatException(source, open + 1, "this block is never closed with ```");
  }

  private void block(String info, List<String> body, int line) throws LessonFormatException {
    String[] words = info.split("\\s+");
    String kind = words[0];
    if (kind.equals("topology")) {
      if (step != null || topology != null) {
        throw new LessonFormatException(source, line, "one topology block, before the first step");
      }
      topology = String.join("\n", body) + "\n";
      return;
    }
    if (step == null) {
      throw new LessonFormatException(source, line, "a " + kind + " block belongs in a step (after a '## ' heading)");
    }
    boolean action = kind.equals("run") || kind.equals("tunlib");
    if (action != (words.length == 2)) {
      throw new LessonFormatException(source, line, action
          ? "a " + kind + " block names the namespace's role: ```" + kind + " ROLE" : "```" + kind + " takes no argument");
    }
    switch (kind) {
      case "predict" -> {
        if (step.prediction != null) {
          throw new LessonFormatException(source, line, "a step has one prediction");
        }
        step.prediction = String.join("\n", body).strip();
      }
      case "run" -> step.runs.add(new Run(words[1], body.stream().filter(l -> !l.isBlank()).toList(), false));
      case "tunlib" -> {
        for (int i = 0; i < body.size(); i++) {
          String text = body.get(i);
          if (!text.isBlank() && !Run.isComment(text)) {
            try {
              TunlibAction.check(text);
            } catch (IllegalArgumentException e) {
              throw new LessonFormatException(source, line + 1 + i, e.getMessage());
            }
          }
        }
        step.runs.add(new Run(words[1], body.stream().filter(l -> !l.isBlank()).toList(), true));
      }
      case "show" -> body.stream().map(String::strip).filter(l -> !l.isEmpty()).forEach(step.shows::add);
      default -> {
        for (int i = 0; i < body.size(); i++) {
          String text = body.get(i).strip();
          if (!text.isEmpty()) {
            try {
              step.checks.add(Checkpoint.parse(text));
            } catch (IllegalArgumentException e) {
              throw new LessonFormatException(source, line + 1 + i, e.getMessage());
            }
          }
        }
        step.checked = true;
      }
    }
  }

  private void prose(String line) {
    if (step == null) {
      introduction.append(line).append('\n');
    } else {
      (step.checked ? step.explanation : step.text).append(line).append('\n');
    }
  }

  private void finishStep() {
    if (step != null) {
      steps.add(new Step(step.title, paragraphs(step.text), Optional.ofNullable(step.prediction), step.runs,
          step.shows, step.checks, paragraphs(step.explanation)));
    }
  }

  /** Prose without the blank lines a removed block leaves behind. */
  private static String paragraphs(StringBuilder prose) {
    return prose.toString().strip().replaceAll("\n{3,}", "\n\n");
  }

  private static final class StepBuilder {
    final String title;
    final StringBuilder text = new StringBuilder();
    final StringBuilder explanation = new StringBuilder();
    final List<Run> runs = new ArrayList<>();
    final List<String> shows = new ArrayList<>();
    final List<Checkpoint> checks = new ArrayList<>();
    String prediction;
    boolean checked;

    StepBuilder(String title) {
      this.title = title;
    }
  }
}
