package io.github.tuntaplab.lessons.lab;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.OptionalLong;

/**
 * One lab at a time: an exclusive lock ({@code flock}) on a file that holds the running lab's pid.
 * The kernel drops the lock when that process ends however it ends, so a file left after a crash
 * is stale, never in the way: the next lab takes it over, {@code tunlab cleanup} removes it.
 */
final class LabLock implements AutoCloseable {
  private final Path file;
  private final FileChannel channel;
  private final FileLock lock;

  private LabLock(Path file, FileChannel channel, FileLock lock) {
    this.file = file;
    this.channel = channel;
    this.lock = lock;
  }

  /** Takes the lock, or says which process holds it. */
  static LabLock acquire(Path file) throws IOException {
    FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
        StandardOpenOption.WRITE);
    FileLock lock = tryLock(channel, false);
    if (lock == null) {
      channel.close();
      throw new LabConflictException("another lab is running" + holder(file).stream()
          .mapToObj(pid -> " (pid " + pid + ")").findFirst().orElse("") + ": one lab at a time; stop it with "
          + "'tunlab lab down' (lock " + file + ")");
    }
    channel.truncate(0).write(ByteBuffer.wrap((ProcessHandle.current().pid() + "\n")
        .getBytes(StandardCharsets.US_ASCII)), 0);
    channel.force(false);
    return new LabLock(file, channel, lock);
  }

  /** The pid of the lab holding {@code file}'s lock; empty when no lab holds it (absent or stale). */
  static OptionalLong holder(Path file) throws IOException {
    if (!Files.exists(file)) {
      return OptionalLong.empty();
    }
    // A shared lock needs only read access (anyone may ask) and conflicts with the lab's exclusive one.
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      FileLock probe = tryLock(channel, true);
      if (probe != null) {
        probe.release();
        return OptionalLong.empty();
      }
    } catch (NoSuchFileException e) {
      return OptionalLong.empty();
    }
    String text = Files.readString(file, StandardCharsets.US_ASCII).strip();
    try {
      return OptionalLong.of(Long.parseLong(text));
    } catch (NumberFormatException e) {
      return OptionalLong.of(-1);
    }
  }

  private static FileLock tryLock(FileChannel channel, boolean shared) throws IOException {
    try {
      return channel.tryLock(0, Long.MAX_VALUE, shared);
    } catch (OverlappingFileLockException e) {
      return null; // this very JVM holds it
    }
  }

  @Override
  public void close() throws IOException {
    try (channel) {
      Files.deleteIfExists(file);
      lock.release();
    }
  }
}
