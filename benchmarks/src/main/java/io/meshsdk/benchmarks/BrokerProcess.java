package io.meshsdk.benchmarks;

import io.meshsdk.testkit.broker.EmbeddedKafkaBroker;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A KRaft broker in a JVM of its own, for harnesses that measure clients without the broker's
 * threads, heap and garbage collector in the measuring JVM.
 *
 * <p>{@link #main} starts an {@link EmbeddedKafkaBroker}, prints {@code BOOTSTRAP host:port} on
 * standard output and runs until its standard input closes (so it never outlives the harness that
 * started it). {@link #start} launches it with the caller's class path and Java. Not thread-safe;
 * the caller owns the handle and closes it.
 */
public final class BrokerProcess implements AutoCloseable {
  private static final String PREFIX = "BOOTSTRAP ";

  private final Process process;
  private final String bootstrapServers;

  private BrokerProcess(Process process, String bootstrapServers) {
    this.process = process;
    this.bootstrapServers = bootstrapServers;
  }

  /**
   * Starts a broker in a child JVM and waits until it accepts connections.
   *
   * @param jvmOptions options for the broker's JVM (heap size, for example)
   * @return the running broker
   * @throws IOException when the JVM cannot be started or the broker does not come up
   */
  public static BrokerProcess start(List<String> jvmOptions) throws IOException {
    return start(jvmOptions, Map.of());
  }

  /**
   * Starts a broker in a child JVM with broker properties of the caller's and waits until it
   * accepts connections.
   *
   * @param jvmOptions options for the broker's JVM (heap size, for example)
   * @param brokerProperties broker properties that replace the {@link EmbeddedKafkaBroker}'s
   *     defaults
   * @return the running broker
   * @throws IOException when the JVM cannot be started or the broker does not come up
   */
  public static BrokerProcess start(List<String> jvmOptions, Map<String, String> brokerProperties)
      throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(jvmOptions);
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(BrokerProcess.class.getName());
    brokerProperties.forEach((k, v) -> command.add(k + "=" + v));
    Process process =
        new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    String line = readLine(process.getInputStream());
    if (line == null || !line.startsWith(PREFIX)) {
      process.destroyForcibly();
      throw new IOException("the broker process did not start; it printed: " + line);
    }
    return new BrokerProcess(process, line.substring(PREFIX.length()).trim());
  }

  private static String readLine(InputStream in) throws IOException {
    StringBuilder sb = new StringBuilder();
    int c;
    while ((c = in.read()) != -1 && c != '\n') {
      sb.append((char) c);
    }
    return c == -1 && sb.length() == 0 ? null : sb.toString();
  }

  /**
   * The broker's bootstrap servers.
   *
   * @return {@code host:port}
   */
  public String bootstrapServers() {
    return bootstrapServers;
  }

  /**
   * CPU time the broker's JVM has used so far (all its threads), where the operating system reports
   * it.
   *
   * @return the CPU time in nanoseconds, or -1 when it is not known
   */
  public long cpuNanos() {
    return process.info().totalCpuDuration().map(Duration::toNanos).orElse(-1L);
  }

  /** Closes the broker's standard input, which stops it, and waits for the JVM to end. */
  @Override
  public void close() {
    try {
      process.getOutputStream().close();
      if (!process.waitFor(60, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    } catch (IOException e) {
      process.destroyForcibly();
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }

  /**
   * Runs a broker until standard input closes.
   *
   * @param args broker properties as {@code name=value}, replacing the defaults
   * @throws IOException when reading standard input fails
   * @throws IllegalArgumentException when an argument is not {@code name=value}
   */
  public static void main(String[] args) throws IOException {
    Map<String, String> properties = new LinkedHashMap<>();
    for (String arg : args) {
      int eq = arg.indexOf('=');
      if (eq <= 0) {
        throw new IllegalArgumentException("a broker property is name=value, not " + arg);
      }
      properties.put(arg.substring(0, eq), arg.substring(eq + 1));
    }
    try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.create(properties).start()) {
      System.out.println(PREFIX + broker.bootstrapServers());
      System.out.flush();
      while (System.in.read() != -1) {
        // wait for the parent to close our input
      }
    }
  }
}
