package io.meshsdk.benchmarks;

import io.meshsdk.consumer.StartPosition;
import io.meshsdk.testkit.TestMesh;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * What the first in-memory test costs in a fresh JVM, the figure a developer waits for when running
 * one test from the IDE: each run starts a new JVM that builds a {@code TestMesh}, starts a
 * consumer, sends one event and waits until the handler saw it (the work of {@link
 * TestkitHarness}'s in-memory test, done once, cold). Reported: the JVM's uptime when done, and the
 * wall time of the whole process (JVM start and exit included), as medians, for the JVM options
 * that change start-up: none, C1 only ({@code -XX:TieredStopAtLevel=1}), and an application
 * class-data-sharing archive made by a first run ({@code -XX:SharedArchiveFile}).
 *
 * <p>Run: {@code java -cp benchmarks/target/benchmarks.jar io.meshsdk.benchmarks.FirstTestHarness
 * [runs]} (default 10 per variant, alternated).
 */
public final class FirstTestHarness {
  private FirstTestHarness() {}

  /**
   * Measures and prints a Markdown table.
   *
   * @param args the runs per variant
   * @throws Exception if a run fails
   */
  public static void main(String[] args) throws Exception {
    if (args.length > 0 && args[0].equals("--child")) {
      child();
      return;
    }
    int runs = args.length > 0 ? Integer.parseInt(args[0]) : 10;
    Path dir = Files.createTempDirectory("mesh-first-test-");
    Path archive = dir.resolve("first-test.jsa");
    run(List.of("-XX:ArchiveClassesAtExit=" + archive)); // makes the archive
    if (!Files.isRegularFile(archive)) {
      throw new IllegalStateException("the JVM made no class-data archive at " + archive);
    }
    List<List<String>> variants =
        List.of(
            List.of(),
            List.of("-XX:TieredStopAtLevel=1"),
            List.of("-XX:SharedArchiveFile=" + archive));
    List<String> names =
        List.of(
            "no options",
            "`-XX:TieredStopAtLevel=1` (C1 only)",
            "`-XX:SharedArchiveFile` (application class-data sharing)");
    List<List<long[]>> results = new ArrayList<>();
    variants.forEach(v -> results.add(new ArrayList<>()));
    for (int i = 0; i < runs; i++) {
      for (int v = 0; v < variants.size(); v++) {
        results.get(v).add(run(variants.get(v)));
      }
    }
    System.out.println("| JVM options | runs | median uptime when done, ms | median process ms |");
    System.out.println("| --- | ---: | ---: | ---: |");
    for (int v = 0; v < variants.size(); v++) {
      System.out.printf(
          Locale.ROOT,
          "| %s | %d | %d | %d |%n",
          names.get(v),
          runs,
          median(results.get(v), 0),
          median(results.get(v), 1));
    }
    Files.deleteIfExists(archive);
    Files.deleteIfExists(dir);
  }

  /** One fresh JVM: its reported uptime and the process's wall time, in ms. */
  private static long[] run(List<String> options) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(options);
    command.add("-Xshare:auto");
    command.add("-Xlog:cds=off,cds+dynamic=off");
    command.addAll(
        List.of(
            "-cp",
            System.getProperty("java.class.path"),
            FirstTestHarness.class.getName(),
            "--child"));
    long t0 = System.nanoTime();
    Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IllegalStateException("the measured JVM failed: " + command + "\n" + out);
    }
    long wall = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
    String line =
        out.lines()
            .filter(l -> l.startsWith("UPTIME_MS "))
            .findFirst()
            .orElseThrow(() -> new IllegalStateException("no uptime reported:\n" + out));
    return new long[] {Long.parseLong(line.substring("UPTIME_MS ".length()).strip()), wall};
  }

  private static long median(List<long[]> runs, int index) {
    List<Long> values = new ArrayList<>();
    runs.forEach(r -> values.add(r[index]));
    Collections.sort(values);
    return values.get((values.size() - 1) / 2);
  }

  /** The measured JVM: the first in-memory test, then its uptime. */
  private static void child() throws Exception {
    try (TestMesh mesh = TestMesh.builder().application("first").build()) {
      CountDownLatch seen = new CountDownLatch(1);
      mesh.consumer(TestkitHarness.UnitTestEvent.class)
          .group("first")
          .startFrom(StartPosition.earliest())
          .handle(e -> seen.countDown())
          .start();
      mesh.producer(TestkitHarness.UnitTestEvent.class)
          .send(new TestkitHarness.UnitTestEvent("e-1", 1))
          .join();
      if (!seen.await(60, TimeUnit.SECONDS)) {
        throw new IllegalStateException("the event did not arrive");
      }
    }
    // the benchmark's own report, read by the parent process
    System.out.println("UPTIME_MS " + ManagementFactory.getRuntimeMXBean().getUptime());
    System.exit(0);
  }
}
