package io.github.tuntaplab.inspector.ui;

import io.github.tuntaplab.tunlib.capture.PcapngWriter;
import io.github.tuntaplab.tunlib.packet.LinkType;
import java.io.EOFException;
import java.io.IOException;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.function.Function;

/**
 * The lab's side of its socket as a test plays it (LAB-PROTOCOL.md): each wait has a deadline, and a
 * window that goes away is a failure, not a wait for ever.
 */
final class StandInLab {
  private StandInLab() {}

  /**
   * Answers every request on {@code server}, on a daemon thread of its own until the server is
   * closed: the lab's whole answer (status line and body, e.g. {@code "ok\n…"}) is what {@code answer}
   * makes of the request's line (its fields joined by tabs, without the newline).
   */
  static void serve(ServerSocketChannel server, Function<String, String> answer) {
    Thread serving = new Thread(() -> {
      while (server.isOpen()) {
        try (SocketChannel client = server.accept()) {
          client.configureBlocking(true);
          String request = request(client, Duration.ofSeconds(5));
          client.write(ByteBuffer.wrap(answer.apply(request.strip()).getBytes(StandardCharsets.UTF_8)));
        } catch (ClosedChannelException closed) {
          return;
        } catch (IOException e) {
          // That window's request is lost (it fails on its side); the next one is served.
        }
      }
    }, "stand-in lab");
    serving.setDaemon(true);
    serving.start();
  }

  /** The window's connection, within {@code within}. */
  static SocketChannel accept(ServerSocketChannel server, Duration within) throws IOException {
    awaitReady(server, SelectionKey.OP_ACCEPT, within, "the window's connection");
    SocketChannel client = server.accept();
    server.configureBlocking(true);
    client.configureBlocking(true);
    return client;
  }

  /**
   * Answers the window's capture request on {@code client} as a lab does: {@code ok}, then a pcapng
   * stream with one device; the stream to write packets into.
   */
  static PcapngWriter capture(SocketChannel client, Duration within, LinkType linkType, String device,
      String description) throws IOException {
    String request = request(client, within);
    if (!request.equals("capture\n")) {
      throw new AssertionError("not the capture request: " + request);
    }
    client.write(ByteBuffer.wrap("ok\n".getBytes(StandardCharsets.UTF_8)));
    PcapngWriter stream = PcapngWriter.to(client, false);
    stream.addInterface(linkType, device, description, 0);
    stream.flush();
    return stream;
  }

  /** The request line the window sends, newline included, within {@code within}. */
  static String request(SocketChannel client, Duration within) throws IOException {
    ByteBuffer request = ByteBuffer.allocate(256);
    long deadline = System.nanoTime() + within.toNanos();
    while (request.position() == 0 || request.get(request.position() - 1) != '\n') {
      awaitReady(client, SelectionKey.OP_READ, Duration.ofNanos(Math.max(0, deadline - System.nanoTime())),
          "the window's request");
      if (client.read(request) < 0) {
        throw new EOFException("the window closed the connection before its request's end");
      }
    }
    client.configureBlocking(true);
    return new String(request.array(), 0, request.position(), StandardCharsets.UTF_8);
  }

  /**
   * Waits until the window closes its end of the connection: the stand-in reads its end of stream, or
   * a reset (the window closed with bytes of the stand-in's unread).
   */
  static void awaitClosed(SocketChannel client, Duration within) throws IOException {
    ByteBuffer rest = ByteBuffer.allocate(4096);
    long deadline = System.nanoTime() + within.toNanos();
    try {
      do {
        awaitReady(client, SelectionKey.OP_READ, Duration.ofNanos(Math.max(0, deadline - System.nanoTime())),
            "the window to close the connection");
        rest.clear();
      } while (client.read(rest) >= 0);
    } catch (SocketException reset) {
      // closed too
    }
  }

  /** Leaves {@code channel} non-blocking and ready for {@code operation}, or fails after {@code within}. */
  private static void awaitReady(SelectableChannel channel, int operation, Duration within, String what)
      throws IOException {
    channel.configureBlocking(false);
    try (Selector selector = Selector.open()) {
      channel.register(selector, operation);
      if (selector.select(Math.max(1, within.toMillis())) == 0) {
        throw new AssertionError("not within " + within.toSeconds() + " s: " + what);
      }
    }
  }
}
