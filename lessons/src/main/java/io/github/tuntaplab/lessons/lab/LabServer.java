package io.github.tuntaplab.lessons.lab;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.stream.Collectors;

/**
 * The running lab's UNIX socket (LAB-PROTOCOL.md): one request a connection, answered on a thread
 * of its own. The socket file belongs to the user who ran sudo and only they (and root) may
 * connect: mode 0600.
 */
final class LabServer implements AutoCloseable {
  static final int MAX_REQUEST = 64 * 1024;
  static final Duration DEFAULT_RUN_TIMEOUT = Duration.ofSeconds(10);

  private final Lab lab;
  private final Path path;
  private final ServerSocketChannel server;
  private final Runnable stop;
  private final Thread acceptor;
  /** Requests added by whoever started the lab (the lesson engine's), by name. */
  private final Map<String, LabRequest> extensions;

  private LabServer(Lab lab, Path path, ServerSocketChannel server, Runnable stop, Map<String, LabRequest> extensions) {
    this.lab = lab;
    this.extensions = Map.copyOf(extensions);
    this.path = path;
    this.server = server;
    this.stop = stop;
    this.acceptor = new Thread(this::accept, "lab socket");
    acceptor.setDaemon(true);
  }

  /**
   * Listens on {@code path} (a stale file there is replaced: the lock says no lab runs), owned by
   * {@code ownerUid}/{@code ownerGid} when given. {@code stop} is called when a client asks the lab to stop.
   */
  static LabServer start(Lab lab, Path path, OptionalInt ownerUid, OptionalInt ownerGid, Runnable stop,
      Map<String, LabRequest> extensions) throws IOException {
    Files.deleteIfExists(path);
    ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
    try {
      server.bind(UnixDomainSocketAddress.of(path));
      Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rw-------"));
      if (ownerUid.isPresent()) {
        Files.setAttribute(path, "unix:uid", ownerUid.getAsInt());
      }
      if (ownerGid.isPresent()) {
        Files.setAttribute(path, "unix:gid", ownerGid.getAsInt());
      }
    } catch (IOException | RuntimeException e) {
      server.close();
      Files.deleteIfExists(path);
      throw e;
    }
    LabServer running = new LabServer(lab, path, server, stop, extensions);
    running.acceptor.start();
    return running;
  }

  private void accept() {
    while (server.isOpen()) {
      try {
        SocketChannel client = server.accept();
        Thread handler = new Thread(() -> serve(client), "lab client");
        handler.setDaemon(true);
        handler.start();
      } catch (IOException e) {
        return; // closed
      }
    }
  }

  private void serve(SocketChannel client) {
    try (client) {
      List<String> request;
      try {
        request = readRequest(client);
      } catch (IOException e) {
        reply(client, "error " + e.getMessage() + "\n");
        return;
      }
      try {
        handle(request, client);
      } catch (IOException | RuntimeException e) {
        reply(client, "error " + e.getMessage() + "\n");
      }
    } catch (IOException e) {
      // The client went away.
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void handle(List<String> request, SocketChannel client) throws IOException, InterruptedException {
    switch (request.get(0)) {
      case "status" -> reply(client, "ok\n" + LabStatus.describe(lab));
      case "stats" -> reply(client, "ok\n" + LabStatus.counters(lab).stream().map(c -> c.line() + "\n")
          .collect(Collectors.joining()));
      case "capture" -> {
        reply(client, "ok\n");
        lab.streamPcapng(client);
      }
      case "step" -> {
        if (request.size() != 2) {
          throw new IllegalArgumentException("usage: step<TAB>TEXT");
        }
        lab.step(request.get(1));
        reply(client, "ok\n");
      }
      case "run" -> {
        if (request.size() < 4) {
          throw new IllegalArgumentException("usage: run<TAB>NAMESPACE<TAB>TIMEOUT-SECONDS<TAB>COMMAND<TAB>ARG...");
        }
        Duration timeout = request.get(2).isEmpty() ? DEFAULT_RUN_TIMEOUT
            : Duration.ofSeconds(Long.parseLong(request.get(2)));
        ActionResult result = lab.run(request.get(1), timeout, request.subList(3, request.size()));
        reply(client, "ok\n" + (result.timedOut() ? "timeout" : "exit " + result.exitCode()) + "\n"
            + result.output());
      }
      case "stop" -> {
        reply(client, "ok\n");
        stop.run();
      }
      case "routes" -> {
        if (request.size() != 2) {
          throw new IllegalArgumentException("usage: routes<TAB>NAMESPACE");
        }
        reply(client, "ok\n" + LabRoutes.of(lab, request.get(1)).text());
      }
      case "inject" -> {
        if (request.size() != 4) {
          throw new IllegalArgumentException("usage: inject<TAB>NAMESPACE<TAB>LINK<TAB>HEX");
        }
        byte[] packet;
        try {
          packet = java.util.HexFormat.of().parseHex(request.get(3));
        } catch (IllegalArgumentException e) {
          throw new IllegalArgumentException("inject takes the packet as hex digits, two per byte");
        }
        lab.inject(request.get(1), request.get(2), packet);
        reply(client, "ok\n");
      }
      default -> {
        LabRequest extension = extensions.get(request.get(0));
        if (extension == null) {
          throw new IllegalArgumentException("unknown request '" + request.get(0) + "' (status, stats, capture, step, "
              + "run, stop, routes, inject" + extensions.keySet().stream().sorted().map(name -> ", " + name).collect(Collectors.joining())
              + ")");
        }
        reply(client, "ok\n" + extension.answer(lab, request));
      }
    }
  }

  /** One line, fields separated by tabs; read byte by byte so nothing after the newline is taken. */
  private static List<String> readRequest(SocketChannel client) throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    ByteBuffer one = ByteBuffer.allocate(1);
    while (true) {
      one.clear();
      if (client.read(one) < 0) {
        throw new IOException("the request ended without a newline");
      }
      byte b = one.get(0);
      if (b == '\n') {
        break;
      }
      if (line.size() >= MAX_REQUEST) {
        throw new IOException("a request is at most " + MAX_REQUEST + " bytes");
      }
      line.write(b);
    }
    String text = line.toString(StandardCharsets.UTF_8);
    if (text.isEmpty()) {
      throw new IOException("an empty request (status, stats, capture, step, run, stop, routes, inject)");
    }
    return Arrays.asList(text.split("\t", -1));
  }

  private static void reply(SocketChannel client, String text) throws IOException {
    ByteBuffer bytes = ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
    while (bytes.hasRemaining()) {
      client.write(bytes);
    }
  }

  public Path path() {
    return path;
  }

  @Override
  public void close() throws IOException {
    try {
      server.close();
    } finally {
      Files.deleteIfExists(path);
    }
  }
}
