package io.github.tuntaplab.tunlib.device;

import java.nio.charset.StandardCharsets;

/** The kernel's rules for interface names, checked before any system call. */
final class DeviceName {
  /** IFNAMSIZ is 16 including the terminating NUL. */
  static final int MAX_BYTES = 15;

  private DeviceName() {}

  /** Returns {@code name} if the kernel would accept it as a name or a {@code %d} template. */
  static String check(String name) {
    if (name == null || name.isEmpty()) {
      throw new IllegalArgumentException("a device needs a name, such as tl-tun0 or the template tl-tun%d");
    }
    int bytes = name.getBytes(StandardCharsets.UTF_8).length;
    if (bytes > MAX_BYTES) {
      throw new IllegalArgumentException("device name \"" + name + "\" is " + bytes
          + " bytes long; Linux allows at most 15 (IFNAMSIZ is 16 with the terminating NUL): choose a shorter name");
    }
    if (name.equals(".") || name.equals("..")) {
      throw new IllegalArgumentException("\"" + name + "\" cannot name a device");
    }
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (c == '/' || c == ':' || Character.isWhitespace(c)) {
        throw new IllegalArgumentException("device name \"" + name + "\" contains '" + c
            + "': Linux does not allow '/', ':' or white space in interface names");
      }
    }
    int percent = name.indexOf('%');
    if (percent >= 0 && (!name.startsWith("%d", percent) || name.indexOf('%', percent + 1) >= 0)) {
      throw new IllegalArgumentException("device name \"" + name
          + "\": a template may contain one %d, where the kernel puts the first free number");
    }
    return name;
  }

  static boolean isTemplate(String name) {
    return name.contains("%d");
  }
}
