package io.meshsdk.benchmarks;

import io.confluent.parallelconsumer.PCRetriableException;
import io.confluent.parallelconsumer.ParallelConsumerOptions;
import io.confluent.parallelconsumer.ParallelConsumerOptions.CommitMode;
import io.confluent.parallelconsumer.ParallelConsumerOptions.ProcessingOrder;
import io.confluent.parallelconsumer.ParallelStreamProcessor;
import io.confluent.parallelconsumer.internal.AbstractParallelEoSStreamProcessor;
import io.confluent.parallelconsumer.internal.DrainingCloseable.DrainingMode;
import io.meshsdk.Mesh;
import io.meshsdk.consumer.MeshConsumer;
import io.meshsdk.consumer.MeshShareConsumer;
import io.meshsdk.contract.ProductContract;
import io.meshsdk.registry.InMemorySchemaRegistry;
import io.meshsdk.serde.MeshSerializer;
import io.meshsdk.testkit.broker.EmbeddedKafkaBroker;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.jspecify.annotations.Nullable;

/**
 * Parallel consumption of one partition whose handler waits 1 ms per record (an I/O call): how
 * close each way of consuming in parallel comes to {@code concurrency × 1000} records/s, side by
 * side in one run.
 *
 * <p>Each point reads a topic with one partition, filled before the clock starts with {@code n}
 * records ({@code n = max(2000, concurrency × 5000)} unless {@code --records} says otherwise; keys
 * {@code "k" + (i % keys)}, 100-byte values), with a fresh group from the earliest offset. The
 * handler ({@link Work#handle}) waits 1 ms with {@code LockSupport.parkNanos} (to the deadline, so
 * never less; {@code --wait=sleep} for {@code Thread.sleep(1)}), counts every record by its offset,
 * and so sees duplicates, records never handled (the point fails) and, for KEY ordering, two
 * records of a key handled at once or out of order. Records/s run from the first record handled to
 * the last of {@code n}; CPU is the harness JVM's (the broker runs in a JVM of its own unless
 * {@code -Dbroker=inline}) and the broker's, over the same span: at low rates it is mostly what
 * both use per second whatever the rate (polls, heartbeats, the compiler), which the output
 * measures at rest.
 *
 * <p>Variants ({@link #variants(int)}):
 *
 * <ol>
 *   <li>Confluent Parallel Consumer 0.5.3.3 (the newest release), KEY and UNORDERED, {@code
 *       maxConcurrency} = the concurrency. It is built against kafka-clients 3.9 and is put on the
 *       project's 4.4.0: the warm-up finds out whether it runs at all (when it does not, the output
 *       says so and the thread pool stands alone), and a resume check finds out whether a second
 *       instance can read the incomplete offsets the first one committed. As published it does not
 *       run on 4.4.0: its control loop needs {@code
 *       org.apache.kafka.common.utils.CloseableIterator}, which Kafka 4 moved to {@code
 *       org.apache.kafka.common.utils.internals} ({@code NoClassDefFoundError} on its first loop),
 *       and its offset encoding needs {@code org.apache.kafka.common.utils.ByteBufferInputStream},
 *       moved the same way ({@code NoClassDefFoundError} on its first commit). The benchmarks carry
 *       stand-ins for both (in {@code org.apache.kafka.common.utils}, written for this benchmark),
 *       with which it runs;
 *   <li>a plain thread pool on raw kafka-clients: one consumer, {@code concurrency} threads,
 *       unordered, committing the lowest unfinished offset (at-least-once);
 *   <li>Mesh SDK's consumer with {@code parallel(KEY | UNORDERED, concurrency)}, and its share
 *       consumer with {@code concurrency} members (1 to 16), both decoding every record into {@link
 *       BenchJob} (the values are that product in the Confluent wire format; the other variants do
 *       not decode them).
 * </ol>
 *
 * <p>Run: {@code java -cp benchmarks/target/benchmarks.jar
 * io.meshsdk.benchmarks.ParallelConsumerHarness [--quick] [options]}; {@code --help} lists them.
 */
public final class ParallelConsumerHarness {
  private static final String PC = "parallel-consumer-0.5.3.3";
  private static final String POOL = "thread-pool";
  private static final String MESH = "mesh-parallel";
  private static final String MESH_SHARE = "mesh-share-group";
  private static final int VALUE_BYTES = 100;
  private static final int WARM_UP_RECORDS = 10_000;
  private static final AtomicInteger GROUPS = new AtomicInteger();

  /**
   * The registry of every variant in this JVM; values are Mesh SDK's {@link BenchJob} in the
   * Confluent wire format, which the other variants do not decode.
   */
  private static final InMemorySchemaRegistry REGISTRY = new InMemorySchemaRegistry();

  private static final ProductContract<BenchJob> JOB = ProductContract.of(BenchJob.class);

  /** The product's topic; each topic of the run is it behind a prefix of its own. */
  private static final String JOB_TOPIC = JOB.topic();

  private static final com.sun.management.OperatingSystemMXBean OS =
      (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

  private ParallelConsumerHarness() {}

  /** How a variant orders the handling of records of one partition. */
  public enum Ordering {
    /** Records of one key one at a time, in offset order; different keys in parallel. */
    KEY,
    /** One record of the partition at a time. */
    PARTITION,
    /** Any record at any time. */
    UNORDERED
  }

  /**
   * One way of consuming the topic in parallel, at one concurrency.
   *
   * <p><b>Mesh SDK's own parallel consumer variants go here</b>: implement this interface with the
   * SDK's consumer and add instances in {@link #variants(int)}; nothing else in the harness
   * changes.
   */
  public interface Variant {
    /**
     * The variant's name, printed in the table and matched (as a prefix) by {@code --variants}.
     *
     * @return the name
     */
    String name();

    /**
     * The order the variant keeps; with {@link Ordering#KEY} the harness also checks it.
     *
     * @return the ordering
     */
    Ordering ordering();

    /**
     * How many records the variant handles at once at most.
     *
     * @return the concurrency
     */
    int concurrency();

    /**
     * Consumes {@code topic} (one partition holding exactly {@code n} records) with the fresh group
     * {@code group} from the earliest offset, calling {@link Work#handle(long)} once per record
     * (with its offset) on up to {@link #concurrency()} threads of its own, in its {@link
     * #ordering()}, until {@link Work#isComplete()}; then commits what was handled and closes, so
     * the group's committed offset ends at {@code n}. {@link Work#awaitAll} waits for the end and
     * fails on a time-out or on the failure the variant reports to it.
     *
     * @param bootstrapServers the broker
     * @param topic the topic
     * @param n how many records it holds
     * @param group the consumer group, never used before
     * @param work what to call for each record
     * @param timeout how long the run may take at most
     * @return how many times the variant called {@link Work#handle} (duplicates included)
     * @throws Exception when the variant fails or runs out of time
     */
    long run(
        String bootstrapServers, String topic, int n, String group, Work work, Duration timeout)
        throws Exception;
  }

  /**
   * Every variant at one concurrency, in the order the table lists them.
   *
   * @param concurrency threads (or {@code maxConcurrency}) of each variant
   * @return the variants
   */
  static List<Variant> variants(int concurrency) {
    List<Variant> variants = new ArrayList<>();
    variants.add(new ParallelConsumerVariant(Ordering.KEY, concurrency));
    variants.add(new ParallelConsumerVariant(Ordering.UNORDERED, concurrency));
    variants.add(new ThreadPoolVariant(concurrency));
    variants.add(new MeshVariant(Ordering.KEY, concurrency));
    variants.add(new MeshVariant(Ordering.UNORDERED, concurrency));
    if (concurrency <= 16) {
      variants.add(new MeshShareVariant(concurrency));
    }
    return variants;
  }

  public static void main(String[] args) {
    int status = 1;
    try {
      Options options = Options.parse(args);
      if (options == null) {
        System.out.println(Options.USAGE);
      } else {
        run(options);
      }
      status = 0;
    } catch (Exception | Error e) {
      java.io.StringWriter trace = new java.io.StringWriter();
      e.printStackTrace(new java.io.PrintWriter(trace));
      System.err.print(trace);
    }
    // a Parallel Consumer that failed may leave threads of its own running: end them all here
    System.exit(status);
  }

  private static void run(Options options) throws Exception {
    System.out.printf(
        Locale.ROOT,
        "handler wait: %s; mean measured once over 1000 waits on one thread: parkNanos %.3f ms,"
            + " Thread.sleep(1) %.3f ms%n",
        options.wait.description,
        WaitKind.PARK.measureMillis(1000),
        WaitKind.SLEEP.measureMillis(1000));
    System.out.printf(
        Locale.ROOT,
        "keys: %d; value bytes: %d; concurrency: %s; cores: %d%n",
        options.keys,
        VALUE_BYTES,
        options.concurrencies,
        Runtime.getRuntime().availableProcessors());
    boolean inline = "inline".equals(System.getProperty("broker"));
    System.out.printf(
        Locale.ROOT,
        "broker: %s%n",
        inline ? "in this JVM (-Dbroker=inline)" : "in its own JVM (default; -Dbroker=inline)");

    List<Result> results = new ArrayList<>();
    @Nullable String pcFailure = null;
    @Nullable String resume = null;
    Idle idle;
    try (Broker broker = inline ? Broker.inline() : Broker.process();
        Admin admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()))) {
      Map<Integer, String> topics = new LinkedHashMap<>();
      Set<Integer> sizes = new TreeSet<>();
      sizes.add(WARM_UP_RECORDS);
      for (int c : options.concurrencies) {
        sizes.add(options.records(c));
      }
      for (int n : sizes) {
        long start = System.nanoTime();
        String topic = "parallel-" + n + "." + JOB_TOPIC;
        fill(broker.bootstrapServers(), admin, topic, n, options.keys);
        topics.put(n, topic);
        System.out.printf(
            Locale.ROOT,
            "filled %s: %,d records in %.1f s%n",
            topic,
            n,
            (System.nanoTime() - start) / 1e9);
      }

      // warm-up, one run of each selected variant; also finds out whether Parallel Consumer runs
      for (Variant v : options.select(variants(16))) {
        if (pcFailure != null && v.name().equals(PC)) {
          continue;
        }
        try {
          Result r =
              measure(v, broker, admin, topics.get(WARM_UP_RECORDS), WARM_UP_RECORDS, options);
          System.out.printf(
              Locale.ROOT,
              "warm-up %s %s: %,.0f records/s%n",
              v.name(),
              v.ordering(),
              r.recordsPerSecond());
        } catch (Exception | LinkageError e) {
          if (!v.name().equals(PC)) {
            throw e;
          }
          pcFailure = describe(e);
          System.out.println(
              "Parallel Consumer 0.5.3.3 cannot run on kafka-clients "
                  + kafkaVersion()
                  + ": "
                  + pcFailure);
          System.out.println(
              "(the thread-pool baseline is measured alone; " + stopLeftoverThreads() + ")");
        }
      }

      // after the warm-up, when compilation and the broker's writes have settled
      idle = Idle.measure(broker);
      System.out.println(idle);

      for (int c : options.concurrencies) {
        int n = options.records(c);
        for (Variant v : options.select(variants(c))) {
          if (pcFailure != null && v.name().equals(PC)) {
            continue;
          }
          try {
            Result r = measure(v, broker, admin, topics.get(n), n, options);
            results.add(r);
            System.out.println(r.line());
          } catch (Exception | LinkageError e) {
            if (!v.name().equals(PC)) {
              throw e;
            }
            String failure = describe(e);
            System.out.println(
                "Parallel Consumer 0.5.3.3 failed on kafka-clients "
                    + kafkaVersion()
                    + " ("
                    + v.ordering()
                    + ", concurrency "
                    + c
                    + "): "
                    + failure);
            results.add(Result.failed(v, n, failure));
            System.out.println(stopLeftoverThreads());
          }
        }
      }

      if (options.resumeCheck
          && pcFailure == null
          && !options.select(variants(16)).stream()
              .filter(v -> v.name().equals(PC))
              .toList()
              .isEmpty()) {
        try {
          resume = resumeCheck(broker.bootstrapServers(), admin, options);
        } catch (Exception | LinkageError e) {
          resume =
              "Resume check (Parallel Consumer 0.5.3.3): the first instance failed: " + describe(e);
        }
      }
    }

    System.out.println();
    if (pcFailure != null) {
      System.out.println(
          "Parallel Consumer 0.5.3.3 cannot run on kafka-clients "
              + kafkaVersion()
              + ": "
              + pcFailure);
      System.out.println();
    }
    printTable(results, options, idle);
    if (resume != null) {
      System.out.println();
      System.out.println(resume);
    }
  }

  /**
   * Interrupts the threads a failed Parallel Consumer left running (its broker poll thread keeps
   * polling when its control thread has died, and close does not stop it), so they do not load the
   * machine during later points.
   *
   * @return what became of them, for the output
   */
  private static String stopLeftoverThreads() throws InterruptedException {
    List<Thread> left =
        Thread.getAllStackTraces().keySet().stream()
            .filter(t -> t.getName().startsWith("pc-"))
            .toList();
    left.forEach(Thread::interrupt);
    // interrupted, the poll loop ends and its thread goes back to Parallel Consumer's idle pool
    Thread.sleep(1000);
    return String.format(
        Locale.ROOT,
        "the %d thread(s) it left running were interrupted and are now %s",
        left.size(),
        left.stream().map(t -> t.getName() + " " + t.getState()).toList());
  }

  /** Runs one variant on one topic with a fresh group, and checks what the group committed. */
  private static Result measure(
      Variant v, Broker broker, Admin admin, String topic, int n, Options o) throws Exception {
    String group =
        "parallel-"
            + v.name()
            + "-"
            + v.ordering()
            + "-"
            + v.concurrency()
            + "-"
            + GROUPS.incrementAndGet();
    Work work = new Work(n, o.keys, v.ordering() == Ordering.KEY, o.wait, broker.cpuNanos());
    long calls = v.run(broker.bootstrapServers(), topic, n, group, work, o.timeout);
    if (calls != work.calls()) {
      throw new IllegalStateException(
          v.name() + " says it handled " + calls + " records; the handler counted " + work.calls());
    }
    OffsetAndMetadata committed =
        admin
            .listConsumerGroupOffsets(group)
            .partitionsToOffsetAndMetadata()
            .get()
            .get(new TopicPartition(topic, 0));
    return new Result(
        v.name(),
        v.ordering(),
        v.concurrency(),
        n,
        work,
        committed == null ? -1 : committed.offset(),
        null);
  }

  // ----- the handler -----

  /** How the handler waits its millisecond. */
  enum WaitKind {
    PARK("LockSupport.parkNanos, repeated until 1 ms has passed"),
    SLEEP("Thread.sleep(1)");

    final String description;

    WaitKind(String description) {
      this.description = description;
    }

    void waitOneMillisecond() {
      if (this == SLEEP) {
        try {
          Thread.sleep(1);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        return;
      }
      long deadline = System.nanoTime() + 1_000_000;
      for (long left = 1_000_000; left > 0; left = deadline - System.nanoTime()) {
        LockSupport.parkNanos(left);
      }
    }

    double measureMillis(int times) {
      long start = System.nanoTime();
      for (int i = 0; i < times; i++) {
        waitOneMillisecond();
      }
      return (System.nanoTime() - start) / 1e6 / times;
    }
  }

  /**
   * What every variant calls for each record, and what it counts: the 1 ms wait, the records
   * handled (each by its offset, so duplicates show), the records in flight and, for key-ordered
   * variants, two records of one key handled at once or out of offset order. It times the span from
   * the first record handled to the moment the last of the {@code n} records is done, and the CPU
   * used over it. Thread-safe: called from the variants' own threads.
   */
  public static final class Work {
    private final int n;
    private final int keys;
    private final boolean keyOrdered;
    private final WaitKind wait;
    private final LongSupplier brokerCpu;
    private final AtomicIntegerArray seen;
    private final AtomicIntegerArray keyBusy;
    private final AtomicLongArray keyLast;
    private final AtomicInteger distinct = new AtomicInteger();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger peakInFlight = new AtomicInteger();
    private final LongAdder calls = new LongAdder();
    private final LongAdder duplicates = new LongAdder();
    private final LongAdder keyOrderBreaks = new LongAdder();
    private final CountDownLatch complete = new CountDownLatch(1);
    private volatile boolean started;
    private long startNanos;
    private long startCpu;
    private long startBrokerCpu;
    private volatile long endNanos;
    private volatile long endCpu;
    private volatile long endBrokerCpu;

    Work(int n, int keys, boolean keyOrdered, WaitKind wait, LongSupplier brokerCpu) {
      this.n = n;
      this.keys = keys;
      this.keyOrdered = keyOrdered;
      this.wait = wait;
      this.brokerCpu = brokerCpu;
      this.seen = new AtomicIntegerArray(n);
      this.keyBusy = new AtomicIntegerArray(keyOrdered ? keys : 0);
      this.keyLast = new AtomicLongArray(keyOrdered ? keys : 0);
      for (int k = 0; k < keyLast.length(); k++) {
        keyLast.set(k, -1);
      }
    }

    /**
     * Handles one record: waits 1 ms and counts it. The record's key is known from its offset (the
     * topic was filled with key {@code "k" + (offset % keys)}).
     *
     * @param offset the record's offset in the topic's one partition
     */
    public void handle(long offset) {
      if (offset < 0 || offset >= n) {
        throw new IllegalArgumentException("offset " + offset + " is not one of the " + n);
      }
      if (!started) {
        start();
      }
      int now = inFlight.incrementAndGet();
      peakInFlight.accumulateAndGet(now, Math::max);
      int key = (int) (offset % keys);
      if (keyOrdered) {
        if (keyBusy.getAndIncrement(key) != 0) {
          keyOrderBreaks.increment();
        }
        if (keyLast.getAndSet(key, offset) >= offset) {
          keyOrderBreaks.increment();
        }
      }
      try {
        wait.waitOneMillisecond();
      } finally {
        if (keyOrdered) {
          keyBusy.decrementAndGet(key);
        }
        inFlight.decrementAndGet();
        calls.increment();
        if (seen.getAndIncrement((int) offset) != 0) {
          duplicates.increment();
        } else if (distinct.incrementAndGet() == n) {
          endNanos = System.nanoTime();
          endCpu = OS.getProcessCpuTime();
          endBrokerCpu = brokerCpu.getAsLong();
          complete.countDown();
        }
      }
    }

    private synchronized void start() {
      if (!started) {
        startCpu = OS.getProcessCpuTime();
        startBrokerCpu = brokerCpu.getAsLong();
        startNanos = System.nanoTime();
        started = true;
      }
    }

    /**
     * Whether every one of the {@code n} records has been handled at least once.
     *
     * @return true once they all have
     */
    public boolean isComplete() {
      return complete.getCount() == 0;
    }

    /**
     * Waits until every record has been handled.
     *
     * @param timeout how long at most
     * @param failure the variant's failure, checked every 100 ms: null while it runs
     * @throws Exception the variant's failure, or an {@link IllegalStateException} naming the
     *     records never handled when the time runs out
     */
    public void awaitAll(Duration timeout, Supplier<@Nullable Throwable> failure) throws Exception {
      long deadline = System.nanoTime() + timeout.toNanos();
      while (!complete.await(100, TimeUnit.MILLISECONDS)) {
        Throwable t = failure.get();
        if (t != null) {
          throw t instanceof Exception e ? e : new IllegalStateException(t);
        }
        if (System.nanoTime() - deadline > 0) {
          throw timedOut(timeout);
        }
      }
    }

    /**
     * The failure of a run that did not end in time.
     *
     * @param timeout the time it had
     * @return an exception naming how many records were lost
     */
    public IllegalStateException timedOut(Duration timeout) {
      return new IllegalStateException(
          String.format(
              Locale.ROOT,
              "%,d of %,d records never handled within %s",
              n - distinct.get(),
              n,
              timeout));
    }

    /**
     * How many times {@link #handle} was called.
     *
     * @return the count, duplicates included
     */
    public long calls() {
      return calls.sum();
    }

    long duplicates() {
      return duplicates.sum();
    }

    long keyOrderBreaks() {
      return keyOrderBreaks.sum();
    }

    int peakInFlight() {
      return peakInFlight.get();
    }

    double seconds() {
      return (endNanos - startNanos) / 1e9;
    }

    double cpuMillisPer1000() {
      return (endCpu - startCpu) / 1e6 / n * 1000;
    }

    double brokerCpuMillisPer1000() {
      return startBrokerCpu < 0 || endBrokerCpu < 0
          ? -1
          : (endBrokerCpu - startBrokerCpu) / 1e6 / n * 1000;
    }
  }

  // ----- variant 1: Confluent Parallel Consumer -----

  /** Confluent Parallel Consumer 0.5.3.3 with its own consumer, committing asynchronously. */
  static final class ParallelConsumerVariant implements Variant {
    private final Ordering ordering;
    private final int concurrency;

    ParallelConsumerVariant(Ordering ordering, int concurrency) {
      this.ordering = ordering;
      this.concurrency = concurrency;
    }

    @Override
    public String name() {
      return PC;
    }

    @Override
    public Ordering ordering() {
      return ordering;
    }

    @Override
    public int concurrency() {
      return concurrency;
    }

    @Override
    public long run(
        String bootstrapServers, String topic, int n, String group, Work work, Duration timeout)
        throws Exception {
      ParallelStreamProcessor<byte[], byte[]> pc =
          start(bootstrapServers, group, ProcessingOrder.valueOf(ordering.name()), concurrency);
      @Nullable Exception failure = null;
      try {
        pc.subscribe(List.of(topic));
        pc.poll(context -> work.handle(context.getSingleConsumerRecord().offset()));
        work.awaitAll(timeout, () -> failureOf(pc));
      } catch (Exception e) {
        failure = e;
        throw e;
      } finally {
        close(pc, DrainingMode.DRAIN, failure);
      }
      return work.calls();
    }

    static ParallelStreamProcessor<byte[], byte[]> start(
        String bootstrapServers, String group, ProcessingOrder order, int concurrency) {
      return start(bootstrapServers, group, order, concurrency, Duration.ofSeconds(1));
    }

    static ParallelStreamProcessor<byte[], byte[]> start(
        String bootstrapServers,
        String group,
        ProcessingOrder order,
        int concurrency,
        Duration retryDelay) {
      KafkaConsumer<byte[], byte[]> consumer = consumer(bootstrapServers, group);
      try {
        return ParallelStreamProcessor.createEosStreamProcessor(
            ParallelConsumerOptions.<byte[], byte[]>builder()
                .consumer(consumer)
                .ordering(order)
                .maxConcurrency(concurrency)
                .commitMode(CommitMode.PERIODIC_CONSUMER_ASYNCHRONOUS)
                .retryDelayProvider(record -> retryDelay)
                .build());
      } catch (RuntimeException | LinkageError e) {
        consumer.close();
        throw e;
      }
    }

    /** The processor's failure once it has closed or failed; null while it runs. */
    static @Nullable Throwable failureOf(ParallelStreamProcessor<byte[], byte[]> pc) {
      if (!pc.isClosedOrFailed()) {
        return null;
      }
      Throwable cause =
          pc instanceof AbstractParallelEoSStreamProcessor<?, ?> p ? p.getFailureCause() : null;
      return cause != null
          ? cause
          : new IllegalStateException("Parallel Consumer closed before every record was handled");
    }

    /** Closes the processor (and its consumer); a failure here joins the run's failure, if any. */
    static void close(
        ParallelStreamProcessor<byte[], byte[]> pc, DrainingMode mode, @Nullable Exception failure)
        throws Exception {
      try {
        pc.close(Duration.ofSeconds(30), mode);
      } catch (RuntimeException e) {
        if (failure == null) {
          throw e;
        }
        failure.addSuppressed(e);
      }
    }
  }

  // ----- variant 2: a plain thread pool on raw kafka-clients -----

  /**
   * One {@code KafkaConsumer} polling, an {@code ExecutorService} of {@code concurrency} threads
   * handling, unordered; at-least-once: every 100 ms it commits, per partition, the lowest offset
   * not yet handled (or the next after the last polled, when none is pending), and it pauses
   * fetching while too many records wait in the pool.
   */
  /**
   * Mesh SDK's consumer with {@code parallel(KEY | UNORDERED, concurrency)}: it decodes every
   * record into {@link BenchJob} (the other variants do not decode), with headers, lineage, spans
   * and meters on (no-op telemetry, as by default).
   */
  static final class MeshVariant implements Variant {
    private final Ordering ordering;
    private final int concurrency;

    MeshVariant(Ordering ordering, int concurrency) {
      this.ordering = ordering;
      this.concurrency = concurrency;
    }

    @Override
    public String name() {
      return MESH;
    }

    @Override
    public Ordering ordering() {
      return ordering;
    }

    @Override
    public int concurrency() {
      return concurrency;
    }

    @Override
    public long run(
        String bootstrapServers, String topic, int n, String group, Work work, Duration timeout)
        throws Exception {
      AtomicLong calls = new AtomicLong();
      try (Mesh mesh = mesh(bootstrapServers, topic, "mesh-" + group)) {
        MeshConsumer<BenchJob> consumer =
            mesh.consumer(BenchJob.class)
                .group(group)
                .parallel(
                    ordering == Ordering.KEY
                        ? MeshConsumer.Ordering.KEY
                        : MeshConsumer.Ordering.UNORDERED,
                    concurrency)
                .handle(
                    e -> {
                      calls.incrementAndGet();
                      work.handle(e.offset());
                    })
                .start();
        work.awaitAll(timeout, () -> consumer.failure().orElse(null));
        consumer.close();
      }
      return calls.get();
    }
  }

  /**
   * Mesh SDK's share consumer: {@code concurrency} members of a share group, each handling one
   * record at a time, decoding as {@link MeshVariant} does.
   */
  static final class MeshShareVariant implements Variant {
    private final int members;

    MeshShareVariant(int members) {
      this.members = members;
    }

    @Override
    public String name() {
      return MESH_SHARE;
    }

    @Override
    public Ordering ordering() {
      return Ordering.UNORDERED;
    }

    @Override
    public int concurrency() {
      return members;
    }

    @Override
    public long run(
        String bootstrapServers, String topic, int n, String group, Work work, Duration timeout)
        throws Exception {
      AtomicLong calls = new AtomicLong();
      try (Mesh mesh = mesh(bootstrapServers, topic, "mesh-share-" + group)) {
        MeshShareConsumer<BenchJob> consumer =
            mesh.shareConsumer(BenchJob.class)
                .group(group)
                .concurrency(members)
                .handle(
                    e -> {
                      calls.incrementAndGet();
                      work.handle(e.offset());
                    })
                .start();
        work.awaitAll(timeout, () -> consumer.failure().orElse(null));
        consumer.close();
      }
      return calls.get();
    }
  }

  /** A mesh whose topic prefix makes the product's topic {@code topic}. */
  private static Mesh mesh(String bootstrapServers, String topic, String application) {
    return Mesh.builder()
        .application(application)
        .bootstrapServers(bootstrapServers)
        .schemaRegistry(REGISTRY)
        .topicPrefix(topic.substring(0, topic.length() - JOB_TOPIC.length()))
        .build();
  }

  static final class ThreadPoolVariant implements Variant {
    private final int concurrency;

    ThreadPoolVariant(int concurrency) {
      this.concurrency = concurrency;
    }

    @Override
    public String name() {
      return POOL;
    }

    @Override
    public Ordering ordering() {
      return Ordering.UNORDERED;
    }

    @Override
    public int concurrency() {
      return concurrency;
    }

    /** The offsets of one partition that are handed to the pool and not yet handled. */
    private static final class Pending {
      final ConcurrentSkipListSet<Long> offsets = new ConcurrentSkipListSet<>();
      // the poll thread's alone
      long highestSubmitted = -1;

      void submitted(long offset) {
        offsets.add(offset);
        highestSubmitted = offset;
      }

      /**
       * The offset to commit: everything below it is handled. Offsets are added on the poll thread
       * only (the caller's) in increasing order, so the lowest pending one is the lowest
       * unfinished.
       */
      long safeOffset() {
        Long lowest = offsets.ceiling(Long.MIN_VALUE);
        return lowest != null ? lowest : highestSubmitted + 1;
      }
    }

    @Override
    public long run(
        String bootstrapServers, String topic, int n, String group, Work work, Duration timeout)
        throws Exception {
      int maxWaiting = Math.max(1000, concurrency * 50);
      AtomicInteger waiting = new AtomicInteger();
      AtomicReference<@Nullable Throwable> failure = new AtomicReference<>();
      Map<TopicPartition, Pending> pending = new HashMap<>();
      Map<TopicPartition, Long> committed = new HashMap<>();
      ExecutorService pool = Executors.newFixedThreadPool(concurrency, named("thread-pool-"));
      try (KafkaConsumer<byte[], byte[]> consumer = consumer(bootstrapServers, group)) {
        consumer.subscribe(
            List.of(topic),
            new ConsumerRebalanceListener() {
              @Override
              public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
                // commit what is done; records still in the pool may be handled again elsewhere
                Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
                for (TopicPartition tp : partitions) {
                  Pending p = pending.remove(tp);
                  if (p != null && p.highestSubmitted >= 0) {
                    offsets.put(tp, new OffsetAndMetadata(p.safeOffset()));
                  }
                  committed.remove(tp);
                }
                if (!offsets.isEmpty()) {
                  consumer.commitSync(offsets);
                }
              }

              @Override
              public void onPartitionsAssigned(Collection<TopicPartition> partitions) {}
            });
        long deadline = System.nanoTime() + timeout.toNanos();
        long lastCommit = System.nanoTime();
        while (!work.isComplete()) {
          Throwable t = failure.get();
          if (t != null) {
            throw new IllegalStateException("the handler failed", t);
          }
          if (System.nanoTime() - deadline > 0) {
            throw work.timedOut(timeout);
          }
          ConsumerRecords<byte[], byte[]> records = consumer.poll(Duration.ofMillis(10));
          for (ConsumerRecord<byte[], byte[]> r : records) {
            Pending p =
                pending.computeIfAbsent(
                    new TopicPartition(r.topic(), r.partition()), tp -> new Pending());
            long offset = r.offset();
            p.submitted(offset);
            waiting.incrementAndGet();
            pool.execute(
                () -> {
                  try {
                    work.handle(offset);
                    // only a handled record lets the commit pass it
                    p.offsets.remove(offset);
                  } catch (Throwable e) {
                    failure.compareAndSet(null, e);
                  } finally {
                    waiting.decrementAndGet();
                  }
                });
          }
          if (waiting.get() >= maxWaiting) {
            consumer.pause(consumer.assignment());
          } else if (waiting.get() <= maxWaiting / 2 && !consumer.paused().isEmpty()) {
            consumer.resume(consumer.paused());
          }
          if (System.nanoTime() - lastCommit >= 100_000_000L) {
            Map<TopicPartition, OffsetAndMetadata> offsets = moved(pending, committed);
            if (!offsets.isEmpty()) {
              consumer.commitAsync(offsets, null);
            }
            lastCommit = System.nanoTime();
          }
        }
        pool.shutdown();
        if (!pool.awaitTermination(timeout.toSeconds(), TimeUnit.SECONDS)) {
          throw new IllegalStateException("the pool did not finish its records");
        }
        Map<TopicPartition, OffsetAndMetadata> offsets = moved(pending, committed);
        if (!offsets.isEmpty()) {
          consumer.commitSync(offsets);
        }
      } finally {
        pool.shutdownNow();
      }
      return work.calls();
    }

    /** The safe offsets that moved since the last commit; remembers them as committed. */
    private static Map<TopicPartition, OffsetAndMetadata> moved(
        Map<TopicPartition, Pending> pending, Map<TopicPartition, Long> committed) {
      Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
      pending.forEach(
          (tp, p) -> {
            if (p.highestSubmitted >= 0) {
              long safe = p.safeOffset();
              Long last = committed.put(tp, safe);
              if (last == null || last != safe) {
                offsets.put(tp, new OffsetAndMetadata(safe));
              }
            }
          });
      return offsets;
    }
  }

  // ----- the resume check -----

  /**
   * Whether a Parallel Consumer can take over from one that stopped with records unfinished: the
   * first instance leaves every third record of 3000 unhandled (its handler throws {@link
   * PCRetriableException}, retried only after ten minutes) and closes, committing the incomplete
   * offsets in the commit's metadata; a second instance in the same group must handle exactly those
   * 1000 records, and none of the others again.
   */
  private static String resumeCheck(String bootstrapServers, Admin admin, Options o)
      throws Exception {
    int n = 3000;
    String topic = "parallel-resume." + JOB_TOPIC;
    String group = "parallel-resume-" + GROUPS.incrementAndGet();
    fill(bootstrapServers, admin, topic, n, o.keys);
    TopicPartition tp = new TopicPartition(topic, 0);
    StringBuilder report =
        new StringBuilder("Resume check (Parallel Consumer 0.5.3.3 on kafka-clients ")
            .append(kafkaVersion())
            .append(
                ", UNORDERED, 3000 records, every third left unfinished by a first instance): ");

    AtomicInteger firstHandled = new AtomicInteger();
    ParallelStreamProcessor<byte[], byte[]> first =
        ParallelConsumerVariant.start(
            bootstrapServers, group, ProcessingOrder.UNORDERED, 16, Duration.ofMinutes(10));
    @Nullable Exception failure = null;
    try {
      first.subscribe(List.of(topic));
      first.poll(
          context -> {
            if (context.getSingleConsumerRecord().offset() % 3 == 0) {
              throw new PCRetriableException("left unfinished on purpose");
            }
            firstHandled.incrementAndGet();
          });
      long deadline = System.nanoTime() + 60_000_000_000L;
      while (firstHandled.get() < n - n / 3 && System.nanoTime() - deadline < 0) {
        Throwable t = ParallelConsumerVariant.failureOf(first);
        if (t != null) {
          throw t instanceof Exception e ? e : new IllegalStateException(t);
        }
        Thread.sleep(50);
      }
      // let a periodic commit carry the incomplete offsets before closing
      Thread.sleep(500);
    } catch (Exception e) {
      failure = e;
      throw e;
    } finally {
      ParallelConsumerVariant.close(first, DrainingMode.DONT_DRAIN, failure);
    }
    OffsetAndMetadata committed =
        admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get().get(tp);
    report.append(
        String.format(
            Locale.ROOT,
            "the first handled %,d and committed offset %s with %,d characters of metadata;",
            firstHandled.get(),
            committed == null ? "none" : Long.toString(committed.offset()),
            committed == null || committed.metadata() == null ? 0 : committed.metadata().length()));

    AtomicIntegerArray seen = new AtomicIntegerArray(n);
    AtomicInteger heldBack = new AtomicInteger();
    AtomicInteger again = new AtomicInteger();
    ParallelStreamProcessor<byte[], byte[]> second =
        ParallelConsumerVariant.start(bootstrapServers, group, ProcessingOrder.UNORDERED, 16);
    @Nullable Throwable secondFailure = null;
    try {
      second.subscribe(List.of(topic));
      second.poll(
          context -> {
            int offset = (int) context.getSingleConsumerRecord().offset();
            if (seen.getAndIncrement(offset) == 0 && offset % 3 == 0) {
              heldBack.incrementAndGet();
            } else {
              again.incrementAndGet();
            }
          });
      long deadline = System.nanoTime() + 30_000_000_000L;
      while (heldBack.get() < n / 3
          && System.nanoTime() - deadline < 0
          && (secondFailure = ParallelConsumerVariant.failureOf(second)) == null) {
        Thread.sleep(50);
      }
      // records handled again would show up just after
      Thread.sleep(500);
    } finally {
      try {
        second.close(Duration.ofSeconds(30), DrainingMode.DONT_DRAIN);
      } catch (RuntimeException e) {
        if (secondFailure == null) {
          secondFailure = e;
        }
      }
    }
    if (secondFailure != null || heldBack.get() < n / 3) {
      String why =
          secondFailure != null
              ? describe(secondFailure)
              : "nothing failed visibly, but only "
                  + heldBack.get()
                  + " of the "
                  + n / 3
                  + " unfinished records were handled within 30 s (see the log above)";
      report
          .append(" a second instance in the same group FAILED — Parallel Consumer 0.5.3.3")
          .append(" cannot resume from its own committed offsets on kafka-clients ")
          .append(kafkaVersion())
          .append(": ")
          .append(why);
    } else {
      report.append(
          String.format(
              Locale.ROOT,
              " a second instance handled the %,d unfinished ones and %,d others again: resumes"
                  + " correctly.",
              heldBack.get(),
              again.get()));
    }
    return report.toString();
  }

  // ----- set-up and report -----

  private static KafkaConsumer<byte[], byte[]> consumer(String bootstrapServers, String group) {
    return new KafkaConsumer<>(
        Map.of(
            "bootstrap.servers",
            bootstrapServers,
            "group.id",
            group,
            "auto.offset.reset",
            "earliest",
            "enable.auto.commit",
            false),
        new ByteArrayDeserializer(),
        new ByteArrayDeserializer());
  }

  /** Creates a topic with one partition and writes n records: key "k" + (i % keys), 100 bytes. */
  private static void fill(String bootstrapServers, Admin admin, String topic, int n, int keys)
      throws Exception {
    admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get();
    MeshSerializer<BenchJob> serializer = MeshSerializer.of(JOB, REGISTRY);
    char[] padding = new char[VALUE_BYTES - 12];
    Arrays.fill(padding, 'x');
    String pad = new String(padding);
    try (KafkaProducer<byte[], byte[]> producer =
        new KafkaProducer<>(
            Map.of(
                "bootstrap.servers",
                bootstrapServers,
                "acks",
                "all",
                "linger.ms",
                5,
                "batch.size",
                262_144,
                "enable.idempotence",
                true),
            new ByteArraySerializer(),
            new ByteArraySerializer())) {
      @Nullable Future<RecordMetadata> last = null;
      for (int i = 0; i < n; i++) {
        String key = "k" + (i % keys);
        String payload = ("record-" + i + "-" + pad).substring(0, pad.length());
        byte[] value = serializer.serialize(topic, new BenchJob(key, payload));
        last =
            producer.send(
                new ProducerRecord<>(topic, 0, key.getBytes(StandardCharsets.US_ASCII), value));
      }
      producer.flush();
      // idempotent and in order: the last one written means all were
      if (last != null && last.get().offset() != n - 1) {
        throw new IllegalStateException(topic + " was not filled with exactly " + n + " records");
      }
    }
  }

  private static ThreadFactory named(String prefix) {
    AtomicInteger count = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, prefix + count.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }

  /** The version of the kafka-clients on the class path, as its jar records it. */
  private static String kafkaVersion() {
    try (java.io.InputStream in =
        KafkaConsumer.class.getResourceAsStream("/kafka/kafka-version.properties")) {
      java.util.Properties p = new java.util.Properties();
      if (in != null) {
        p.load(in);
      }
      return p.getProperty("version", "unknown");
    } catch (IOException e) {
      return "unknown";
    }
  }

  /**
   * The exception and its causes on one line (a wrapper whose message only repeats its cause is
   * named by its class), and the first frame outside the JDK where the deepest one was thrown.
   */
  static String describe(Throwable t) {
    List<String> parts = new ArrayList<>();
    Set<Throwable> visited = new LinkedHashSet<>();
    Throwable root = t;
    for (Throwable c = t; c != null && visited.add(c); c = c.getCause()) {
      Throwable next = c.getCause();
      parts.add(
          next != null && next.toString().equals(c.getMessage())
              ? c.getClass().getName()
              : c.toString());
      root = c;
    }
    StringBuilder sb = new StringBuilder(String.join(" <- caused by ", parts));
    Arrays.stream(root.getStackTrace())
        .filter(f -> !f.getClassName().startsWith("java.") && !f.getClassName().startsWith("jdk."))
        .findFirst()
        .ifPresent(f -> sb.append(" (at ").append(f).append(')'));
    return sb.toString();
  }

  private static void printTable(List<Result> results, Options o, Idle idle) {
    System.out.printf(
        Locale.ROOT,
        "Handler: %s per record; %,d keys; one partition; target = 0.8 × concurrency × 1000"
            + " records/s. CPU: the harness JVM (all threads, GC and JIT included) and the broker's"
            + " JVM, from the first record handled to the last, per 1000 records; at rest they use"
            + " %.1f and %s ms/s, which weighs at low rates.%n%n",
        o.wait == WaitKind.PARK ? "1 ms park" : "Thread.sleep(1)",
        o.keys,
        idle.clientMillisPerSecond(),
        idle.brokerMillisPerSecond() < 0
            ? "(in the harness JVM)"
            : String.format(Locale.ROOT, "%.1f", idle.brokerMillisPerSecond()));
    System.out.println(
        "| variant | ordering | concurrency | records | records/s | target | share of target"
            + " | duplicates | peak in flight | key-order breaks | CPU ms / 1000 (client)"
            + " | CPU ms / 1000 (broker) | committed at close |");
    System.out.println(
        "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
    for (Result r : results) {
      System.out.println(r.row());
    }
  }

  /** One point of the table. */
  private record Result(
      String name,
      Ordering ordering,
      int concurrency,
      int n,
      @Nullable Work work,
      long committed,
      @Nullable String failure) {
    static Result failed(Variant v, int n, String failure) {
      return new Result(v.name(), v.ordering(), v.concurrency(), n, null, -1, failure);
    }

    double target() {
      return 0.8 * concurrency * 1000;
    }

    double recordsPerSecond() {
      return work == null ? 0 : n / work.seconds();
    }

    String line() {
      Work w = work;
      if (w == null) {
        return name + " " + ordering + " c=" + concurrency + ": failed: " + failure;
      }
      return String.format(
          Locale.ROOT,
          "%s %s c=%d: %,.0f records/s (target %,.0f) in %.1f s, %d duplicates, peak in flight %d,"
              + " %.1f client CPU ms/1000",
          name,
          ordering,
          concurrency,
          recordsPerSecond(),
          target(),
          w.seconds(),
          w.duplicates(),
          w.peakInFlight(),
          w.cpuMillisPer1000());
    }

    String row() {
      Work w = work;
      if (w == null) {
        return String.format(
            Locale.ROOT,
            "| %s | %s | %d | %,d | failed: %s | %,.0f | | | | | | | |",
            name,
            ordering,
            concurrency,
            n,
            failure == null ? "" : failure.replace('|', '/'),
            target());
      }
      double broker = w.brokerCpuMillisPer1000();
      return String.format(
          Locale.ROOT,
          "| %s | %s | %d | %,d | %,.0f | %,.0f | %.0f %% | %,d | %d | %s | %.1f | %s | %,d |",
          name,
          ordering,
          concurrency,
          n,
          recordsPerSecond(),
          target(),
          100 * recordsPerSecond() / target(),
          w.duplicates(),
          w.peakInFlight(),
          ordering == Ordering.KEY ? String.format(Locale.ROOT, "%,d", w.keyOrderBreaks()) : "–",
          w.cpuMillisPer1000(),
          broker < 0 ? "in client" : String.format(Locale.ROOT, "%.1f", broker),
          committed);
    }
  }

  /** CPU used while nothing is consumed, per second: what every point pays for its time alone. */
  private record Idle(double clientMillisPerSecond, double brokerMillisPerSecond) {
    static Idle measure(Broker broker) throws InterruptedException {
      long cpu = OS.getProcessCpuTime();
      long brokerCpu = broker.cpuNanos().getAsLong();
      long start = System.nanoTime();
      Thread.sleep(2000);
      double seconds = (System.nanoTime() - start) / 1e9;
      long brokerNow = broker.cpuNanos().getAsLong();
      return new Idle(
          (OS.getProcessCpuTime() - cpu) / 1e6 / seconds,
          brokerCpu < 0 || brokerNow < 0 ? -1 : (brokerNow - brokerCpu) / 1e6 / seconds);
    }

    @Override
    public String toString() {
      return String.format(
          Locale.ROOT,
          "idle CPU over 2 s after the warm-up: harness JVM %.1f ms/s, broker %s",
          clientMillisPerSecond,
          brokerMillisPerSecond < 0
              ? "in the harness JVM"
              : String.format(Locale.ROOT, "%.1f ms/s", brokerMillisPerSecond));
    }
  }

  /** The broker under test: in this JVM or in a child JVM of its own. */
  private record Broker(String bootstrapServers, LongSupplier cpuNanos, Runnable stop)
      implements AutoCloseable {
    static Broker inline() {
      EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.create().start();
      return new Broker(broker.bootstrapServers(), () -> -1, broker::close);
    }

    static Broker process() throws IOException {
      BrokerProcess broker = BrokerProcess.start(List.of("-Xms1g", "-Xmx1g"));
      return new Broker(broker.bootstrapServers(), broker::cpuNanos, broker::close);
    }

    @Override
    public void close() {
      stop.run();
    }
  }

  /** The command line. */
  private static final class Options {
    static final String USAGE =
        """
        java -cp benchmarks/target/benchmarks.jar io.meshsdk.benchmarks.ParallelConsumerHarness \
        [options]
          --quick                concurrency 1,16 only (about 30 s; 70 s where Parallel
                                 Consumer runs)
          --concurrency=1,4,...  the concurrencies (default 1,4,16,64,256)
          --variants=a,b         variants whose name starts with one of these (default all:
                                 parallel-consumer-0.5.3.3, thread-pool)
          --orderings=KEY,...    only these orderings (default all)
          --records=N            N records at every point (default max(2000, concurrency x
                                 --per-thread))
          --per-thread=M         records per unit of concurrency (default 5000, about 5 s a point
                                 at 1 ms per record)
          --keys=K               distinct keys (default 10000)
          --wait=park|sleep      LockSupport.parkNanos to 1 ms (default) or Thread.sleep(1)
          --timeout=S            seconds a point may take at most (default 300)
          --no-resume-check      skip Parallel Consumer's resume check
          -Dbroker=inline        the broker in the harness's JVM (default: a JVM of its own)
        """;

    List<Integer> concurrencies = List.of(1, 4, 16, 64, 256);
    List<String> variants = List.of();
    List<Ordering> orderings = List.of();
    int records = -1;
    int perThread = 5000;
    int keys = 10_000;
    WaitKind wait = WaitKind.PARK;
    Duration timeout = Duration.ofMinutes(5);
    boolean resumeCheck = true;

    static @Nullable Options parse(String[] args) {
      Options o = new Options();
      for (String arg : args) {
        int eq = arg.indexOf('=');
        String name = eq < 0 ? arg : arg.substring(0, eq);
        String value = eq < 0 ? "" : arg.substring(eq + 1);
        switch (name) {
          case "--quick" -> o.concurrencies = List.of(1, 16);
          case "--concurrency" -> o.concurrencies = ints(value);
          case "--variants" -> o.variants = List.of(value.split(",", -1));
          case "--orderings" ->
              o.orderings =
                  Arrays.stream(value.split(",", -1))
                      .map(s -> Ordering.valueOf(s.trim().toUpperCase(Locale.ROOT)))
                      .toList();
          case "--records" -> o.records = Integer.parseInt(value);
          case "--per-thread" -> o.perThread = Integer.parseInt(value);
          case "--keys" -> o.keys = Integer.parseInt(value);
          case "--wait" -> o.wait = WaitKind.valueOf(value.toUpperCase(Locale.ROOT));
          case "--timeout" -> o.timeout = Duration.ofSeconds(Long.parseLong(value));
          case "--no-resume-check" -> o.resumeCheck = false;
          case "--help", "-h" -> {
            return null;
          }
          default -> throw new IllegalArgumentException("unknown option " + arg + "\n" + USAGE);
        }
      }
      return o;
    }

    private static List<Integer> ints(String value) {
      return Arrays.stream(value.split(",", -1)).map(s -> Integer.parseInt(s.trim())).toList();
    }

    int records(int concurrency) {
      return records > 0 ? records : Math.max(2000, concurrency * perThread);
    }

    List<Variant> select(List<Variant> all) {
      return all.stream()
          .filter(v -> variants.isEmpty() || variants.stream().anyMatch(v.name()::startsWith))
          .filter(v -> orderings.isEmpty() || orderings.contains(v.ordering()))
          .toList();
    }
  }
}
