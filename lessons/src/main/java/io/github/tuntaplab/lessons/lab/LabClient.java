package io.github.tuntaplab.lessons.lab;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Talks to the running lab through its socket (LAB-PROTOCOL.md), as any unprivileged program may:
 * {@code tunlab lab status|capture|down|run}, the inspector, a lesson runner.
 */
public final class LabClient {
  /** How the message of the IOException for a lab's {@code error} answer starts; the lab's reason follows. */
  public static final String REFUSED = "the lab refused: ";
  /**
   * How long a capture request's answer may take: a lab answers it at once (the stream follows). What
   * stays silent longer at the socket is no lab, or a lab that hangs.
   */
  public static final Duration CAPTURE_ANSWER = Duration.ofSeconds(5);
  /**
   * The longest answer to a capture request a lab sends ({@code ok}, or {@code error} and a short
   * reason): a longer one is no lab's.
   */
  private static final int MAX_CAPTURE_ANSWER = 256;
  /** The longest status line of any other request (a lab's reason for an error may be long), to bound memory. */
  private static final int MAX_STATUS_LINE = 64 * 1024;
  /** The characters of a peer's answer a message quotes at most. */
  private static final int QUOTED = 80;

  private final Path socket;

  public LabClient(Path socket) {
    this.socket = socket;
  }

  public LabClient(LabSettings settings) {
    this(settings.socket());
  }

  /** The lab's status text ({@code tunlab lab status}). */
  public String status() throws IOException {
    return request("status").readAllText();
  }

  /** Every link's counters, namespace by namespace ({@code stats}). */
  public List<LinkCounters> stats() throws IOException {
    return request("stats").readAllText().lines().filter(line -> !line.isEmpty()).map(LinkCounters::parse).toList();
  }

  /**
   * Sends a request of any name, such as an extension's ({@code lesson}), and returns the body after
   * {@code ok}; a field holds no tab or newline.
   */
  public String ask(String... fields) throws IOException {
    for (String field : fields) {
      if (field.contains("\t") || field.contains("\n")) {
        throw new IllegalArgumentException("a request field holds no tab or newline: " + field);
      }
    }
    return request(fields).readAllText();
  }

  /** Asks the lab to tear down and end. */
  public void stop() throws IOException {
    request("stop").readAllText();
  }

  /** Puts a step comment on the next packet the lab captures. */
  public void step(String comment) throws IOException {
    if (comment.contains("\t") || comment.contains("\n")) {
      throw new IllegalArgumentException("a step comment is one line without tabs");
    }
    request("step", comment).readAllText();
  }

  /** Runs {@code command} in the namespace playing {@code role}; null timeout for the lab's default. */
  public ActionResult run(String role, Duration timeout, List<String> command) throws IOException {
    List<String> fields = new ArrayList<>(List.of("run", role, timeout == null ? "" : Long.toString(timeout.toSeconds())));
    for (String word : command) {
      if (word.contains("\t") || word.contains("\n")) {
        throw new IllegalArgumentException("a command word holds no tab or newline: " + word);
      }
      fields.add(word);
    }
    String reply = request(fields.toArray(String[]::new)).readAllText();
    int newline = reply.indexOf('\n');
    String first = newline < 0 ? reply : reply.substring(0, newline);
    String output = newline < 0 ? "" : reply.substring(newline + 1);
    List<String> twin = new ArrayList<>(List.of("ip", "netns", "exec", role));
    twin.addAll(command);
    boolean timedOut = first.equals("timeout");
    return new ActionResult(twin, timedOut ? -1 : Integer.parseInt(first.substring("exit ".length())), timedOut,
        output);
  }

  /** The routes (every table) and addresses of the namespace playing {@code role}. */
  public LabRoutes routes(String role) throws IOException {
    return LabRoutes.parse(request("routes", role).readAllText());
  }

  /**
   * Has the lab write {@code packet} into the TUN or TAP {@code link} of the namespace playing
   * {@code role}, as the program behind the device would (an IP packet for a TUN, a frame for a
   * TAP): the kernel receives it, and the capture shows it inbound.
   */
  public void inject(String role, String link, byte[] packet) throws IOException {
    request("inject", role, link, java.util.HexFormat.of().formatHex(packet)).readAllText();
  }

  /** Copies the live pcapng stream to {@code out} until the lab ends or {@code out} refuses more. */
  public void capture(OutputStream out) throws IOException {
    try (InputStream in = request("capture").stream) {
      byte[] buffer = new byte[64 * 1024];
      for (int n; (n = in.read(buffer)) >= 0; ) {
        out.write(buffer, 0, n);
        out.flush();
      }
    }
  }

  /** The live pcapng stream as an input stream (the inspector reads it with CaptureReader). */
  public InputStream captureStream() throws IOException {
    return request(CAPTURE_ANSWER, "capture").stream;
  }

  private Response request(String... fields) throws IOException {
    return request(null, fields);
  }

  /**
   * Sends a request and reads the status line, within {@code answerWithin} when not null (a request
   * whose answer waits for the work, as {@code run} does, has no such bound).
   */
  private Response request(Duration answerWithin, String... fields) throws IOException {
    SocketChannel channel = connect();
    try {
      channel.write(ByteBuffer.wrap((String.join("\t", fields) + "\n").getBytes(StandardCharsets.UTF_8)));
      InputStream in = Channels.newInputStream(channel);
      String status = answerWithin == null ? readLine(in) : readLine(channel, answerWithin);
      if (status.startsWith("error ")) {
        // A lab's own reason, whole: it says how to fix what was asked (escaped all the same).
        throw new IOException(REFUSED + escaped(status.substring("error ".length()), Long.MAX_VALUE));
      }
      if (!status.equals("ok")) {
        throw new NotALabException("the lab answered '" + quoted(status) + "', not ok");
      }
      return new Response(in);
    } catch (ClosedByInterruptException e) {
      // Interrupted in a write or read rather than between them: the same interrupt, said the same way.
      channel.close();
      InterruptedIOException interrupted = new InterruptedIOException("interrupted while talking to the lab");
      interrupted.initCause(e);
      throw interrupted;
    } catch (IOException | RuntimeException e) {
      channel.close();
      throw e;
    }
  }

  /** Connects, or explains why not: no lab running, or a socket that is not ours. */
  public SocketChannel connect() throws IOException {
    if (!Files.exists(socket)) {
      throw noSocket();
    }
    SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX);
    try {
      channel.connect(UnixDomainSocketAddress.of(socket));
      return channel;
    } catch (IOException e) {
      channel.close();
      throw why(e);
    } catch (RuntimeException e) {
      channel.close();
      throw e;
    }
  }

  private LabNotRunningException noSocket() {
    return new LabNotRunningException("no lab is running (no socket " + socket + "); start one with "
        + "'sudo " + Privileges.tunlabCommand() + " lab up'");
  }

  /**
   * Why connecting failed, told by the failure's type and the socket file, not by the system's words
   * (they follow the locale): refused (ECONNREFUSED) is a crashed lab's leftover file; a file gone
   * meanwhile is no lab; one this user may not write to is another user's lab (EACCES).
   */
  private IOException why(IOException failure) {
    if (failure instanceof ConnectException) {
      return new LabNotRunningException("no lab answers on " + socket + " (a crashed lab's leftover? run "
          + "'sudo " + Privileges.tunlabCommand() + " cleanup')");
    }
    if (!Files.exists(socket, LinkOption.NOFOLLOW_LINKS)) {
      return noSocket();
    }
    if (!Files.isWritable(socket)) {
      return new AccessDeniedException(socket.toString(), null, "the lab's socket belongs to another user (it is "
          + "mode 0600, owned by whoever ran sudo tunlab lab up)");
    }
    return failure;
  }

  private static String readLine(InputStream in) throws IOException {
    StatusLine line = new StatusLine(MAX_STATUS_LINE);
    while (!line.take(in.read())) {
      // a byte at a time: what follows the line is the caller's
    }
    return line.text();
  }

  /**
   * The status line, read a byte at a time (what follows it is the caller's) within {@code within};
   * the channel is left blocking again. An interrupt (the window closing) ends the wait. At most
   * {@link #MAX_CAPTURE_ANSWER} bytes.
   */
  private static String readLine(SocketChannel channel, Duration within) throws IOException {
    StatusLine line = new StatusLine(MAX_CAPTURE_ANSWER);
    ByteBuffer next = ByteBuffer.allocate(1);
    long deadline = System.nanoTime() + within.toNanos();
    channel.configureBlocking(false);
    try (Selector selector = Selector.open()) {
      channel.register(selector, SelectionKey.OP_READ);
      while (true) {
        if (Thread.interrupted()) {
          Thread.currentThread().interrupt(); // for the caller's executor too
          throw new InterruptedIOException("interrupted while waiting for the lab's answer");
        }
        next.clear();
        int read = channel.read(next);
        if (read == 0) {
          long left = deadline - System.nanoTime();
          if (left <= 0) {
            throw new NoAnswerException("no answer within " + within.toSeconds() + " s");
          }
          selector.select(Math.max(1, left / 1_000_000)); // returns at once when interrupted
          selector.selectedKeys().clear();
        } else if (line.take(read < 0 ? -1 : next.get(0) & 0xff)) {
          break;
        }
      }
    }
    // Closing the selector deregistered the channel.
    channel.configureBlocking(true);
    return line.text();
  }

  /**
   * {@code text} as a message may quote it: its first {@value #QUOTED} characters, control and format
   * characters escaped (a peer's bytes must not break the line or turn its direction).
   */
  static String quoted(String text) {
    return escaped(text, QUOTED);
  }

  /** The first {@code limit} characters of {@code text}, control and format characters escaped, and … if cut. */
  private static String escaped(String text, long limit) {
    StringBuilder quoted = new StringBuilder();
    text.codePoints().limit(limit).forEach(c -> {
      if (Character.isISOControl(c) || Character.getType(c) == Character.FORMAT) {
        quoted.append(String.format("\\u%04x", c));
      } else {
        quoted.appendCodePoint(c);
      }
    });
    return text.codePointCount(0, text.length()) > limit ? quoted.append('…').toString() : quoted.toString();
  }

  /** A status line as it arrives, a byte at a time, up to a length no lab's exceeds. */
  private static final class StatusLine {
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final int limit;

    StatusLine(int limit) {
      this.limit = limit;
    }

    /** Takes the next byte ({@code -1} at the stream's end); true once the line is complete. */
    boolean take(int b) throws IOException {
      if (b < 0) {
        throw new NoAnswerException("the lab closed the connection without an answer");
      }
      if (b == '\n') {
        return true;
      }
      if (bytes.size() == limit) {
        throw new NotALabException("the answer's first line is longer than " + limit + " bytes, as no lab's is: '"
            + quoted(text()) + "'");
      }
      bytes.write(b);
      return false;
    }

    String text() {
      return bytes.toString(StandardCharsets.UTF_8);
    }
  }

  private record Response(InputStream stream) {
    String readAllText() throws IOException {
      try (stream) {
        return new String(stream.readAllBytes(), StandardCharsets.UTF_8);
      }
    }
  }

  /** Something answers at the socket, but not as a lab does (or not at all). */
  public static final class NotALabException extends IOException {
    private static final long serialVersionUID = 1L;

    NotALabException(String message) {
      super(message);
    }
  }

  /**
   * Something at the socket took the request but gave no answer: it stayed silent, or closed the
   * connection. A lab that hangs or is ending, or another program.
   */
  public static final class NoAnswerException extends IOException {
    private static final long serialVersionUID = 1L;

    public NoAnswerException(String message) {
      super(message);
    }
  }

  /** No lab runs where this client looks. */
  public static final class LabNotRunningException extends IOException {
    private static final long serialVersionUID = 1L;

    LabNotRunningException(String message) {
      super(message);
    }
  }
}
