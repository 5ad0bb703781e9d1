package io.meshsdk.benchmarks;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The runs of {@link EndToEndHarness}, by variant in round order, and their Markdown tables:
 * medians per variant, ratios as the median over rounds of each round's ratio, registry requests
 * per variant. Not thread-safe.
 */
final class EndToEndReport {
  private final Map<String, List<Run>> runs = new HashMap<>();
  private final Map<String, Long> registryRequests = new LinkedHashMap<>();

  /** One measured run. */
  record Run(String what, long records, long nanos, long bytes, long allocated, long cpuNanos) {
    Run named(String name) {
      return new Run(name, records, nanos, bytes, allocated, cpuNanos);
    }

    double cpuPerRecord() {
      return (double) cpuNanos / records;
    }

    double perSecond() {
      return records * 1e9 / nanos;
    }

    double megabytesPerSecond() {
      return bytes * 1e9 / nanos / (1024 * 1024);
    }

    double allocatedPerRecord() {
      return (double) allocated / records;
    }
  }

  /**
   * Where a run's allocation, CPU and wall time start: a snapshot of one thread's counters ({@code
   * ThreadMXBean}) and the clock. Take it on the thread doing the work, or name that thread.
   */
  record Meter(long threadId, long allocated, long cpuNanos, long startNanos) {
    private static final com.sun.management.ThreadMXBean THREADS =
        (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    static {
      THREADS.setThreadAllocatedMemoryEnabled(true);
    }

    /** Starts measuring the current thread. */
    static Meter start() {
      return start(Thread.currentThread().getId());
    }

    /** Starts measuring a thread by its id (a consumer's poll thread, say). */
    static Meter start(long threadId) {
      return new Meter(
          threadId,
          THREADS.getThreadAllocatedBytes(threadId),
          THREADS.getThreadCpuTime(threadId),
          System.nanoTime());
    }

    /** The run from the start until now. */
    Run stop(String what, long records, long bytes) {
      long nanos = System.nanoTime() - startNanos;
      return new Run(
          what,
          records,
          nanos,
          bytes,
          THREADS.getThreadAllocatedBytes(threadId) - allocated,
          THREADS.getThreadCpuTime(threadId) - cpuNanos);
    }
  }

  /** A part of a run measured on one of several threads: where its meter started, and the run. */
  record Part(Meter meter, Run run) {}

  /**
   * One run made of parts measured at once on several threads (the consumers of one group):
   * allocation and CPU summed over the threads, wall time from the first part's start to the last
   * part's end.
   */
  static Run combine(String what, long records, long bytes, List<Part> parts) {
    if (parts.isEmpty()) {
      throw new IllegalStateException(what + ": no thread measured any record");
    }
    long start = Long.MAX_VALUE;
    long end = Long.MIN_VALUE;
    long allocated = 0;
    long cpuNanos = 0;
    for (Part part : parts) {
      start = Math.min(start, part.meter().startNanos());
      end = Math.max(end, part.meter().startNanos() + part.run().nanos());
      allocated += part.run().allocated();
      cpuNanos += part.run().cpuNanos();
    }
    return new Run(what, records, end - start, bytes, allocated, cpuNanos);
  }

  /** Records a run and the registry requests made while it ran, and prints it. */
  void add(Run run, long requests) {
    runs.computeIfAbsent(run.what(), k -> new ArrayList<>()).add(run);
    registryRequests.merge(run.what(), requests, Long::sum);
    System.out.printf(
        Locale.ROOT,
        "  %-21s %,10.0f rec/s %8.1f MB/s %8.0f B/rec %6.0f CPU ns/rec %3d registry requests%n",
        run.what(),
        run.perSecond(),
        run.megabytesPerSecond(),
        run.allocatedPerRecord(),
        run.cpuPerRecord(),
        requests);
  }

  /** Prints the medians as Markdown tables: against raw kafka-clients, then against the stack. */
  void print(int records, int rounds, String registry, String configuration) {
    System.out.println();
    System.out.printf(
        Locale.ROOT,
        "%d records x %d rounds, medians; ratios are medians of each round's ratio; registry: %s%n",
        records,
        rounds,
        registry);
    System.out.printf(Locale.ROOT, "configuration: %s%n%n", configuration);
    table(
        "| vs raw | vs raw+h | vs same work |",
        direction ->
            List.of(
                direction + " raw",
                direction + " raw+h",
                direction + (direction.equals("produce") ? " raw+h+avro" : " raw+h+ce"),
                direction + " SDK",
                direction + " SDK compact"),
        3);
    if (runs.containsKey("produce stack best")) {
      System.out.println();
      table(
          "| vs stack best | vs stack default |",
          direction ->
              List.of(
                  direction + " stack best",
                  direction + " stack default",
                  direction + " SDK",
                  direction + " SDK compact"),
          2);
    }
    System.out.println();
    System.out.println("Registry requests during measured runs (total over rounds):");
    registryRequests.forEach((what, n) -> System.out.printf(Locale.ROOT, "  %-21s %d%n", what, n));
  }

  /**
   * One table over both directions. Rows are named per direction; the first {@code baselines} of
   * them are also the ratio columns, and a row gets a ratio only against baselines at or above it.
   * Variants that did not run are left out.
   */
  private void table(
      String ratioHeaders, java.util.function.Function<String, List<String>> rows, int baselines) {
    System.out.println(
        "| run | records/s | MB/s (values) | B allocated/record | CPU ns/record " + ratioHeaders);
    System.out.println("| --- | ---: | ---: | ---: | ---: " + "| ---: ".repeat(baselines) + "|");
    for (String direction : new String[] {"produce", "consume"}) {
      List<String> names = rows.apply(direction);
      for (int r = 0; r < names.size(); r++) {
        List<Run> row = runs.get(names.get(r));
        if (row == null) {
          continue;
        }
        StringBuilder ratios = new StringBuilder();
        for (int b = 0; b < baselines; b++) {
          List<Run> baseline = runs.get(names.get(b));
          ratios
              .append(" ")
              .append(b > r || baseline == null ? "" : ratio(row, baseline))
              .append(" |");
        }
        Run m = median(row);
        System.out.printf(
            Locale.ROOT,
            "| %s | %,.0f | %.1f | %.0f | %.0f |%s%n",
            m.what(),
            m.perSecond(),
            m.megabytesPerSecond(),
            m.allocatedPerRecord(),
            medianCpu(row),
            ratios);
      }
    }
  }

  /** The median over rounds of a's throughput divided by b's in the same round. */
  private static String ratio(List<Run> a, List<Run> b) {
    if (a == b) {
      return "1.00";
    }
    double[] ratios = new double[a.size()];
    for (int i = 0; i < ratios.length; i++) {
      ratios[i] = a.get(i).perSecond() / b.get(i).perSecond();
    }
    Arrays.sort(ratios);
    return String.format(Locale.ROOT, "%.2f", ratios[ratios.length / 2]);
  }

  private static double medianCpu(List<Run> runs) {
    double[] cpu = runs.stream().mapToDouble(Run::cpuPerRecord).sorted().toArray();
    return cpu[cpu.length / 2];
  }

  private static Run median(List<Run> runs) {
    Run[] sorted = runs.toArray(new Run[0]);
    Arrays.sort(sorted, (a, b) -> Double.compare(a.perSecond(), b.perSecond()));
    return sorted[sorted.length / 2];
  }
}
