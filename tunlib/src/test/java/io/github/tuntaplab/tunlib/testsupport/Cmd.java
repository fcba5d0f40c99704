package io.github.tuntaplab.tunlib.testsupport;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs a command as a test oracle or helper; tunlib itself never spawns a process. */
public final class Cmd {
  private Cmd() {}

  /** The outcome of a finished command. */
  public record Result(List<String> command, int exitCode, String stdout, String stderr) {
    public Result orThrow() {
      if (exitCode != 0) {
        throw new AssertionError(String.join(" ", command) + " exited " + exitCode + ": " + stderr.strip());
      }
      return this;
    }
  }

  public static Result run(String... command) {
    return run(60, command);
  }

  /** Runs {@code command} and fails the test on a non-zero exit. */
  public static String ok(String... command) {
    return run(command).orThrow().stdout();
  }

  public static Result run(long timeoutSeconds, String... command) {
    List<String> argv = List.of(command);
    ProcessBuilder builder = new ProcessBuilder(argv);
    builder.environment().put("TZ", "UTC");
    try {
      Process process = builder.start();
      process.getOutputStream().close();
      Drain out = new Drain(process.getInputStream());
      Drain err = new Drain(process.getErrorStream());
      out.start();
      err.start();
      if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        process.waitFor();
        throw new AssertionError(String.join(" ", argv) + " did not finish within " + timeoutSeconds + " s");
      }
      out.join();
      err.join();
      return new Result(argv, process.exitValue(), out.text(), err.text());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + argv, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted while running " + argv, e);
    }
  }

  /** Starts a long-running command (a tcpdump, a socat peer); the caller stops it. */
  public static Process start(String... command) {
    try {
      return new ProcessBuilder(command).redirectErrorStream(false).start();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + Arrays.toString(command), e);
    }
  }

  public static String[] concat(List<String> head, String... tail) {
    List<String> all = new ArrayList<>(head);
    all.addAll(List.of(tail));
    return all.toArray(String[]::new);
  }

  private static final class Drain extends Thread {
    private final InputStream in;
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

    Drain(InputStream in) {
      this.in = in;
      setDaemon(true);
    }

    @Override
    public void run() {
      try (in) {
        in.transferTo(bytes);
      } catch (IOException e) {
        // The process went away; keep what was read.
      }
    }

    String text() {
      return bytes.toString(StandardCharsets.UTF_8);
    }
  }
}
