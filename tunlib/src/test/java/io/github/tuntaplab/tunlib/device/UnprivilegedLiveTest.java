package io.github.tuntaplab.tunlib.device;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.tuntaplab.tunlib.net.NetworkNamespace;
import io.github.tuntaplab.tunlib.testsupport.Cmd;
import io.github.tuntaplab.tunlib.testsupport.LiveTest;
import io.github.tuntaplab.tunlib.testsupport.Prerequisites;
import io.github.tuntaplab.tunlib.testsupport.TestNamespace;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What a student without privileges meets, each in a JVM of its own: the administrator creates a
 * persistent device owned by the student once; the student's program then attaches and reads
 * without CAP_NET_ADMIN — and cannot create devices of its own. The student is uid 65534 (nobody),
 * switched to with setpriv. And a machine without /dev/net/tun.
 */
@LiveTest
class UnprivilegedLiveTest {
  private static final long NOBODY = 65534;
  private static Path classpathDir;

  @BeforeAll
  static void copyClasspathWhereNobodyCanRead() throws Exception {
    Prerequisites.requireNetAdmin();
    Prerequisites.requireTool("setpriv");
    classpathDir = Files.createTempDirectory("tl-owner");
    List<String> entries = new ArrayList<>();
    for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
      Path source = Path.of(entry);
      if (Files.isDirectory(source) || entry.contains("/jna")) {
        Path target = classpathDir.resolve(entries.size() + "-" + source.getFileName());
        copy(source, target);
        entries.add(target.toString());
      }
    }
    Files.writeString(classpathDir.resolve("classpath"), String.join(File.pathSeparator, entries));
    try (Stream<Path> all = Files.walk(classpathDir)) {
      all.forEach(p -> p.toFile().setReadable(true, false));
    }
    classpathDir.toFile().setExecutable(true, false);
    // JNA unpacks its native part into a directory the user can write.
    Path jnaTmp = Files.createDirectory(classpathDir.resolve("jna-tmp"));
    jnaTmp.toFile().setWritable(true, false);
    jnaTmp.toFile().setExecutable(true, false);
    // Debian makes /dev/net/tun 0666; some machines (this project's CI among them) make it 0600. The
    // student's process gets a 0666 node of its own, bind-mounted in a private mount namespace, so
    // the test checks the device's owner, not the host's choice of mode — and changes nothing there.
    Cmd.ok("mknod", "-m", "666", classpathDir.resolve("tun").toString(), "c", "10", "200");
  }

  @AfterAll
  static void removeCopy() throws Exception {
    if (classpathDir != null) {
      try (Stream<Path> all = Files.walk(classpathDir)) {
        all.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  @Test
  void theOwnerAttachesAndReadsWithoutPrivilegeButCannotCreate() throws Exception {
    try (TestNamespace ns = TestNamespace.create()) {
      NetworkNamespace inside = ns.inside();
      inside.call(() -> {
        TunTapDevice.tap("tl-tap0").persistent(true).owner(NOBODY).open().close();
        return null;
      });
      assertThat(ns.ip("-d", "link", "show", "tl-tap0")).contains("user nobody").contains("persist on");
      ns.ip("addr", "add", "198.19.0.1/24", "dev", "tl-tap0");
      ns.ip("link", "set", "tl-tap0", "up");

      Process student = ns.start(asNobody("attach", "tl-tap0"));
      ns.exec("ping", "-c", "2", "-W", "1", "198.19.0.2");
      assertThat(student.waitFor(15, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
      String out = new String(student.getInputStream().readAllBytes());
      String err = new String(student.getErrorStream().readAllBytes());
      assertThat(student.exitValue()).as("stderr: %s", err).isZero();
      assertThat(out).contains("ATTACHED TAP tl-tap0").containsPattern("READ \\d+ ethertype 0x(0806|86dd)");

      Cmd.Result create = ns.exec(asNobody("create", "tl-tap9"));
      assertThat(create.exitCode()).isEqualTo(3);
      assertThat(create.stderr())
          .contains("cannot create TAP device tl-tap9: needs CAP_NET_ADMIN: run as root, or create the device once "
              + "with `ip tuntap add dev tl-tap9 mode tap user ")
          .contains("(ioctl(TUNSETIFF): EPERM, Operation not permitted)");
      assertThat(ns.ip("link")).doesNotContain("tl-tap9");
    }
  }

  @Test
  void withoutDevNetTunTheMessageSaysHowToGetIt() throws Exception {
    // A private mount namespace with an empty /dev/net: the machine without the tun module, as
    // a container without --device /dev/net/tun sees it.
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Cmd.Result create = Cmd.run("unshare", "--mount", "--propagation", "private", "sh", "-c",
        "mount -t tmpfs tl-empty /dev/net && exec \"$@\"", "without-tun", java,
        "-cp", Files.readString(classpathDir.resolve("classpath")), AttachAsUser.class.getName(), "create", "tl-tap0");
    assertThat(create.exitCode()).as(create.stderr()).isEqualTo(3);
    assertThat(create.stderr()).contains("no TUN/TAP support here: /dev/net/tun is missing; load the tun module "
        + "(modprobe tun), or in a container pass /dev/net/tun and CAP_NET_ADMIN").contains("ENOENT");
  }

  private static String[] asNobody(String... args) throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    String tunNode = classpathDir.resolve("tun").toString();
    List<String> command = new ArrayList<>(List.of("unshare", "--mount", "--propagation", "private",
        "sh", "-c", "mount --bind " + tunNode + " /dev/net/tun && exec \"$@\"", "as-nobody",
        "setpriv", "--reuid=" + NOBODY, "--regid=" + NOBODY,
        "--clear-groups", java, "-Djna.tmpdir=" + classpathDir.resolve("jna-tmp"), "-Duser.home=/tmp",
        "-cp", Files.readString(classpathDir.resolve("classpath")), AttachAsUser.class.getName()));
    command.addAll(List.of(args));
    return command.toArray(String[]::new);
  }

  private static void copy(Path source, Path target) throws Exception {
    if (!Files.isDirectory(source)) {
      Files.copy(source, target, StandardCopyOption.REPLACE_EXISTING);
      return;
    }
    try (Stream<Path> files = Files.walk(source)) {
      for (Path file : (Iterable<Path>) files::iterator) {
        Path to = target.resolve(source.relativize(file).toString());
        if (Files.isDirectory(file)) {
          Files.createDirectories(to);
        } else {
          Files.copy(file, to, StandardCopyOption.REPLACE_EXISTING);
        }
      }
    }
  }
}
