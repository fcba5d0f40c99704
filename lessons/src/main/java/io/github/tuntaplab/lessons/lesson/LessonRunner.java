package io.github.tuntaplab.lessons.lesson;

import io.github.tuntaplab.lessons.lab.ActionResult;
import io.github.tuntaplab.lessons.lab.Lab;
import io.github.tuntaplab.lessons.lab.LabDevice;
import io.github.tuntaplab.lessons.lab.LabPacket;
import io.github.tuntaplab.lessons.lab.LabSettings;
import io.github.tuntaplab.lessons.lab.PacketWatch;
import io.github.tuntaplab.tunlib.capture.DecryptionSecrets;
import io.github.tuntaplab.tunlib.capture.Direction;
import io.github.tuntaplab.tunlib.capture.PcapngWriter;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Runs a lesson on a live lab: builds its topology, then for each step prints the text and the
 * prediction (and lets the {@link Pacer} wait), runs the commands in their namespaces, waits for the
 * traffic to settle, shows the observations and judges the checkpoints. The lab is taken down at
 * the end, whatever happened.
 */
public final class LessonRunner {
  /** The longest a lesson command may run. */
  static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(10);
  /** Traffic has settled when nothing was captured for this long after a step's commands... */
  private static final long QUIET_MILLIS = 150;
  /** ...or when this much time has passed (IPv6 chatter may never stop). */
  private static final long SETTLE_LIMIT_MILLIS = 1500;

  private final PrintWriter out;
  private final Pacer pacer;
  private final LabSettings settings;
  private final LessonWords words;

  /** Decides when the lesson goes on: at once ({@link #none()}), or when the student presses Enter. */
  @FunctionalInterface
  public interface Pacer {
    void await(String prompt) throws IOException;

    static Pacer none() {
      return prompt -> { };
    }
  }

  /** A runner that speaks English. */
  public LessonRunner(PrintWriter out, Pacer pacer, LabSettings settings) {
    this(out, pacer, settings, LessonWords.of(Language.ENGLISH));
  }

  /** A runner whose own words (headings, verdicts, summary) are {@code words}' language's. */
  public LessonRunner(PrintWriter out, Pacer pacer, LabSettings settings, LessonWords words) {
    this.out = out;
    this.pacer = pacer;
    this.settings = settings;
    this.words = words;
  }

  /**
   * Runs every step of {@code lesson} and returns the checkpoints' results; writes everything
   * captured, with each step's title as a packet comment, to {@code capture} when given.
   */
  public LessonResult run(Lesson lesson, Optional<Path> capture) throws IOException {
    out.println(words.format("lesson.heading", lesson.number(), words.lessonTitle(lesson)));
    out.println();
    out.println(lesson.introduction());
    out.println();
    List<CheckResult> results = new ArrayList<>();
    List<LabDevice> devices;
    try (Lab lab = Lab.up(lesson.topology(), settings)) {
      out.println(words.format("lab.built"));
      lab.commands().forEach(command -> out.println("  " + command));
      out.println(words.format("lab.commands"));
      devices = lab.devices();
      PacketWatch everything = lab.watch(packet -> true); // ends with the lab
      for (int i = 0; i < lesson.steps().size(); i++) {
        results.addAll(step(lab, i + 1, lesson.steps().get(i), everything, lesson));
      }
      if (capture.isPresent()) {
        write(capture.get(), lab.devices(), lab.decryptionSecrets(), everything.matches());
      }
    }
    LessonResult result = new LessonResult(lesson, results, devices);
    out.println();
    out.println(result.passed() ? words.format("result.passed", results.size())
        : words.format("result.failed", result.failures().size(), results.size()));
    capture.ifPresent(file -> out.println(words.format("result.capture", file, file)));
    out.flush();
    return result;
  }

  /**
   * Runs step {@code number} (from 1) of {@code lesson} on {@code lab}, which is up with the lesson's
   * topology: prints and judges it as {@link #run} does; {@code packets} are what the checkpoints
   * look at (everything captured since the lesson began).
   */
  public List<CheckResult> runStep(Lab lab, Lesson lesson, int number, PacketWatch packets) throws IOException {
    return step(lab, number, lesson.steps().get(number - 1), packets, lesson);
  }

  /**
   * The comment an English run puts on a step's first packet, {@code Lesson 3, Step 2: the first ping…}:
   * what the recorded runs in sample-captures/ carry, so a replay finds its steps by it.
   */
  public static String stepComment(Lesson lesson, int number) {
    LessonWords english = LessonWords.of(Language.ENGLISH);
    return english.format("step.comment", lesson.number(), english.stepHeading(number, lesson.steps().get(number - 1)));
  }

  private List<CheckResult> step(Lab lab, int number, Step step, PacketWatch packets, Lesson lesson)
      throws IOException {
    out.println();
    String heading = words.stepHeading(number, step);
    out.println("== " + heading + " ==");
    if (!step.text().isEmpty()) {
      out.println(step.text());
    }
    if (step.prediction().isPresent()) {
      out.println();
      out.println(words.format("predict", step.prediction().get()));
      out.flush();
      pacer.await(words.format("predict.prompt"));
    }
    lab.step(words.format("step.comment", lesson.number(), heading));
    Optional<ActionResult> last = Optional.empty();
    for (Run run : step.runs()) {
      for (String line : run.lines()) {
        if (Run.isComment(line)) {
          out.println("  " + line.strip());
        } else {
          last = Optional.of(act(lab, new StepAction(run.role(), line, run.tunlib())));
        }
      }
    }
    if (!step.runs().isEmpty()) {
      settle(lab);
    }
    Evidence evidence = new Evidence(lab, packets.matches(), last);
    for (String show : step.shows()) {
      out.println();
      Observation.render(show, evidence, lesson, words).forEach(out::println);
    }
    List<CheckResult> results = judge(number, step, evidence);
    if (!step.explanation().isEmpty()) {
      out.println();
      out.println(step.explanation());
    }
    out.flush();
    return results;
  }

  /**
   * Runs action {@code index} (from 1, {@link Step#actions()}) of step {@code number} alone, as the
   * lesson panel's buttons do one by one, then judges the step's checkpoints on {@code packets} with
   * this action's result as the step's command. The first action marks the step's first packet, as
   * a whole step does.
   */
  public ActionReport runAction(Lab lab, Lesson lesson, int number, int index, PacketWatch packets)
      throws IOException {
    Step step = lesson.steps().get(number - 1);
    StepAction action = step.actions().get(index - 1);
    if (index == 1) {
      lab.step(words.format("step.comment", lesson.number(), words.stepHeading(number, step)));
    }
    ActionResult result = act(lab, action);
    settle(lab);
    List<CheckResult> results = judge(number, step, new Evidence(lab, packets.matches(), Optional.of(result)));
    out.flush();
    List<String> output = new ArrayList<>();
    if (action.tunlib()) {
      output.add("= " + result.command().get(0));
    }
    output.addAll(result.output().lines().toList());
    return new ActionReport(result.exitCode(), result.timedOut(), new StepReport(output, results));
  }

  /** Runs one action in its namespace and prints it, its output and, when it failed, how. */
  private ActionResult act(Lab lab, StepAction action) throws IOException {
    String namespace = lab.namespace(action.role()).name();
    ActionResult result;
    if (action.tunlib()) {
      out.println(words.format("tunlib.in", namespace, action.line()));
      result = TunlibAction.apply(lab, action.role(), action.line());
      out.println("  = " + result.command().get(0));
    } else {
      out.println("[" + namespace + "]$ " + action.line());
      out.flush();
      result = lab.run(action.role(), COMMAND_TIMEOUT, "bash", "-c", action.line());
    }
    result.output().lines().forEach(output -> out.println("    " + output));
    if (!result.succeeded()) {
      out.println("    " + (result.timedOut() ? words.format("command.killed", COMMAND_TIMEOUT.toSeconds())
          : words.format("command.exit", result.exitCode())));
    }
    return result;
  }

  /** Judges and prints the step's checkpoints on {@code evidence}. */
  private List<CheckResult> judge(int number, Step step, Evidence evidence) throws IOException {
    List<CheckResult> results = new ArrayList<>();
    if (!step.checks().isEmpty()) {
      out.println();
      out.println(words.format("checkpoints"));
    }
    for (Checkpoint checkpoint : step.checks()) {
      Verdict verdict;
      try {
        verdict = checkpoint.check(evidence);
      } catch (IllegalArgumentException e) {
        verdict = Verdict.cannotJudge(e);
      }
      CheckResult result = new CheckResult(number, checkpoint, verdict);
      results.add(result);
      out.println("  " + result.line(words));
    }
    return results;
  }

  /** Waits until the capture has been quiet for a moment, so that checkpoints see the whole exchange. */
  private static void settle(Lab lab) {
    long deadline = System.currentTimeMillis() + SETTLE_LIMIT_MILLIS;
    long count = lab.packetCount();
    long quietSince = System.currentTimeMillis();
    while (System.currentTimeMillis() < deadline && System.currentTimeMillis() - quietSince < QUIET_MILLIS) {
      try {
        Thread.sleep(25);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
      long now = lab.packetCount();
      if (now != count) {
        count = now;
        quietSince = System.currentTimeMillis();
      }
    }
  }

  /** The step's comment, and the packet-information header a capture file cannot hold otherwise. */
  private static String comment(LabPacket packet) {
    String header = packet.packetInformation().map(pi -> String.format(
        "the program %s it with the packet-information header %02x %02x %02x %02x",
        packet.direction() == Direction.OUTBOUND ? "read" : "wrote", pi.flags() >> 8, pi.flags() & 0xff,
        pi.protocol() >> 8, pi.protocol() & 0xff)).orElse(null);
    if (packet.comment() == null || header == null) {
      return packet.comment() == null ? header : packet.comment();
    }
    return packet.comment() + "\n" + header;
  }

  /**
   * The packets the checkpoints saw, one pcapng interface per device, each step's title a comment,
   * with the lab's secrets (its tunnel key) so that the file can be decrypted later.
   */
  private static void write(Path file, List<LabDevice> devices, List<DecryptionSecrets> secrets,
      List<LabPacket> packets) throws IOException {
    try (PcapngWriter writer = PcapngWriter.create(file)) {
      for (LabDevice device : devices) {
        writer.addInterface(device.linkType(), device.link(), device.description(), 0);
      }
      for (DecryptionSecrets block : secrets) {
        writer.writeDecryptionSecrets(block);
      }
      for (LabPacket packet : packets) {
        byte[] data = packet.data();
        writer.write(packet.device().interfaceId(), packet.timestamp(), data, 0, data.length,
            packet.originalLength(), comment(packet), packet.direction());
      }
    }
  }
}
