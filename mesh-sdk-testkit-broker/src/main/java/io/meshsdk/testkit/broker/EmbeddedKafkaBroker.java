package io.meshsdk.testkit.broker;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Stream;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;
import org.apache.kafka.common.utils.Time;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A single-node Kafka broker in KRaft mode (broker and controller in one), running inside this JVM
 * from Apache Kafka's own {@code kafka_2.13} and {@code kafka-server} artifacts, on free loopback
 * ports and a temporary log directory.
 *
 * <pre>{@code
 * EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.shared();   // started once per JVM
 * Mesh mesh = Mesh.builder().bootstrapServers(broker.bootstrapServers())...
 * }</pre>
 *
 * <p>{@link #stop()} and {@link #start()} restart the broker on the same directory and ports, so
 * tests can take the broker away in the middle of a run; {@link #close()} stops it and deletes its
 * directory. The broker is tuned for tests: replication factor 1, no initial rebalance delay, no
 * automatic topic creation, a small log-cleaner buffer that looks for work every second, short
 * session timeouts.
 *
 * <p>Thread-safety: thread-safe; start, stop and close are serialized.
 */
public final class EmbeddedKafkaBroker implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedKafkaBroker.class);
  private static volatile @Nullable EmbeddedKafkaBroker shared;

  private final Path directory;
  private final int brokerPort;
  private final int controllerPort;
  private final String clusterId;
  private final Map<String, String> overrides;
  private @Nullable KafkaRaftServer server;
  private boolean formatted;
  private boolean closed;

  private EmbeddedKafkaBroker(Map<String, String> overrides) {
    try {
      this.directory = Files.createTempDirectory("mesh-kafka-");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create the broker's temporary directory", e);
    }
    this.brokerPort = freePort();
    this.controllerPort = freePort();
    // Kafka's own ids never start with '-', which the storage tool would read as an option
    this.clusterId = org.apache.kafka.common.Uuid.randomUuid().toString();
    this.overrides = Map.copyOf(overrides);
  }

  /**
   * A new, not yet started broker with default settings.
   *
   * @return the broker; start it with {@link #start()}
   */
  public static EmbeddedKafkaBroker create() {
    return new EmbeddedKafkaBroker(Map.of());
  }

  /**
   * A new, not yet started broker with extra broker properties.
   *
   * @param overrides broker properties that replace the defaults
   * @return the broker
   */
  public static EmbeddedKafkaBroker create(Map<String, String> overrides) {
    return new EmbeddedKafkaBroker(overrides);
  }

  /**
   * The broker shared by every test in this JVM, started on first use and stopped when the JVM
   * exits. Do not stop or close it; create your own to test broker failures.
   *
   * @return the running shared broker
   * @throws IllegalStateException if it cannot start, with the broker's reason
   */
  public static EmbeddedKafkaBroker shared() {
    EmbeddedKafkaBroker broker = shared;
    if (broker == null) {
      synchronized (EmbeddedKafkaBroker.class) {
        broker = shared;
        if (broker == null) {
          broker = create();
          broker.start();
          EmbeddedKafkaBroker toClose = broker;
          Runtime.getRuntime().addShutdownHook(new Thread(toClose::close, "mesh-kafka-shutdown"));
          shared = broker;
        }
      }
    }
    return broker;
  }

  /**
   * The address clients connect to, {@code 127.0.0.1:<port>}.
   *
   * @return the bootstrap servers
   */
  public String bootstrapServers() {
    return "127.0.0.1:" + brokerPort;
  }

  /**
   * Whether the broker is running.
   *
   * @return {@code true} between {@link #start()} and {@link #stop()}
   */
  public synchronized boolean isRunning() {
    return server != null;
  }

  /**
   * Starts the broker (formatting its directory the first time) and waits until its client port
   * accepts connections. Starting a running broker does nothing.
   *
   * @return this broker
   * @throws IllegalStateException if the broker does not start, with Kafka's reason
   */
  public synchronized EmbeddedKafkaBroker start() {
    if (closed) {
      throw new IllegalStateException("broker was closed");
    }
    if (server != null) {
      return this;
    }
    long begin = System.nanoTime();
    Properties props = properties();
    try {
      if (!formatted) {
        format(props);
        formatted = true;
      }
      KafkaRaftServer s = new KafkaRaftServer(KafkaConfig.fromProps(props), Time.SYSTEM);
      s.startup();
      server = s;
    } catch (RuntimeException e) {
      throw new IllegalStateException(
          "embedded Kafka broker did not start on "
              + bootstrapServers()
              + " (directory "
              + directory
              + "): "
              + e,
          e);
    }
    awaitPort(Duration.ofSeconds(60));
    LOG.info(
        "Kafka broker started on {} in {} ms",
        bootstrapServers(),
        (System.nanoTime() - begin) / 1_000_000);
    return this;
  }

  /**
   * Stops the broker and waits for it to finish, keeping its data: {@link #start()} brings it back
   * on the same directory and ports. Stopping a stopped broker does nothing.
   */
  public synchronized void stop() {
    KafkaRaftServer s = server;
    if (s == null) {
      return;
    }
    server = null;
    s.shutdown();
    s.awaitShutdown();
    LOG.info("Kafka broker on {} stopped", bootstrapServers());
  }

  /** Stops the broker and deletes its directory. Idempotent. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    try {
      stop();
    } finally {
      closed = true;
      deleteDirectory();
    }
  }

  private Properties properties() {
    Properties p = new Properties();
    p.put("process.roles", "broker,controller");
    p.put("node.id", "1");
    p.put("controller.quorum.voters", "1@127.0.0.1:" + controllerPort);
    p.put(
        "listeners",
        "PLAINTEXT://127.0.0.1:" + brokerPort + ",CONTROLLER://127.0.0.1:" + controllerPort);
    p.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + brokerPort);
    p.put("controller.listener.names", "CONTROLLER");
    p.put("inter.broker.listener.name", "PLAINTEXT");
    p.put("listener.security.protocol.map", "CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT");
    p.put("log.dirs", directory.resolve("data").toString());
    p.put("num.partitions", "1");
    p.put("offsets.topic.replication.factor", "1");
    p.put("offsets.topic.num.partitions", "5");
    p.put("transaction.state.log.replication.factor", "1");
    p.put("transaction.state.log.min.isr", "1");
    p.put("transaction.state.log.num.partitions", "5");
    p.put("share.coordinator.state.topic.replication.factor", "1");
    p.put("share.coordinator.state.topic.min.isr", "1");
    p.put("group.initial.rebalance.delay.ms", "0");
    p.put("auto.create.topics.enable", "false");
    p.put("log.cleaner.dedupe.buffer.size", "2097152");
    // the cleaner looks for work every second rather than every 15, so compaction is testable
    p.put("log.cleaner.backoff.ms", "1000");
    p.put("broker.session.timeout.ms", "2000");
    p.put("broker.heartbeat.interval.ms", "500");

    p.putAll(overrides);
    return p;
  }

  private void format(Properties props) {
    Path config = directory.resolve("server.properties");
    try (var out = Files.newBufferedWriter(config, StandardCharsets.UTF_8)) {
      props.store(out, "Mesh SDK embedded broker");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    ByteArrayOutputStream output = new ByteArrayOutputStream();
    int code;
    try (PrintStream print = new PrintStream(output, true, StandardCharsets.UTF_8)) {
      code =
          StorageTool.execute(
              new String[] {
                "format", "-t", clusterId, "-c", config.toString(), "--ignore-formatted"
              },
              print);
    }
    if (code != 0) {
      throw new IllegalStateException(
          "formatting the broker's storage failed ("
              + code
              + "): "
              + output.toString(StandardCharsets.UTF_8));
    }
  }

  private void awaitPort(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      try (Socket socket = new Socket()) {
        socket.connect(new InetSocketAddress("127.0.0.1", brokerPort), 200);
        return;
      } catch (IOException e) {
        // not listening yet: the port opens once the broker is ready
        Thread.onSpinWait();
      }
    }
    throw new IllegalStateException(
        "embedded Kafka broker did not open " + bootstrapServers() + " within " + timeout);
  }

  private void deleteDirectory() {
    try (Stream<Path> paths = Files.walk(directory)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      LOG.warn("could not delete {}: {}", directory, e.toString());
    }
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())) {
      socket.setReuseAddress(true);
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("no free port", e);
    }
  }

  @Override
  public String toString() {
    return "EmbeddedKafkaBroker[" + bootstrapServers() + ", running=" + isRunning() + "]";
  }
}
