package io.github.tuntaplab.lessons.lesson;

import io.github.tuntaplab.lessons.lab.ActionResult;
import io.github.tuntaplab.lessons.lab.Lab;
import io.github.tuntaplab.lessons.lab.Privileges;
import io.github.tuntaplab.tunlib.device.DeviceOptions;
import io.github.tuntaplab.tunlib.device.TunTapDevice;
import java.io.File;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.Timer;
import java.util.TimerTask;
import java.util.stream.Stream;

/**
 * The student's own program: opens a TUN or TAP through tunlib, as an unprivileged user, in a JVM of
 * its own. A lesson's {@code tunlib ROLE} line {@code open tun|tap LINK as UID [read SECONDS]} runs it
 * as user and group {@code UID}, with no capabilities ({@code setpriv --reuid=UID --regid=UID
 * --clear-groups}), so what it meets is what the kernel and tunlib tell such a user: the device opens,
 * or tunlib's message says why not and how to fix it.
 *
 * <p>{@code main(tun|tap, NAME [, SECONDS])}: prints who it runs as, opens the device (creating it
 * if it does not exist), and with {@code SECONDS} prints each packet it reads, as tcpdump would,
 * until the first IPv4 packet or the time is up. Exit 0 when the device opened, 1 when it did not.
 */
public final class StudentProgram {
  private static final String TUN_NODE = "/dev/net/tun";

  private StudentProgram() {}

  /** A parsed {@code open tun|tap LINK as UID [read SECONDS]} line. */
  record Open(String kind, String link, long uid, Optional<Integer> readSeconds) {
    static final String GRAMMAR = "open tun|tap LINK as UID [read SECONDS]";

    static boolean matches(String line) {
      return line.strip().startsWith("open ");
    }

    static Open parse(String line) {
      String[] words = line.strip().split("\\s+");
      boolean shape = (words.length == 5 || words.length == 7) && List.of("tun", "tap").contains(words[1])
          && words[3].equals("as") && words[4].matches("\\d{1,9}")
          && (words.length == 5 || words[5].equals("read") && words[6].matches("[1-9]"));
      if (!shape) {
        throw new IllegalArgumentException("'" + line.strip() + "': " + GRAMMAR + " (SECONDS 1 to 9)");
      }
      return new Open(words[1], words[2], Long.parseLong(words[4]),
          words.length == 7 ? Optional.of(Integer.parseInt(words[6])) : Optional.empty());
    }

    List<String> arguments() {
      List<String> arguments = new ArrayList<>(List.of(kind, link));
      readSeconds.ifPresent(seconds -> arguments.add(Integer.toString(seconds)));
      return arguments;
    }
  }

  public static void main(String[] args) {
    long uid = Privileges.effectiveUid();
    String name = System.getProperty("user.name", "?");
    System.out.printf("running as uid %d (%s), effective capabilities %016x: %s%n", uid,
        name.equals("?") ? "no account" : name, Privileges.effectiveCapabilities(),
        Privileges.hasNetAdmin() ? "CAP_NET_ADMIN among them" : "no CAP_NET_ADMIN");
    DeviceOptions options = (args[0].equals("tap") ? TunTapDevice.tap(args[1]) : TunTapDevice.tun(args[1]))
        .readAhead(0);
    try (TunTapDevice device = options.open()) {
      System.out.println("opened " + device.name() + ", a " + device.kind() + ": this program holds it now");
      if (args.length > 2) {
        readUntilIpv4(device, Duration.ofSeconds(Integer.parseInt(args[2])));
      }
    } catch (IOException e) {
      System.out.println("tunlib: " + e.getMessage());
      System.out.flush();
      System.exit(1);
    }
  }

  private static void readUntilIpv4(TunTapDevice device, Duration limit) throws IOException {
    Timer giveUp = new Timer(true);
    giveUp.schedule(new TimerTask() {
      @Override
      public void run() {
        device.close(); // wakes the blocked read
      }
    }, limit.toMillis());
    ByteBuffer buffer = ByteBuffer.allocateDirect(65536);
    while (true) {
      buffer.clear();
      int length = device.read(buffer);
      if (length < 0) {
        System.out.println("read nothing more within " + limit.toSeconds() + " s");
        return;
      }
      byte[] packet = new byte[length];
      buffer.flip().get(packet);
      System.out.println("read " + length + " bytes: " + PacketLine.of(device.linkType(), packet, 0, length, length, false));
      boolean ipv4 = device.kind().name().equals("TUN") ? length > 0 && (packet[0] & 0xff) >> 4 == 4
          : length > 13 && packet[12] == 0x08 && packet[13] == 0x00;
      if (ipv4) {
        giveUp.cancel();
        return;
      }
    }
  }

  /**
   * Runs the program for {@code open} in the namespace playing {@code role}, as its user. The JVM's
   * user must be able to read its classes: those under a directory it cannot enter (root's Maven
   * repository) are copied into a readable temporary directory first. Where {@code /dev/net/tun} is
   * not {@code crw-rw-rw-} (as Debian makes it), the program gets such a node of its own in a
   * private mount namespace: the lesson is about the kernel's check of the device's owner, and the
   * host is left as it is.
   */
  static ActionResult run(Lab lab, String role, Open open, Duration timeout) throws IOException {
    Path scratch = Files.createTempDirectory("tl-student-", PosixFilePermissions.asFileAttribute(
        PosixFilePermissions.fromString("rwxr-xr-x")));
    try {
      List<String> classpath = readableClasspath(scratch);
      Path jnaTemp = Files.createDirectory(scratch.resolve("jna"));
      Files.setPosixFilePermissions(jnaTemp, PosixFilePermissions.fromString("rwxrwxrwx"));
      String id = Long.toString(open.uid());
      List<String> student = new ArrayList<>(List.of("setpriv", "--reuid=" + id, "--regid=" + id, "--clear-groups"));
      List<String> shown = new ArrayList<>(student);
      student.addAll(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
          "-XX:TieredStopAtLevel=1", "-XX:-UsePerfData", "-Djna.tmpdir=" + jnaTemp,
          "-cp", String.join(File.pathSeparator, classpath), StudentProgram.class.getName()));
      student.addAll(open.arguments());
      shown.addAll(List.of("java", "-cp", "…", StudentProgram.class.getName()));
      shown.addAll(open.arguments());
      List<String> command = new ArrayList<>();
      String note = "";
      if (!openToAll(Path.of(TUN_NODE))) {
        Path node = scratch.resolve("tun");
        command.addAll(List.of("unshare", "--mount", "--propagation", "private", "sh", "-c",
            "mknod -m 666 " + node + " c 10 200 && mount --bind " + node + " " + TUN_NODE + " && exec \"$@\"",
            "student"));
        note = "(" + TUN_NODE + " is not crw-rw-rw- here: the program sees one that is, as Debian makes it)\n";
      }
      command.addAll(student);
      ActionResult result = lab.run(role, timeout, command);
      return new ActionResult(List.of("ip netns exec " + lab.namespace(role).name() + " " + String.join(" ", shown)),
          result.exitCode(), result.timedOut(), note + result.output());
    } finally {
      try (Stream<Path> files = Files.walk(scratch)) {
        files.sorted(Comparator.reverseOrder()).forEach(file -> file.toFile().delete());
      }
    }
  }

  /** Where this program's classes, tunlib's and JNA's come from, copied into {@code scratch} when others cannot read them. */
  private static List<String> readableClasspath(Path scratch) throws IOException {
    Set<Path> sources = new LinkedHashSet<>();
    for (String type : List.of(StudentProgram.class.getName(), TunTapDevice.class.getName(), "com.sun.jna.Native")) {
      try {
        sources.add(Path.of(Class.forName(type).getProtectionDomain().getCodeSource().getLocation().toURI()));
      } catch (URISyntaxException | ClassNotFoundException e) {
        throw new IOException("cannot tell where " + type + " was loaded from", e);
      }
    }
    List<String> classpath = new ArrayList<>();
    for (Path source : sources) {
      if (readableByAll(source)) {
        classpath.add(source.toString());
        continue;
      }
      Path copy = scratch.resolve(classpath.size() + "-" + source.getFileName());
      try (Stream<Path> files = Files.walk(source)) {
        for (Path file : (Iterable<Path>) files::iterator) {
          Path target = copy.resolve(source.relativize(file).toString());
          Files.copy(file, target, StandardCopyOption.REPLACE_EXISTING);
          Files.setPosixFilePermissions(target, PosixFilePermissions.fromString(Files.isDirectory(file)
              ? "rwxr-xr-x" : "rw-r--r--"));
        }
      }
      classpath.add(copy.toString());
    }
    return classpath;
  }

  /** Whether any user may read {@code path}: it is readable by others and so is every directory above it. */
  private static boolean readableByAll(Path path) throws IOException {
    Path absolute = path.toAbsolutePath();
    if (!Files.getPosixFilePermissions(absolute).contains(PosixFilePermission.OTHERS_READ)) {
      return false;
    }
    for (Path dir = absolute.getParent(); dir != null; dir = dir.getParent()) {
      if (!Files.getPosixFilePermissions(dir).contains(PosixFilePermission.OTHERS_EXECUTE)) {
        return false;
      }
    }
    return true;
  }

  private static boolean openToAll(Path node) throws IOException {
    return Files.getPosixFilePermissions(node).containsAll(Set.of(PosixFilePermission.OTHERS_READ,
        PosixFilePermission.OTHERS_WRITE));
  }
}
