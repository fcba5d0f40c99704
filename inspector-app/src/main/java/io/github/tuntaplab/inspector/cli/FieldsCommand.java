package io.github.tuntaplab.inspector.cli;

import io.github.tuntaplab.tunlib.capture.CaptureReader;
import io.github.tuntaplab.tunlib.capture.CapturedPacket;
import io.github.tuntaplab.tunlib.capture.DecryptionSecrets;
import io.github.tuntaplab.tunlib.packet.Dissector;
import io.github.tuntaplab.tunlib.text.FieldsJson;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.channels.Channels;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code tunlab fields FILE}: every packet's dissection as one line of JSON, with the byte range of
 * every layer and field. Streams: a file of millions of packets never sits in memory.
 */
@Command(name = "fields", mixinStandardHelpOptions = true,
    description = {"Print every packet's dissection as JSON Lines, with byte ranges.",
        "One packet a line; each layer and field has its offset and length in the frame.",
        "AEAD tunnel keys in the file's Decryption Secrets Blocks decrypt the tunlab_aead ports' packets."})
final class FieldsCommand implements Callable<Integer> {
  /** How often to ask whether the reader of our output has gone away ({@code | head}). */
  private static final int CHECK_OUTPUT_EVERY = 1024;

  @Spec
  CommandSpec spec;

  @Parameters(paramLabel = "FILE", description = "a pcap or pcapng file, or - for standard input (a live stream)")
  String file;

  @Mixin
  DecodeAsOption decodeAs;

  @Override
  public Integer call() {
    Dissector dissector = decodeAs.dissector();
    PrintWriter out = spec.commandLine().getOut();
    try (CaptureReader reader = open()) {
      StringBuilder line = new StringBuilder(4096);
      long frame = 0;
      int secretsSeen = 0;
      for (CapturedPacket packet; (packet = reader.next()) != null; ) {
        frame++;
        List<DecryptionSecrets> secrets = reader.decryptionSecrets();
        if (secrets.size() != secretsSeen) {
          secretsSeen = secrets.size();
          dissector = DecodeAsOption.withKeysFrom(secrets, decodeAs.dissector());
        }
        byte[] data = packet.data();
        line.setLength(0);
        FieldsJson.appendLine(line, frame, packet.linkType(), packet.interfaceName(),
            dissector.dissect(packet.linkType(), data, 0, data.length, packet.originalLength()));
        out.append(line);
        if (frame % CHECK_OUTPUT_EVERY == 0 && out.checkError()) {
          return ExitCode.FAILED;
        }
      }
      out.flush();
      return ExitCode.OK;
    } catch (IOException e) {
      out.flush();
      spec.commandLine().getErr().println("tunlab: " + file + ": " + describe(e));
      return ExitCode.FAILED;
    }
  }

  private CaptureReader open() throws IOException {
    return file.equals("-") ? CaptureReader.open(Channels.newChannel(System.in)) : CaptureReader.open(Path.of(file));
  }

  /** The message a user can act on, without the exception's class name. */
  private static String describe(IOException e) {
    if (e instanceof NoSuchFileException) {
      return "no such file";
    }
    if (e instanceof AccessDeniedException) {
      return "permission denied";
    }
    return e.getMessage() == null ? e.toString() : e.getMessage();
  }
}
