package io.meshsdk.benchmarks;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The runs of {@link EndToEndHarness}, by variant in round order, and their Markdown table: medians
 * per variant, ratios as the median over rounds of each round's ratio. Not thread-safe.
 */
final class EndToEndReport {
  private final Map<String, List<Run>> runs = new HashMap<>();

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

  /** Records a run and prints it. */
  void add(Run run) {
    runs.computeIfAbsent(run.what(), k -> new ArrayList<>()).add(run);
    System.out.printf(
        Locale.ROOT,
        "  %-19s %,10.0f rec/s %8.1f MB/s %8.0f B/rec %6.0f CPU ns/rec%n",
        run.what(),
        run.perSecond(),
        run.megabytesPerSecond(),
        run.allocatedPerRecord(),
        run.cpuPerRecord());
  }

  /** Prints the medians as a Markdown table. */
  void print(int records, int rounds, long registryCalls) {
    System.out.println();
    System.out.printf(
        Locale.ROOT,
        "%d records x %d rounds, medians; ratios are medians of each round's ratio; registry calls"
            + " during measured runs: %d (each new consumer fetches its writer schema once)%n%n",
        records,
        rounds,
        registryCalls);
    System.out.println(
        "| run | records/s | MB/s (values) | B allocated/record | CPU ns/record | vs raw | vs raw+h"
            + " | vs same work |");
    System.out.println("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
    for (String direction : new String[] {"produce", "consume"}) {
      List<Run> raw = runs.get(direction + " raw");
      List<Run> headed = runs.get(direction + " raw+h");
      // producing, raw+h sends pre-encoded bytes, raw+h+avro also encodes, as the SDK must;
      // consuming, raw+h decodes but ignores the headers, raw+h+ce also reads id, type and time
      List<Run> same =
          runs.getOrDefault(
              direction + (direction.equals("produce") ? " raw+h+avro" : " raw+h+ce"), headed);
      row(raw, "1.00", "", "");
      row(headed, ratio(headed, raw), "1.00", "");
      if (same != headed) {
        row(same, ratio(same, raw), ratio(same, headed), "1.00");
      }
      for (String sdk : new String[] {direction + " SDK", direction + " SDK compact"}) {
        List<Run> r = runs.get(sdk);
        row(r, ratio(r, raw), ratio(r, headed), ratio(r, same));
      }
    }
  }

  /** The median over rounds of a's throughput divided by b's in the same round. */
  private static String ratio(List<Run> a, List<Run> b) {
    double[] ratios = new double[a.size()];
    for (int i = 0; i < ratios.length; i++) {
      ratios[i] = a.get(i).perSecond() / b.get(i).perSecond();
    }
    Arrays.sort(ratios);
    return String.format(Locale.ROOT, "%.2f", ratios[ratios.length / 2]);
  }

  private static void row(List<Run> runs, String vsRaw, String vsHeaded, String vsSameWork) {
    Run r = median(runs);
    System.out.printf(
        Locale.ROOT,
        "| %s | %,.0f | %.1f | %.0f | %.0f | %s | %s | %s |%n",
        r.what(),
        r.perSecond(),
        r.megabytesPerSecond(),
        r.allocatedPerRecord(),
        medianCpu(runs),
        vsRaw,
        vsHeaded,
        vsSameWork);
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
