package io.github.tuntaplab.lessons.lab;

import java.nio.file.Path;

/**
 * Where a lab puts its things: the prefix of its namespace names ({@code tl-}, so the default
 * topology's are {@code tl-client}, {@code tl-router}, …) and the directory of its lock and socket
 * ({@code /run/tunlab}). Tests override both (system properties {@value #PREFIX_PROPERTY} and
 * {@value #DIRECTORY_PROPERTY}) so that their labs neither meet a real one nor each other.
 */
public record LabSettings(String prefix, Path directory) {
  public static final String PREFIX_PROPERTY = "tuntaplab.lab.prefix";
  public static final String DIRECTORY_PROPERTY = "tuntaplab.lab.dir";
  public static final String DEFAULT_PREFIX = "tl-";
  public static final Path DEFAULT_DIRECTORY = Path.of("/run/tunlab");

  public LabSettings {
    if (!prefix.startsWith(DEFAULT_PREFIX) || !prefix.matches("[a-z0-9-]+")) {
      throw new IllegalArgumentException("a lab prefix starts with tl- and has lower-case letters, digits and "
          + "dashes, not '" + prefix + "'");
    }
    directory = directory.toAbsolutePath();
  }

  /** The defaults, or what the system properties say. */
  public static LabSettings fromSystemProperties() {
    return new LabSettings(System.getProperty(PREFIX_PROPERTY, DEFAULT_PREFIX),
        Path.of(System.getProperty(DIRECTORY_PROPERTY, DEFAULT_DIRECTORY.toString())));
  }

  /** The namespace that plays {@code role}: {@code tl-client}. */
  public String namespace(String role) {
    return prefix + role;
  }

  /** The lock one running lab holds; it contains the lab's pid. */
  public Path lockFile() {
    return directory.resolve("lab.lock");
  }

  /** The running lab's UNIX socket (LAB-PROTOCOL.md). */
  public Path socket() {
    return directory.resolve("lab.sock");
  }

  public boolean isDefault() {
    return prefix.equals(DEFAULT_PREFIX) && directory.equals(DEFAULT_DIRECTORY);
  }
}
