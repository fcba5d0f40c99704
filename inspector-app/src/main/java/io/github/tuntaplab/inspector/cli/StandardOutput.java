package io.github.tuntaplab.inspector.cli;

import java.io.BufferedWriter;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;

/**
 * The process's standard output as picocli's UTF-8 writer, whose bytes a command may also write
 * directly ({@link #bytes(PrintWriter)}): {@code tunlab print} writes millions of lines without
 * encoding each one. Tests hand commands a plain writer instead; the same bytes then reach it decoded.
 */
final class StandardOutput extends PrintWriter {
  private final OutputStream stream;

  private StandardOutput(OutputStream stream) {
    super(new BufferedWriter(new OutputStreamWriter(stream, StandardCharsets.UTF_8), 1 << 16));
    this.stream = stream;
  }

  static StandardOutput open() {
    return new StandardOutput(new FileOutputStream(FileDescriptor.out));
  }

  /**
   * A byte stream to {@code out}: the standard output itself (after what was written as text), or
   * for another writer, UTF-8 decoded into it. Each write must hold whole characters.
   */
  static OutputStream bytes(PrintWriter out) {
    if (out instanceof StandardOutput standard) {
      standard.flush();
      return standard.stream;
    }
    return new OutputStream() {
      @Override
      public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
      }

      @Override
      public void write(byte[] bytes, int offset, int length) throws IOException {
        Writer writer = out;
        writer.write(new String(bytes, offset, length, StandardCharsets.UTF_8));
        if (out.checkError()) {
          throw new IOException("the output failed");
        }
      }

      @Override
      public void flush() {
        out.flush();
      }
    };
  }
}
