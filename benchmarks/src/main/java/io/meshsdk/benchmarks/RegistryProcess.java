package io.meshsdk.benchmarks;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A real schema registry in a JVM of its own: the Apicurio Registry server that {@code
 * tools/test-registry} builds, on a free port, serving the Confluent API at {@code
 * /apis/ccompat/v7} and its own at {@code /apis/registry/v2}. Harnesses that compare the SDK with
 * other clients point both at it.
 *
 * <p>The jar is {@code -Dregistry.jar=path}, by default the runner jar in {@code
 * tools/test-registry/target} under the working directory. Not thread-safe; the caller owns the
 * handle and closes it, which stops the server.
 */
public final class RegistryProcess implements AutoCloseable {
  private static final Pattern LISTENING =
      Pattern.compile("Listening on: http://127\\.0\\.0\\.1:(\\d+)");

  /** Apicurio's Prometheus counter of requests, one line per REST path (templated) and status. */
  private static final String REQUESTS = "rest_requests_seconds_count{";

  private final Process process;
  private final String base;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  private RegistryProcess(Process process, String base) {
    this.process = process;
    this.base = base;
  }

  /**
   * Starts the registry and waits until it is ready.
   *
   * @return the running registry
   * @throws IOException when the jar is missing or the server does not come up within 90 s
   * @throws InterruptedException when interrupted while waiting
   */
  public static RegistryProcess start() throws IOException, InterruptedException {
    Path jar = jar();
    Path log = Files.createTempFile("registry-", ".log");
    Process process =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m",
                "-Dquarkus.http.host=127.0.0.1",
                "-Dquarkus.http.port=0",
                "-jar",
                jar.toString())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
    int port = 0;
    while (port == 0 && process.isAlive() && System.nanoTime() < deadline) {
      Matcher m = LISTENING.matcher(Files.readString(log));
      if (m.find()) {
        port = Integer.parseInt(m.group(1));
      } else {
        Thread.sleep(100);
      }
    }
    RegistryProcess registry = new RegistryProcess(process, "http://127.0.0.1:" + port);
    if (port == 0 || !registry.ready(deadline)) {
      process.destroyForcibly();
      throw new IOException("the registry did not start; its log is " + log);
    }
    return registry;
  }

  private static Path jar() throws IOException {
    String configured = System.getProperty("registry.jar");
    if (configured != null) {
      Path jar = Path.of(configured);
      if (!Files.isRegularFile(jar)) {
        throw new IOException("-Dregistry.jar=" + configured + ": no such file");
      }
      return jar;
    }
    Path target = Path.of("tools", "test-registry", "target").toAbsolutePath();
    List<Path> jars = List.of();
    if (Files.isDirectory(target)) {
      try (Stream<Path> files = Files.list(target)) {
        jars = files.filter(p -> p.getFileName().toString().endsWith("-runner.jar")).toList();
      }
    }
    if (jars.isEmpty()) {
      throw new IOException(
          "no registry runner jar in "
              + target
              + ": build it (mvn -B -q package -pl tools/test-registry -DskipTests) and run from"
              + " the project's root, or give its path with -Dregistry.jar=...");
    }
    return jars.get(0);
  }

  private boolean ready(long deadline) throws InterruptedException {
    while (process.isAlive() && System.nanoTime() < deadline) {
      try {
        if (get("/health/ready").statusCode() == 200) {
          return true;
        }
      } catch (IOException e) {
        // not listening yet
      }
      Thread.sleep(100);
    }
    return false;
  }

  private HttpResponse<String> get(String path) throws IOException, InterruptedException {
    return http.send(
        HttpRequest.newBuilder(URI.create(base + path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /**
   * The Confluent-compatible API, for clients of Confluent's REST API.
   *
   * @return the base URL, ending in {@code /apis/ccompat/v7}
   */
  public String confluentUrl() {
    return base + "/apis/ccompat/v7";
  }

  /**
   * Apicurio's own API, for Apicurio's serializers and client.
   *
   * @return the base URL, ending in {@code /apis/registry/v2}
   */
  public String apicurioUrl() {
    return base + "/apis/registry/v2";
  }

  /**
   * Requests the server has answered on its APIs so far (not health or metrics), from its own
   * metrics; any client's requests count.
   *
   * @return the number of requests
   * @throws IOException when the metrics cannot be read
   * @throws InterruptedException when interrupted while reading them
   */
  public long requests() throws IOException, InterruptedException {
    long total = 0;
    for (String line : get("/metrics").body().split("\n")) {
      if (line.startsWith(REQUESTS) && line.contains("path=\"/apis/")) {
        total += (long) Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
      }
    }
    return total;
  }

  /** Stops the server (SIGTERM, then kill) and waits for it. */
  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(20, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }
}
