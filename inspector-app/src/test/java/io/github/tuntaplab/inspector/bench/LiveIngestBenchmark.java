package io.github.tuntaplab.inspector.bench;

import io.github.tuntaplab.inspector.ui.FramePriority;
import io.github.tuntaplab.inspector.ui.InspectorApp;
import io.github.tuntaplab.inspector.ui.InspectorModel;
import io.github.tuntaplab.inspector.ui.MainView;
import io.github.tuntaplab.inspector.ui.live.LabFeatures;
import io.github.tuntaplab.inspector.ui.live.LiveSource;
import io.github.tuntaplab.lessons.lab.ActionResult;
import io.github.tuntaplab.lessons.lab.LabClient;
import io.github.tuntaplab.lessons.lab.LabHost;
import io.github.tuntaplab.lessons.lab.LabSettings;
import io.github.tuntaplab.lessons.lab.Topology;
import io.github.tuntaplab.lessons.lesson.LessonCatalog;
import io.github.tuntaplab.tunlib.scheduling.ThreadScheduling;
import io.github.tuntaplab.tunlib.testsupport.KernelThreads;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.prefs.Preferences;
import java.util.stream.Stream;
import javafx.animation.AnimationTimer;
import javafx.application.Platform;
import javafx.stage.Stage;

/**
 * Live ingest at full rate (as root): the inspector window (headless, Monocle) connected to a lab,
 * while iperf3 sends TCP and then UDP at full speed, first from the default lab's client to
 * its web host (client tl-eth0 → router → bridge → web tl-eth0: every veth end is captured, so one
 * segment is seen four times), then through lesson 5's plain tunnel (the client's TUN, the veths,
 * the server's TUN). Each measured run follows an unmeasured run of {@link #WARM_UP_SECONDS} that warms
 * the window up: the JIT compilers otherwise take up to a fifth of a core for a minute after the
 * window's start (a window in class runs for an hour). Reports
 * the FX pulse intervals (p50, p99, max; target p99 &lt; 33 ms), the heap (most used while
 * ingesting, and kept after a GC), and checks the drop counter: dropped == offered − shown, where
 * offered is every packet the lab captured for the window (equal to the lab's own count) and
 * dropped counts both what the lab dropped for the window and what the window could not take.
 * Beside it, in the same run: iperf3's own throughput and the load average (other processes on the
 * machine slow the pulses down as much as the window does).
 *
 * <p>The lab runs as in class, in a process of its own ({@code tunlab lab up}, from the built jar):
 * this JVM then does only the window's work. As in class, where the lab is started with sudo in a
 * terminal, the lab runs in a session of its own ({@code setsid}), and iperf3 is started by the lab
 * ({@code through-lab}, the default), as a lesson action or {@code tunlab lab run} starts it: where the
 * kernel groups tasks by session (autogroup, on by default), iperf3 then shares the lab's session
 * group, which yields to the windows while the lab is up. {@code own-sessions} starts iperf3's client
 * and server each in a session of its own, as from terminals of their own ({@code sudo ip netns exec});
 * {@code one-session} keeps the lab and iperf3 in the benchmark's session, where every thread of theirs
 * competes with the window's threads one to one. Mode {@code in-process} hosts it in the window's JVM
 * instead (as a window run as root may), where its capture threads and their garbage compete with the
 * window's; {@code both} (the default) runs the two one after the other. MAVEN_OPTS gives this JVM
 * the flags {@code ./tunlab} gives the window (its collector, and only the quick JIT compiler).
 *
 * <pre>
 * mvn -B -ntp -q install -DskipTests
 * sudo MAVEN_OPTS="-XX:+UseZGC -XX:TieredStopAtLevel=1" mvn -B -ntp -q -pl inspector-app exec:java \
 *     -Dexec.classpathScope=test \
 *     -Dexec.mainClass=io.github.tuntaplab.inspector.bench.LiveIngestBenchmark \
 *     [-Dexec.args="SECONDS [separate|in-process|both] [through-lab|own-sessions|one-session]"]
 * </pre>
 */
public final class LiveIngestBenchmark {
  private LiveIngestBenchmark() {}

  /** Seconds of traffic before each measured run. */
  private static final int WARM_UP_SECONDS = 8;

  /** Where the lab process and iperf3 run, for the kernel's grouping of tasks by session (autogroup). */
  private enum Sessions {
    /** Each in a session of its own, as from terminals of their own. */
    OWN_SESSIONS,
    /** In the benchmark's session: every thread of theirs competes with the window's one to one. */
    ONE_SESSION,
    /** The lab in a session of its own, iperf3 started by the lab ({@code tunlab lab run}), so in the lab's. */
    THROUGH_LAB
  }

  private static Sessions sessions;

  public static void main(String[] args) {
    try {
      String mode = args.length > 1 ? args[1] : "both";
      List<Boolean> separate = switch (mode) {
        case "separate" -> List.of(true);
        case "in-process" -> List.of(false);
        case "both" -> List.of(true, false);
        default -> throw new IllegalArgumentException("mode: separate, in-process or both, not " + mode);
      };
      // As the window's launch sets it (the benchmark shows the window without that launch).
      long softLimit = InspectorApp.keepHeapNearNeed();
      System.out.printf("collectors: %s; soft heap limit %,d MiB (max heap %,d MiB); JIT tiers up to %s%n",
          ManagementFactory.getGarbageCollectorMXBeans().stream().map(c -> c.getName()).toList(), softLimit >> 20,
          Runtime.getRuntime().maxMemory() >> 20, ManagementFactory.getPlatformMXBean(
              com.sun.management.HotSpotDiagnosticMXBean.class).getVMOption("TieredStopAtLevel").getValue());
      String sessionsArgument = args.length > 2 ? args[2] : "through-lab";
      sessions = switch (sessionsArgument) {
        case "own-sessions" -> Sessions.OWN_SESSIONS;
        case "one-session" -> Sessions.ONE_SESSION;
        case "through-lab" -> Sessions.THROUGH_LAB;
        default -> throw new IllegalArgumentException("sessions: through-lab, own-sessions or one-session, not "
            + sessionsArgument);
      };
      System.out.println("the lab process and iperf3 run " + switch (sessions) {
        case OWN_SESSIONS -> "each in a session of its own (setsid)";
        case THROUGH_LAB -> "the lab process in a session of its own (setsid), iperf3 started by the lab (tunlab lab"
            + " run; a lab hosted here starts it in this JVM's session)";
        case ONE_SESSION -> "in this benchmark's session (the lab process yields the whole session, this JVM's too)";
      } + "; this JVM's task group: " + autogroupOf("self"));
      run(args.length > 0 ? Integer.parseInt(args[0]) : 5, separate);
      System.exit(0);
    } catch (Exception | Error e) {
      e.printStackTrace();
      System.exit(1);
    }
  }

  /** One lab to send through: its topology, iperf3's client and server roles, and the server's address. */
  private record Traffic(String name, Topology topology, String labUpArguments, String client, String server,
      String address) {}

  /** A lab to measure with: hosted in this JVM or running in a process of its own. */
  private interface RunningLab extends AutoCloseable {
    /** Packets the lab captured so far, when this JVM can tell. */
    OptionalLong packetCount();
  }

  private static void run(int seconds, List<Boolean> separateModes) throws Exception {
    System.setProperty("glass.platform", "Monocle");
    System.setProperty("monocle.platform", "Headless");
    System.setProperty("prism.order", "sw");
    System.setProperty("headless.geometry", "1920x1200-32"); // the window's 1600x1000 fits the headless screen
    CountDownLatch started = new CountDownLatch(1);
    Platform.startup(started::countDown);
    started.await();
    System.out.println("scheduling, as the window's start sets it: " + onFx(FramePriority::apply));
    // As the window's: the loader yields to the frame threads, the lab's requests do not (their thread, started
    // from the FX thread, keeps the default priority).
    ExecutorService background = Executors.newSingleThreadExecutor(FramePriority.background("inspector-loader"));
    ExecutorService labRequests = Executors.newSingleThreadExecutor();
    List<Traffic> paths = List.of(
        new Traffic("the default lab, client → router → web host (every veth end captured: each segment seen 4 times)",
            Topology.load("default"), "default", "client", "web", "203.0.113.8"),
        new Traffic("lesson 5's lab, through its plain tunnel tl-tun0 (both TUNs and every veth end captured: each"
            + " packet seen 6 times)", LessonCatalog.builtIn().lesson(5).topology(), "--lesson 5", "l5-client", "l5-vpn",
            "198.18.0.2"));
    // One window for both labs, which take turns at the same socket. Named tl-<letters><pid>-<n>-, as test
    // namespaces are, so that live tests running meanwhile know them for another JVM's (RootNamespaceGuard).
    LabSettings settings = new LabSettings("tl-bench" + ProcessHandle.current().pid() + "-1-",
        Files.createTempDirectory("tl-live-bench"));
    try {
      InspectorModel model = onFx(() -> new InspectorModel(background,
          Preferences.userRoot().node("tuntaplab-live-bench")));
      LabFeatures features = onFx(() -> {
        MainView view = new MainView(model, List.of());
        LabFeatures installed = LabFeatures.install(view, model, labRequests, Path.of("sample-captures"), settings);
        Stage stage = new Stage();
        stage.setScene(InspectorApp.scene(view));
        stage.setWidth(1600);
        stage.setHeight(1000);
        stage.show();
        return installed;
      });
      for (boolean separate : separateModes) {
        for (Traffic path : paths) {
          try (RunningLab lab = separate ? labProcess(path, settings) : labHost(path, settings)) {
            System.out.printf("%n#### %s; the lab %s%n", path.name(), separate
                ? "in a process of its own (tunlab lab up, as in class)" : "hosted in the window's JVM");
            measure(lab, settings, path, seconds, features.live());
          }
        }
      }
      onFx(() -> {
        features.close();
        return null;
      });
    } finally {
      background.shutdownNow();
      labRequests.shutdownNow();
    }
  }

  private static RunningLab labHost(Traffic path, LabSettings settings) throws IOException {
    LabHost host = LabHost.start(path.topology(), settings, OptionalInt.empty(), OptionalInt.empty(), () -> { });
    return new RunningLab() {
      @Override
      public OptionalLong packetCount() {
        return OptionalLong.of(host.lab().packetCount());
      }

      @Override
      public void close() throws IOException {
        host.close();
      }
    };
  }

  /** {@code tunlab lab up} from the built jar, with the benchmark's prefix and socket directory. */
  private static RunningLab labProcess(Traffic path, LabSettings settings) throws Exception {
    Path jar = Stream.of(Path.of("inspector-app/target/tunlab.jar"), Path.of("target/tunlab.jar"))
        .filter(Files::isRegularFile).findFirst()
        .orElseThrow(() -> new IllegalStateException("build the jar first: mvn -B -ntp -q install -DskipTests"));
    List<String> command = new ArrayList<>(session());
    command.addAll(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-D" + LabSettings.PREFIX_PROPERTY + "=" + settings.prefix(),
        "-D" + LabSettings.DIRECTORY_PROPERTY + "=" + settings.directory(), "-jar", jar.toString(), "lab", "up"));
    command.addAll(List.of(path.labUpArguments().split(" ")));
    Process process = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(settings.directory().resolve("lab.log").toFile()).start();
    LabClient client = new LabClient(settings);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (true) {
      try {
        client.status();
        // Its last line: its session group has yielded by then.
        if (!Files.readString(settings.directory().resolve("lab.log")).contains(" is up\n")) {
          throw new IOException("not up yet");
        }
        break;
      } catch (IOException notYet) {
        if (!process.isAlive() || System.nanoTime() > deadline) {
          process.destroy();
          throw new IllegalStateException("the lab did not come up: "
              + Files.readString(settings.directory().resolve("lab.log")), notYet);
        }
        Thread.sleep(100);
      }
    }
    // Read once it is up: setsid has run and its session group has yielded by then.
    System.out.println("lab process at nice " + niceOf(process.pid()) + ", task group " + autogroupOf(
        Long.toString(process.pid())));
    return new RunningLab() {
      @Override
      public OptionalLong packetCount() {
        return OptionalLong.empty();
      }

      @Override
      public void close() throws Exception {
        client.stop();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
          process.destroy();
          process.waitFor(10, TimeUnit.SECONDS);
        }
      }
    };
  }

  private static void measure(RunningLab lab, LabSettings settings, Traffic path, int seconds, LiveSource live)
      throws Exception {
    onFx(() -> {
      live.connect(settings.socket());
      return null;
    });
    awaitLive(live);
    for (List<String> mode : List.of(List.of("TCP"), List.of("UDP", "-u", "-b", "0", "-l", "1400"))) {
      // Unmeasured first: the window's cells, the dissectors and the JIT are warm, as in class.
      iperf(settings, path, WARM_UP_SECONDS, mode);
      settle(live);
      onFx(() -> {
        live.clear();
        return null;
      });
      String loadBefore = Files.readString(Path.of("/proc/loadavg")).strip();
      OptionalLong capturedBefore = lab.packetCount();
      Pulses pulses = onFx(Pulses::new);
      HeapWatch heap = new HeapWatch();
      heap.start();
      CpuTimes cpuBefore = CpuTimes.now();
      java.util.Map<String, Long> threadTicksBefore = threadTicks();
      long wallBefore = System.nanoTime();
      String report = iperf(settings, path, seconds, mode);
      OptionalLong capturedAfter = lab.packetCount();
      // Let the window catch up, then take the figures in one look from the FX thread.
      long[] figures = settle(live);
      onFx(() -> {
        pulses.stop();
        return null;
      });
      CpuTimes cpu = CpuTimes.now().minus(cpuBefore);
      java.util.Map<String, Long> threadTicks = threadTicks();
      double wall = (System.nanoTime() - wallBefore) / 1e9;
      heap.interrupt();
      heap.join();
      System.gc();
      long kept = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
      System.out.printf("%n== %s, %d s (load average before: %s; after: %s): iperf3 says:%n%s%n", mode.get(0),
          seconds, loadBefore, Files.readString(Path.of("/proc/loadavg")).strip(), summary(report));
      System.out.printf("lab captured %s packets (all devices) while iperf3 ran; the window's state: %s%n",
          capturedAfter.isPresent() ? String.format("%,d", capturedAfter.getAsLong() - capturedBefore.getAsLong())
          : "n/a (the lab runs in its own process)", onFx(() -> live.stateProperty().get()));
      System.out.printf("offered %,d, shown %,d, dropped %,d: dropped %s offered − shown%n", figures[0], figures[1],
          figures[2], figures[2] == figures[0] - figures[1] ? "==" : "!= (WRONG)");
      System.out.printf("FX pulses: %,d, interval p50 %.1f ms, p99 %.1f ms, max %.1f ms (target p99 < 33 ms)%n",
          pulses.count(), pulses.percentile(50), pulses.percentile(99), pulses.max());
      System.out.printf("FX thread CPU time per pulse: p50 %.1f ms, p90 %.1f ms, p99 %.1f ms, max %.1f ms (the window's"
          + " own work, unlike the intervals barely moved by the load)%n", pulses.cpuPercentile(50),
          pulses.cpuPercentile(90), pulses.cpuPercentile(99), pulses.cpuPercentile(100));
      System.out.printf("longest intervals, ms:%s%n", pulses.longest(5));
      System.out.printf("CPU over the %.1f s until the window settled: FX thread %.0f ms/s, renderer %.0f ms/s, this"
          + " JVM (%s) %.0f ms/s%n", wall, cpu.fx / 1e6 / wall, cpu.renderer / 1e6 / wall,
          capturedAfter.isPresent() ? "window and lab" : "the window alone", cpu.process / 1e6 / wall);
      System.out.printf("this JVM's busiest threads (kernel's names), ms/s:%s%n", busiest(threadTicksBefore, threadTicks,
          wall));
      System.out.printf("heap: at most %,d MiB used while ingesting, %,d MiB kept after GC (bound on live packets:"
          + " %,d MiB; -Xmx %,d MiB)%n", heap.max >> 20, kept >> 20, LiveSource.MAX_BYTES >> 20,
          Runtime.getRuntime().maxMemory() >> 20);
    }
  }

  /** Runs iperf3 from the path's client to its server for {@code seconds}; returns its report. */
  private static String iperf(LabSettings settings, Traffic path, int seconds, List<String> mode) throws Exception {
    if (sessions == Sessions.THROUGH_LAB) {
      return iperfThroughLab(settings, path, seconds, mode);
    }
    List<String> serverCommand = new ArrayList<>(session());
    serverCommand.addAll(List.of("ip", "netns", "exec", settings.namespace(path.server()), "iperf3", "-s", "-1"));
    Process iperfServer = new ProcessBuilder(serverCommand).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    Thread.sleep(500);
    List<String> command = new ArrayList<>(session());
    command.addAll(List.of("ip", "netns", "exec", settings.namespace(path.client()),
        "iperf3", "-c", path.address(), "-t", Integer.toString(seconds), "-f", "m"));
    command.addAll(mode.subList(1, mode.size()));
    Process iperf = new ProcessBuilder(command).redirectErrorStream(true).start();
    String niceness = "iperf3 client at nice " + niceOf(iperf.pid()) + ", server " + niceOf(iperfServer.pid())
        + "; the server's task group " + autogroupOf(Long.toString(iperfServer.pid()));
    String report = new String(iperf.getInputStream().readAllBytes(), StandardCharsets.UTF_8) + niceness + "\n";
    iperf.waitFor(seconds + 30L, TimeUnit.SECONDS);
    iperfServer.waitFor(10, TimeUnit.SECONDS);
    iperfServer.destroy();
    return report;
  }

  /** As {@link #iperf}, with the client and server started by the lab, as {@code tunlab lab run} starts them. */
  private static String iperfThroughLab(LabSettings settings, Traffic path, int seconds, List<String> mode)
      throws Exception {
    LabClient lab = new LabClient(settings);
    Duration limit = Duration.ofSeconds(seconds + 30L);
    FutureTask<ActionResult> server = new FutureTask<>(() -> lab.run(path.server(), limit,
        List.of("iperf3", "-s", "-1")));
    Thread serverThread = new Thread(server, "iperf3 server through the lab");
    serverThread.start();
    Thread.sleep(500);
    // The shell says where the lab started it, then becomes iperf3.
    List<String> command = new ArrayList<>(List.of("sh", "-c", "echo \"iperf3 client started by the lab: nice $(cut"
        + " -d' ' -f19 /proc/$$/stat), task group $(cat /proc/$$/autogroup)\"; exec \"$@\"", "sh", "iperf3", "-c",
        path.address(), "-t", Integer.toString(seconds), "-f", "m"));
    command.addAll(mode.subList(1, mode.size()));
    ActionResult client = lab.run(path.client(), limit, command);
    // On a loaded machine the server may not listen yet: try again for a few seconds.
    for (int tries = 0; client.output().contains("unable to connect to server") && tries < 10; tries++) {
      Thread.sleep(500);
      client = lab.run(path.client(), limit, command);
    }
    server.get(10, TimeUnit.SECONDS);
    return client.output();
  }

  /**
   * CPU time (clock ticks) of each of this JVM's threads, by the kernel's name and id: the JVM's own
   * threads (compilers, collector) included, which ThreadMXBean does not list.
   */
  private static java.util.Map<String, Long> threadTicks() throws IOException {
    java.util.Map<String, Long> ticks = new java.util.HashMap<>();
    try (Stream<Path> tasks = Files.list(Path.of("/proc/self/task"))) {
      for (Path task : tasks.toList()) {
        try {
          String stat = Files.readString(task.resolve("stat"));
          String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
          String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
          ticks.put(name + " #" + task.getFileName(), Long.parseLong(fields[14 - 3]) + Long.parseLong(fields[15 - 3]));
        } catch (IOException ended) {
          // The thread ended meanwhile.
        }
      }
    }
    return ticks;
  }

  /** The six threads that took most CPU between the two readings, in ms per second of {@code wall}. */
  private static String busiest(java.util.Map<String, Long> before, java.util.Map<String, Long> after, double wall) {
    return after.entrySet().stream()
        .map(e -> java.util.Map.entry(e.getKey().substring(0, e.getKey().lastIndexOf(" #")),
            e.getValue() - before.getOrDefault(e.getKey(), 0L)))
        .sorted((a, b) -> Long.compare(b.getValue(), a.getValue())).limit(6)
        .map(e -> String.format(" %s %.0f", e.getKey(), e.getValue() * 10 / wall)).reduce("", String::concat);
  }

  /** The command's prefix that starts it in a session of its own, when asked (setsid execs: the pid stays). */
  private static List<String> session() {
    return sessions == Sessions.ONE_SESSION ? List.of() : List.of("setsid");
  }

  /** The process's autogroup (its session's task group, where the kernel groups by session), or why none. */
  private static String autogroupOf(String pid) {
    try {
      return Files.readString(Path.of("/proc/" + pid + "/autogroup")).strip();
    } catch (IOException | RuntimeException none) {
      return "none (" + none.getMessage() + ")";
    }
  }

  /** A process's nice value, from field 19 of its stat (the window's priorities must not reach the load). */
  private static String niceOf(long pid) {
    try {
      return Integer.toString(KernelThreads.processNice(pid));
    } catch (IOException | RuntimeException ended) {
      return "?";
    }
  }

  private static String summary(String iperfOutput) {
    return iperfOutput.lines().filter(l -> l.contains("sender") || l.contains("receiver") || l.contains("nice"))
        .map(l -> "  " + l.strip()).reduce((a, b) -> a + "\n" + b).orElse(iperfOutput);
  }

  private static void awaitLive(LiveSource live) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (onFx(() -> live.stateProperty().get()) != LiveSource.State.LIVE) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("not connected: " + onFx(() -> live.messageProperty().get()));
      }
      Thread.sleep(50);
    }
  }

  /** Offered, shown, dropped once nothing arrived for half a second and the window caught up. */
  private static long[] settle(LiveSource live) throws Exception {
    long[] last = null;
    while (true) {
      Thread.sleep(500);
      long[] now = onFx(() -> new long[] {live.offeredProperty().get(), live.shownProperty().get(),
          live.droppedProperty().get(), live.catchingUpProperty().get() ? 1 : 0});
      if (last != null && Arrays.equals(last, now) && now[3] == 0) {
        return now;
      }
      last = now;
    }
  }

  private static <T> T onFx(Callable<T> action) throws Exception {
    FutureTask<T> task = new FutureTask<>(action);
    Platform.runLater(task);
    return task.get(30, TimeUnit.SECONDS);
  }

  /**
   * The intervals between the FX thread's pulses, from an animation timer (called once a pulse), and
   * what each interval held: the FX thread's CPU time (what the window itself costs a pulse, whoever
   * else wants the cores), its time runnable but waiting for a core (the kernel's schedstat: the
   * machine's load), and the JVM's garbage collection pauses (they stop the FX thread too).
   */
  private static final class Pulses extends AnimationTimer {
    private final java.lang.management.ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    /**
     * The collectors' pause times: not ZGC's "Cycles" bean nor G1's "Concurrent GC" (JDK 20+), which
     * time concurrent work that stops no thread.
     */
    private final List<java.lang.management.GarbageCollectorMXBean> collectors =
        ManagementFactory.getGarbageCollectorMXBeans().stream()
            .filter(c -> !c.getName().endsWith("Cycles") && !c.getName().contains("Concurrent")).toList();
    private final Path schedstat = Path.of("/proc/thread-self/schedstat");
    /** The renderer's and the pulse timer's: a frame waits for them too. */
    private final List<Path> helpers = ThreadScheduling.threads().stream()
        .filter(t -> t.name().startsWith("QuantumRenderer") || t.name().startsWith("Monocle Timer"))
        .map(t -> Path.of("/proc/self/task/" + t.id() + "/schedstat")).toList();
    private long[] intervals = new long[4096];
    private long[] helpersWaiting = new long[4096];
    private long lastHelpersWaiting;
    private long[] cpu = new long[4096];
    private long[] waiting = new long[4096];
    private long[] collecting = new long[4096];
    private int count;
    private long last;
    private long lastCpu;
    private long lastWaiting;
    private long lastCollecting;

    Pulses() {
      start();
    }

    @Override
    public void handle(long now) {
      long cpuNow = threads.getCurrentThreadCpuTime();
      long waitingNow = waitingForCore(schedstat);
      long helpersWaitingNow = helpers.stream().mapToLong(Pulses::waitingForCore).sum();
      long collectingNow = collectors.stream().mapToLong(c -> c.getCollectionTime()).sum() * 1_000_000;
      if (last != 0) {
        if (count == intervals.length) {
          intervals = Arrays.copyOf(intervals, count * 2);
          cpu = Arrays.copyOf(cpu, count * 2);
          waiting = Arrays.copyOf(waiting, count * 2);
          collecting = Arrays.copyOf(collecting, count * 2);
          helpersWaiting = Arrays.copyOf(helpersWaiting, count * 2);
        }
        helpersWaiting[count] = helpersWaitingNow - lastHelpersWaiting;
        cpu[count] = cpuNow - lastCpu;
        waiting[count] = waitingNow - lastWaiting;
        collecting[count] = collectingNow - lastCollecting;
        intervals[count++] = now - last;
      }
      last = now;
      lastCpu = cpuNow;
      lastWaiting = waitingNow;
      lastCollecting = collectingNow;
      lastHelpersWaiting = helpersWaitingNow;
    }

    /** A thread's time runnable but not running, in ns (0 where the kernel does not say). */
    private static long waitingForCore(Path schedstat) {
      try {
        return Long.parseLong(Files.readString(schedstat).split(" ")[1]);
      } catch (IOException | RuntimeException e) {
        return 0;
      }
    }

    int count() {
      return count;
    }

    double percentile(int p) {
      return percentile(intervals, p);
    }

    double max() {
      return percentile(intervals, 100);
    }

    /** The FX thread's CPU time between two pulses, at percentile {@code p}. */
    double cpuPercentile(int p) {
      return percentile(cpu, p);
    }

    /** The longest {@code n} intervals, each with what it held, in ms. */
    String longest(int n) {
      Integer[] order = new Integer[count];
      Arrays.setAll(order, i -> i);
      Arrays.sort(order, (a, b) -> Long.compare(intervals[b], intervals[a]));
      StringBuilder text = new StringBuilder();
      for (int k = 0; k < Math.min(n, count); k++) {
        int i = order[k];
        text.append(String.format(" %.0f (FX CPU %.0f, waiting for a core %.0f, GC %.0f; renderer and timer waiting"
            + " %.0f)", intervals[i] / 1e6, cpu[i] / 1e6, waiting[i] / 1e6, collecting[i] / 1e6,
            helpersWaiting[i] / 1e6));
      }
      return text.toString();
    }

    private double percentile(long[] values, int p) {
      long[] sorted = Arrays.copyOf(values, count);
      Arrays.sort(sorted);
      return sorted.length == 0 ? 0 : sorted[Math.min(sorted.length - 1, (int) Math.ceil(p / 100.0 * sorted.length) - 1)]
          / 1e6;
    }
  }

  /**
   * CPU time (ns) of the FX thread, of the renderer and of the whole JVM: unlike the pulse intervals,
   * barely moved by other processes competing for the cores.
   */
  private record CpuTimes(long fx, long renderer, long process) {
    static CpuTimes now() throws Exception {
      java.lang.management.ThreadMXBean threads = ManagementFactory.getThreadMXBean();
      long fxThread = onFx(() -> Thread.currentThread().getId());
      long renderer = Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().startsWith("QuantumRenderer"))
          .mapToLong(t -> threads.getThreadCpuTime(t.getId())).sum();
      return new CpuTimes(threads.getThreadCpuTime(fxThread), renderer,
          ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime());
    }

    CpuTimes minus(CpuTimes before) {
      return new CpuTimes(fx - before.fx, renderer - before.renderer, process - before.process);
    }
  }

  /** The most heap used, sampled every 10 ms. */
  private static final class HeapWatch extends Thread {
    private final MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    volatile long max;

    HeapWatch() {
      setDaemon(true);
    }

    @Override
    public void run() {
      while (!isInterrupted()) {
        max = Math.max(max, memory.getHeapMemoryUsage().getUsed());
        try {
          Thread.sleep(10);
        } catch (InterruptedException e) {
          return;
        }
      }
    }
  }
}
