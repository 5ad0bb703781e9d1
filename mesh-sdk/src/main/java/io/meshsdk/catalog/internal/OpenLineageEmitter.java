package io.meshsdk.catalog.internal;

import io.meshsdk.catalog.internal.OpenLineageEvents.Dataset;
import io.meshsdk.catalog.internal.OpenLineageEvents.Figures;
import io.meshsdk.catalog.internal.OpenLineageSettings.Transport;
import io.meshsdk.consumer.FailureReason;
import io.meshsdk.contract.ProductContract;
import io.meshsdk.lineage.internal.EventIds;
import io.meshsdk.telemetry.MeshMetrics;
import io.meshsdk.telemetry.internal.Telemetry;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.apache.kafka.clients.producer.Producer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends the OpenLineage run events of one mesh (issue 18 §4): {@code START} when its first client
 * is created, a {@code RUNNING} event when it begins to read or write a topic it had not before and
 * a {@code RUNNING} snapshot every interval, each listing every input and output with its facets
 * and figures; {@code COMPLETE} when the mesh closes, or {@code FAIL} as soon as one of its clients
 * stopped on a failure (which ends the run: nothing follows it). One run id, a UUID v7, for all
 * events of the mesh.
 *
 * <p>Inputs are the topics the mesh's consumers read (processors' and migrating consumers'
 * included); outputs the topics its producers write (processors' and dual producers' included) and
 * the consumers' dead-letter topics, which they write too. The figures come from the mesh's meters:
 * records read and written (only with a {@code MeterRegistry}: without one the mesh does not time
 * records), contract violations and dead letters (always).
 *
 * <p>Never on the data path: creating a client only records its topic and may queue an event; the
 * events are built and sent by one daemon thread, {@code mesh-openlineage-{application}}, started
 * with the first client. The queue is bounded: when it is full an event is dropped and counted
 * ({@value MeshMetrics#OPENLINEAGE_EVENTS}, outcome {@code dropped}; logged once). A transport that
 * fails is logged once per outage (WARN, secrets masked), the failures counted, the recovery logged
 * once. The final event does not queue: it goes out after the queued ones, and {@link #close()}
 * waits for it at most the configured timeout.
 *
 * <p>Thread-safety: thread-safe. Ownership: owned and closed by the mesh, before the mesh's shared
 * producer (which the {@code kafka} transport writes through) is closed.
 */
public final class OpenLineageEmitter implements AutoCloseable {
  /** The logger of the {@code log} transport: one INFO line per event. */
  public static final String EVENT_LOGGER = "io.meshsdk.openlineage";

  private static final Logger LOG = LoggerFactory.getLogger(OpenLineageEmitter.class);

  /** Dead-letter reasons that mean a record could not be read by its contract. */
  private static final Set<String> DECODING =
      java.util.Arrays.stream(FailureReason.values())
          .filter(FailureReason::isDecoding)
          .map(FailureReason::code)
          .collect(java.util.stream.Collectors.toUnmodifiableSet());

  private final boolean enabled;
  private final OpenLineageSettings settings;
  private final String application;
  private final String bootstrapServers;
  private final String jobNamespace;
  private final String key;
  private final UUID runId = EventIds.nextUuid();
  private final MeterRegistry meters;
  private final boolean recordCounts;
  private final OpenLineageTransport transport;
  private final @Nullable Counter sent;
  private final @Nullable Counter failedSends;
  private final @Nullable Counter dropped;

  // guarded by lock
  private final Object lock = new Object();
  private final Map<String, InputState> inputs = new LinkedHashMap<>();
  private final Map<String, OutputState> outputs = new LinkedHashMap<>();
  private final ArrayDeque<Pending> queue = new ArrayDeque<>();
  private @Nullable Pending terminal;
  private boolean started;
  private boolean finishing;
  private boolean closed;
  private boolean warnedFull;
  private @Nullable Thread thread;

  // emitter thread only
  private boolean failing;
  private long failuresInOutage;

  /**
   * The emitter of a mesh; with transport {@code none} one that does nothing and starts no thread.
   *
   * @param settings where and how often
   * @param application the application id, the job's name
   * @param bootstrapServers the Kafka cluster, the datasets' namespace
   * @param telemetry the mesh's meters: the figures are read from them, and the emitter counts its
   *     events in them
   * @param producer the mesh's shared producer, for the {@code kafka} transport (asked for only
   *     when an event is sent)
   * @return the emitter
   */
  public static OpenLineageEmitter create(
      OpenLineageSettings settings,
      String application,
      String bootstrapServers,
      Telemetry telemetry,
      Supplier<Producer<byte[], byte[]>> producer) {
    OpenLineageTransport transport =
        switch (settings.transport()) {
          case NONE, LOG -> new LogTransport();
          case HTTP ->
              new HttpTransport(
                  Objects.requireNonNull(settings.uri()), settings.apiKey(), settings.timeout());
          case KAFKA ->
              new KafkaTransport(
                  producer, Objects.requireNonNull(settings.topic()), settings.timeout());
        };
    return new OpenLineageEmitter(settings, application, bootstrapServers, telemetry, transport);
  }

  /** An emitter with the given transport (tests give their own). */
  OpenLineageEmitter(
      OpenLineageSettings settings,
      String application,
      String bootstrapServers,
      Telemetry telemetry,
      OpenLineageTransport transport) {
    this.settings = settings;
    this.enabled = settings.transport() != Transport.NONE;
    this.application = application;
    this.bootstrapServers = bootstrapServers;
    this.jobNamespace =
        settings.namespace() != null
            ? settings.namespace()
            : OpenLineageEvents.datasetNamespace(bootstrapServers);
    this.key = jobNamespace + "/" + application;
    this.meters = telemetry.meters();
    this.recordCounts = telemetry.metricsEnabled();
    this.transport = transport;
    this.sent = enabled ? counter("sent") : null;
    this.failedSends = enabled ? counter("failed") : null;
    this.dropped = enabled ? counter("dropped") : null;
  }

  private Counter counter(String outcome) {
    return Counter.builder(MeshMetrics.OPENLINEAGE_EVENTS)
        .description("OpenLineage run events of the mesh")
        .tags(MeshMetrics.TAG_APPLICATION, application, MeshMetrics.TAG_OUTCOME, outcome)
        .register(meters);
  }

  /**
   * The run's id, the same in every event of this mesh.
   *
   * @return the run id
   */
  public UUID runId() {
    return runId;
  }

  /**
   * A producer of the mesh writes a topic: an output.
   *
   * @param contract the product
   * @param topic the topic
   */
  public void producing(ProductContract<?> contract, String topic) {
    if (!enabled) {
      return;
    }
    synchronized (lock) {
      boolean added = false;
      if (!outputs.containsKey(topic)) {
        outputs.put(topic, OutputState.produced(topic, contract));
        added = true;
      }
      changed(added);
    }
  }

  /**
   * A consumer of the mesh reads a topic: an input, and its dead-letter topic an output.
   *
   * @param contract the product as the consumer reads it
   * @param topic the topic read
   * @param group the consumer group
   * @param deadLetterTopic the consumer's dead-letter topic
   */
  public void consuming(
      ProductContract<?> contract, String topic, String group, String deadLetterTopic) {
    if (!enabled) {
      return;
    }
    Reader reader = new Reader(contract.id(), contract.version().toString(), group);
    synchronized (lock) {
      boolean added = false;
      InputState in = inputs.get(topic);
      if (in == null) {
        in = new InputState(topic, contract, new LinkedHashSet<>());
        inputs.put(topic, in);
        added = true;
      }
      in.readers().add(reader);
      if (!outputs.containsKey(deadLetterTopic)) {
        outputs.put(deadLetterTopic, OutputState.deadLetters(deadLetterTopic, contract, topic));
        added = true;
      }
      OutputState out = outputs.get(deadLetterTopic);
      if (out != null) {
        out.readers().add(reader);
      }
      changed(added);
    }
  }

  /**
   * A client of the mesh stopped on a failure: the run fails ({@code FAIL}, after the events
   * already queued), and no event follows.
   *
   * @param description what stopped, without payload values
   */
  public void failed(String description) {
    if (!enabled) {
      return;
    }
    synchronized (lock) {
      if (!started || terminal != null) {
        return;
      }
      terminal = pending(OpenLineageEvents.Type.FAIL, description, false);
      finishing = true;
      lock.notifyAll();
    }
    LOG.info("{}: OpenLineage run {} fails: {}", application, runId, description);
  }

  /**
   * The mesh begins to close: the final {@code COMPLETE} event is taken now, with the figures of
   * the clients before they close (closing them removes their meters). Idempotent.
   */
  public void closing() {
    if (!enabled) {
      return;
    }
    synchronized (lock) {
      if (started && terminal == null) {
        terminal = pending(OpenLineageEvents.Type.COMPLETE, null, true);
      }
    }
  }

  /**
   * Sends the final event ({@code COMPLETE}, unless the run failed) after the queued ones, waiting
   * for them at most the configured timeout, and stops the thread. Idempotent.
   */
  @Override
  public void close() {
    if (!enabled) {
      return;
    }
    Thread t;
    synchronized (lock) {
      if (closed) {
        return;
      }
      closed = true;
      if (started && terminal == null) {
        terminal = pending(OpenLineageEvents.Type.COMPLETE, null, true);
      }
      finishing = true;
      lock.notifyAll();
      t = thread;
    }
    if (t != null) {
      try {
        t.join(settings.timeout().toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      if (t.isAlive()) {
        LOG.warn(
            "{}: the last OpenLineage events did not reach {} within {}; given up",
            application,
            settings.destination(),
            settings.timeout());
        t.interrupt();
      }
    }
    transport.close();
  }

  /** Called under the lock when a client was created; starts the run at the first. */
  private void changed(boolean newDataset) {
    if (closed || terminal != null) {
      return;
    }
    if (!started) {
      started = true;
      enqueue(pending(OpenLineageEvents.Type.START, null, false));
      Thread t = new Thread(this::run, "mesh-openlineage-" + application);
      t.setDaemon(true);
      thread = t;
      t.start();
    } else if (newDataset) {
      enqueue(pending(OpenLineageEvents.Type.RUNNING, null, false));
    }
  }

  /** Under the lock: queues an event, or drops and counts it when the queue is full. */
  private void enqueue(Pending event) {
    if (queue.size() >= settings.queueCapacity()) {
      Telemetry.safely(Objects.requireNonNull(dropped)::increment);
      if (!warnedFull) {
        warnedFull = true;
        LOG.warn(
            "{}: the OpenLineage queue ({} events) is full, {} is slow or unreachable: events are"
                + " dropped and counted ({}, outcome dropped); records are not affected",
            application,
            settings.queueCapacity(),
            settings.destination(),
            MeshMetrics.OPENLINEAGE_EVENTS);
      }
      return;
    }
    queue.add(event);
    lock.notifyAll();
  }

  /**
   * Under the lock: an event of the datasets known now; their figures are read when it is sent, or
   * now when {@code figuresNow} (the final event, before the clients close).
   */
  private Pending pending(OpenLineageEvents.Type type, @Nullable String error, boolean figuresNow) {
    List<Source> in = new ArrayList<>();
    for (InputState s : inputs.values()) {
      List<Reader> readers = List.copyOf(s.readers());
      in.add(new Source(s.topic(), s.contract(), s.contract().description(), () -> input(readers)));
    }
    List<Source> out = new ArrayList<>();
    for (OutputState s : outputs.values()) {
      List<Reader> readers = List.copyOf(s.readers());
      ProductContract<?> c = s.contract();
      String version = c.version().toString();
      out.add(
          s.deadLettersOf() != null
              ? new Source(
                  s.topic(),
                  c,
                  "Dead letters of "
                      + s.deadLettersOf()
                      + ": its records the consumer gave up on, as they were, with mesh.dlq.*"
                      + " headers saying why",
                  () -> deadLetters(readers))
              : new Source(s.topic(), c, c.description(), () -> output(c.id(), version)));
    }
    if (figuresNow) {
      in.replaceAll(Source::fixed);
      out.replaceAll(Source::fixed);
    }
    return new Pending(type, Instant.now(), error, List.copyOf(in), List.copyOf(out));
  }

  // ---- the emitter thread ------------------------------------------------------------------

  private void run() {
    long interval = settings.interval().toNanos();
    long nextTick = System.nanoTime() + interval;
    try {
      while (true) {
        Pending next;
        synchronized (lock) {
          long wait = nextTick - System.nanoTime();
          while (queue.isEmpty() && !finishing && wait > 0) {
            TimeUnit.NANOSECONDS.timedWait(lock, wait);
            wait = nextTick - System.nanoTime();
          }
          next = queue.poll();
          if (next == null) {
            if (finishing) {
              break;
            }
            nextTick = System.nanoTime() + interval;
            next = pending(OpenLineageEvents.Type.RUNNING, null, false); // the periodic snapshot
          }
        }
        send(next);
      }
      Pending last;
      synchronized (lock) {
        last = terminal;
      }
      if (last != null) {
        send(last);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt(); // close() gave up waiting
    } catch (RuntimeException e) {
      LOG.warn("{}: OpenLineage events stopped: {}", application, e.toString());
    }
  }

  private void send(Pending event) throws InterruptedException {
    String json;
    try {
      json =
          OpenLineageEvents.runEvent(
              event.type(),
              runId,
              event.time(),
              jobNamespace,
              application,
              bootstrapServers,
              event.inputs().stream().map(Source::dataset).toList(),
              event.outputs().stream().map(Source::dataset).toList(),
              event.error());
    } catch (RuntimeException e) {
      LOG.warn("{}: building an OpenLineage event failed: {}", application, e.toString());
      return;
    }
    try {
      transport.send(key, json);
    } catch (InterruptedException e) {
      throw e;
    } catch (Exception e) {
      Telemetry.safely(Objects.requireNonNull(failedSends)::increment);
      failuresInOutage++;
      if (!failing) {
        failing = true;
        LOG.warn(
            "{}: OpenLineage events cannot be sent to {}: {}; further failures are only counted"
                + " ({}, outcome failed) until one is sent; records are not affected",
            application,
            settings.destination(),
            reason(e),
            MeshMetrics.OPENLINEAGE_EVENTS);
      }
      return;
    }
    Telemetry.safely(Objects.requireNonNull(sent)::increment);
    if (failing) {
      failing = false;
      LOG.info(
          "{}: OpenLineage events reach {} again ({} could not be sent meanwhile)",
          application,
          settings.destination(),
          failuresInOutage);
      failuresInOutage = 0;
    }
  }

  /** Why a send failed, with the API key and the URL's user-info masked wherever they appear. */
  private String reason(Exception e) {
    Throwable cause =
        e instanceof java.util.concurrent.ExecutionException && e.getCause() != null
            ? e.getCause()
            : e;
    String text = cause.toString();
    String apiKey = settings.apiKey();
    if (apiKey != null) {
      text = text.replace(apiKey, "***");
    }
    var uri = settings.uri();
    if (uri != null && uri.getRawUserInfo() != null) {
      text = text.replace(uri.getRawUserInfo(), "***");
    }
    return text;
  }

  // ---- figures, from the mesh's meters -------------------------------------------------------

  private Figures input(List<Reader> readers) {
    long records = 0;
    long violations = 0;
    long deadLetters = 0;
    for (Reader r : readers) {
      Tags tags = r.tags(application);
      if (recordCounts) {
        for (String outcome : List.of("success", "dead_letter", "skip")) {
          records +=
              meters
                  .find(MeshMetrics.CONSUME)
                  .tags(tags)
                  .tag(MeshMetrics.TAG_OUTCOME, outcome)
                  .timers()
                  .stream()
                  .mapToLong(t -> t.count())
                  .sum();
        }
      }
      for (Counter c : meters.find(MeshMetrics.DLQ).tags(tags).counters()) {
        long n = (long) c.count();
        deadLetters += n;
        if (DECODING.contains(c.getId().getTag(MeshMetrics.TAG_REASON))) {
          violations += n;
        }
      }
    }
    return new Figures(
        recordCounts ? OptionalLong.of(records) : OptionalLong.empty(),
        OptionalLong.of(violations),
        OptionalLong.of(deadLetters));
  }

  private Figures deadLetters(List<Reader> readers) {
    long n = 0;
    for (Reader r : readers) {
      n +=
          (long)
              meters.find(MeshMetrics.DLQ).tags(r.tags(application)).counters().stream()
                  .mapToDouble(Counter::count)
                  .sum();
    }
    return new Figures(OptionalLong.of(n), OptionalLong.empty(), OptionalLong.empty());
  }

  private Figures output(String product, String version) {
    Tags tags =
        Tags.of(
            MeshMetrics.TAG_APPLICATION, application,
            MeshMetrics.TAG_PRODUCT, product,
            MeshMetrics.TAG_VERSION, version);
    long records =
        meters
            .find(MeshMetrics.PRODUCE)
            .tags(tags)
            .tag(MeshMetrics.TAG_OUTCOME, "success")
            .timers()
            .stream()
            .mapToLong(t -> t.count())
            .sum();
    long violations =
        (long)
            meters.find(MeshMetrics.CONTRACT_VIOLATIONS).tags(tags).counters().stream()
                .mapToDouble(Counter::count)
                .sum();
    return new Figures(
        recordCounts ? OptionalLong.of(records) : OptionalLong.empty(),
        OptionalLong.of(violations),
        OptionalLong.empty());
  }

  @Override
  public String toString() {
    return "OpenLineageEmitter[" + application + ", " + settings + ", run " + runId + "]";
  }

  // ---- state ---------------------------------------------------------------------------------

  /** A consumer group reading a product version: the tags of its meters. */
  private record Reader(String product, String version, String group) {
    Tags tags(String application) {
      return Tags.of(
          MeshMetrics.TAG_APPLICATION, application,
          MeshMetrics.TAG_PRODUCT, product,
          MeshMetrics.TAG_VERSION, version,
          MeshMetrics.TAG_GROUP, group);
    }
  }

  private record InputState(String topic, ProductContract<?> contract, Set<Reader> readers) {}

  /** A topic written: by producers, or the dead letters of the consumers reading another topic. */
  private record OutputState(
      String topic,
      ProductContract<?> contract,
      @Nullable String deadLettersOf,
      Set<Reader> readers) {
    static OutputState produced(String topic, ProductContract<?> contract) {
      return new OutputState(topic, contract, null, new LinkedHashSet<>());
    }

    static OutputState deadLetters(String topic, ProductContract<?> contract, String source) {
      return new OutputState(topic, contract, source, new LinkedHashSet<>());
    }
  }

  /** A dataset of an event, its figures read when the event is built. */
  private record Source(
      String topic, ProductContract<?> contract, String description, Supplier<Figures> figures) {
    Dataset dataset() {
      Figures f;
      try {
        f = figures.get();
      } catch (RuntimeException e) {
        Telemetry.failed(e);
        f = Figures.UNKNOWN;
      }
      return new Dataset(topic, contract, description, f);
    }

    Source fixed() {
      Figures now = dataset().figures();
      return new Source(topic, contract, description, () -> now);
    }
  }

  /** An event to send: what happened, when, and the datasets known then. */
  private record Pending(
      OpenLineageEvents.Type type,
      Instant time,
      @Nullable String error,
      List<Source> inputs,
      List<Source> outputs) {}
}
