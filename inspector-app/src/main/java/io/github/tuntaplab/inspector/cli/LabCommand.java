package io.github.tuntaplab.inspector.cli;

import io.github.tuntaplab.lessons.lab.ActionResult;
import io.github.tuntaplab.lessons.lab.LabClient;
import io.github.tuntaplab.lessons.lab.LabProcess;
import io.github.tuntaplab.lessons.lab.LabSettings;
import io.github.tuntaplab.lessons.lesson.LessonCatalog;
import io.github.tuntaplab.lessons.lesson.LessonRequest;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.file.AccessDeniedException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code tunlab lab up|down|status|capture|run}: the live lab. {@code up} is the privileged lab
 * process itself; the others talk to it through its socket and need no privilege.
 */
@Command(name = "lab", mixinStandardHelpOptions = true,
    subcommands = {LabCommand.Up.class, LabCommand.Down.class, LabCommand.Status.class, LabCommand.Capture.class,
        LabCommand.Run.class},
    description = {"The live lab: namespaces, TUN and TAP with responders, and a live pcapng stream.",
        "'sudo tunlab lab up' builds it and stays in the foreground; the rest talk to it as you."})
final class LabCommand implements Runnable {
  @Spec
  CommandSpec spec;

  @Override
  public void run() {
    throw new picocli.CommandLine.ParameterException(spec.commandLine(), "Missing required subcommand");
  }

  static LabSettings settings() {
    return LabSettings.fromSystemProperties();
  }

  /** Prints why the lab could not be reached and returns the exit code for it. */
  static int unreachable(CommandSpec spec, IOException e) {
    PrintWriter err = spec.commandLine().getErr();
    err.println("tunlab: " + (e instanceof AccessDeniedException denied ? denied.getFile() + ": " + denied.getReason()
        : e.getMessage()));
    err.flush();
    return e instanceof AccessDeniedException ? ExitCode.PREREQUISITE : ExitCode.FAILED;
  }

  @Command(name = "up", mixinStandardHelpOptions = true,
      description = {"Build the lab (as root) and keep it up until Ctrl-C, SIGTERM or 'tunlab lab down'.",
          "Prints the ip commands that would build the same; serves the socket /run/tunlab/lab.sock."})
  static final class Up implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "TOPOLOGY", defaultValue = "default",
        description = "a built-in topology (default) or a .topology file; default: ${DEFAULT-VALUE}")
    String topology;

    @Option(names = "--lesson", paramLabel = "N",
        description = "build lesson N's own lab instead (its topology block), for stepping it from the inspector")
    Integer lesson;

    @Override
    public Integer call() {
      PrintWriter out = spec.commandLine().getOut();
      PrintWriter err = spec.commandLine().getErr();
      // The socket also serves 'lesson N STEP' (LAB-PROTOCOL.md): the inspector's lesson panel steps through it.
      LabProcess process = new LabProcess(settings(), out, err, LessonRequest.extensions());
      int code = lesson == null ? process.run(topology)
          : process.run("--lesson " + lesson, () -> LessonCatalog.builtIn().lesson(lesson).topology());
      out.flush();
      err.flush();
      return code;
    }
  }

  @Command(name = "down", mixinStandardHelpOptions = true, description = "Ask the running lab to tear down, and wait.")
  static final class Down implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws InterruptedException {
      LabSettings settings = settings();
      try {
        new LabClient(settings).stop();
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (LabProcess.runningPid(settings).isPresent()) {
          if (System.nanoTime() > deadline) {
            spec.commandLine().getErr().println("tunlab: the lab has not ended after 30 s");
            return ExitCode.FAILED;
          }
          Thread.sleep(50);
        }
        spec.commandLine().getOut().println("tunlab: the lab is down");
        return ExitCode.OK;
      } catch (IOException e) {
        return unreachable(spec, e);
      }
    }
  }

  @Command(name = "status", mixinStandardHelpOptions = true,
      description = "The running lab's topology, devices, addresses, routes and counters.")
  static final class Status implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
      try {
        spec.commandLine().getOut().print(new LabClient(settings()).status());
        return ExitCode.OK;
      } catch (IOException e) {
        return unreachable(spec, e);
      }
    }
  }

  @Command(name = "capture", mixinStandardHelpOptions = true,
      description = {"Write the lab's live pcapng stream to standard output, one interface per device:",
          "  tunlab lab capture | wireshark -k -i -"})
  static final class Capture implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
      LabClient client = new LabClient(settings());
      try {
        client.connect().close();
      } catch (IOException e) {
        return unreachable(spec, e);
      }
      OutputStream stdout = new FileOutputStream(FileDescriptor.out);
      try {
        client.capture(stdout);
      } catch (IOException e) {
        // The reader (wireshark, head) went away, or the lab ended: the stream is over either way.
      }
      return ExitCode.OK;
    }
  }

  @Command(name = "run", mixinStandardHelpOptions = true, modelTransformer = Run.CommandWordsAsGiven.class,
      description = {"Run a command inside one of the lab's namespaces, e.g.",
          "  tunlab lab run client ping -c1 198.19.0.2"})
  static final class Run implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--timeout", paramLabel = "SECONDS", description = "kill it after this long (default 10)")
    Long timeoutSeconds;

    @Parameters(index = "0", paramLabel = "NAMESPACE", description = "the namespace's role: client, router, …")
    String role;

    @Parameters(index = "1..*", arity = "1..*", paramLabel = "COMMAND", description = "the command and its arguments")
    List<String> command;

    /** After NAMESPACE everything is the command's, options like {@code -c1} included. */
    static final class CommandWordsAsGiven implements picocli.CommandLine.IModelTransformer {
      @Override
      public CommandSpec transform(CommandSpec command) {
        command.parser().stopAtPositional(true);
        return command;
      }
    }

    @Override
    public Integer call() {
      try {
        ActionResult result = new LabClient(settings()).run(role,
            timeoutSeconds == null ? null : Duration.ofSeconds(timeoutSeconds), command);
        spec.commandLine().getOut().print(result.output());
        if (result.timedOut()) {
          spec.commandLine().getErr().println("tunlab: " + String.join(" ", command) + " was killed after the timeout");
        }
        return result.succeeded() ? ExitCode.OK : ExitCode.FAILED;
      } catch (IOException e) {
        return unreachable(spec, e);
      }
    }
  }
}
