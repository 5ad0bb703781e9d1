package io.meshsdk.it;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/**
 * A real schema registry server for the tests: Apicurio Registry (built by {@code
 * tools/test-registry}) in a child JVM on a free port, serving the Confluent API at {@code
 * /apis/ccompat/v7}. Started once per test JVM by {@link #shared()}; tests that stop it start it
 * again on the same port. Apicurio's global compatibility default is {@code NONE}; the fixture sets
 * Confluent's {@code BACKWARD} at start.
 */
final class ApicurioRegistry {
  private static final Pattern LISTENING =
      Pattern.compile("Listening on: http://127\\.0\\.0\\.1:(\\d+)");
  private static ApicurioRegistry shared;

  private final Path jar;
  private final Path log;
  private final @Nullable Path dataDir;
  private Process process;
  private int port;

  private ApicurioRegistry(Path jar, @Nullable Path dataDir) throws IOException {
    this.jar = jar;
    this.log = Files.createTempFile("apicurio-", ".log");
    this.dataDir = dataDir;
  }

  /**
   * A registry of its own whose storage is a file (H2 on disk) rather than memory, so that a stop
   * and a start on the same port keep its schemas and ids, as a production registry's database
   * would. Stop it when done.
   */
  static ApicurioRegistry persistent() {
    try {
      ApicurioRegistry r =
          new ApicurioRegistry(runnerJar(), Files.createTempDirectory("apicurio-data-"));
      r.start();
      Runtime.getRuntime().addShutdownHook(new Thread(r::stop, "apicurio-shutdown"));
      return r;
    } catch (IOException e) {
      throw new IllegalStateException("cannot start the test registry: " + e, e);
    }
  }

  static synchronized ApicurioRegistry shared() {
    if (shared == null) {
      try {
        ApicurioRegistry r = new ApicurioRegistry(runnerJar(), null);
        r.start();
        Runtime.getRuntime().addShutdownHook(new Thread(r::stop, "apicurio-shutdown"));
        shared = r;
      } catch (IOException e) {
        throw new IllegalStateException("cannot start the test registry: " + e, e);
      }
    }
    return shared;
  }

  private static Path runnerJar() throws IOException {
    Path target = Path.of("..", "tools", "test-registry", "target").toAbsolutePath().normalize();
    try (Stream<Path> files = Files.list(target)) {
      return files
          .filter(p -> p.getFileName().toString().endsWith("-runner.jar"))
          .findFirst()
          .orElseThrow(
              () ->
                  new IllegalStateException(
                      "no runner jar in "
                          + target
                          + ": build tools/test-registry first (mvn -B verify does)"));
    }
  }

  /** The Confluent-compatible base URL. */
  String url() {
    return "http://127.0.0.1:" + port + "/apis/ccompat/v7";
  }

  synchronized void start() {
    if (process != null && process.isAlive()) {
      return;
    }
    try {
      Files.writeString(log, "");
      ProcessBuilder pb =
          new ProcessBuilder(
                  Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                  "-Xmx256m",
                  "-Dquarkus.http.host=127.0.0.1",
                  "-Dquarkus.http.port=" + port,
                  "-jar",
                  jar.toString())
              .redirectErrorStream(true)
              .redirectOutput(log.toFile());
      if (dataDir != null) {
        pb.environment()
            .put(
                "REGISTRY_DATASOURCE_URL",
                "jdbc:h2:file:" + dataDir.resolve("registry").toAbsolutePath());
      }
      process = pb.start();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
      while (System.nanoTime() < deadline && process.isAlive()) {
        Matcher m = LISTENING.matcher(Files.readString(log));
        if (m.find()) {
          port = Integer.parseInt(m.group(1));
          break;
        }
        Thread.onSpinWait();
      }
      if (port == 0 || !process.isAlive()) {
        throw new IllegalStateException("the test registry did not start:\n" + tail());
      }
      HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
      while (System.nanoTime() < deadline) {
        try {
          int status =
              http.send(
                      HttpRequest.newBuilder(
                              URI.create("http://127.0.0.1:" + port + "/health/ready"))
                          .build(),
                      HttpResponse.BodyHandlers.discarding())
                  .statusCode();
          if (status == 200) {
            break;
          }
        } catch (IOException e) {
          // not ready yet
        }
      }
      HttpRequest config =
          HttpRequest.newBuilder(URI.create(url() + "/config"))
              .header("Content-Type", "application/vnd.schemaregistry.v1+json")
              .PUT(HttpRequest.BodyPublishers.ofString("{\"compatibility\":\"BACKWARD\"}"))
              .build();
      HttpResponse<String> answer = http.send(config, HttpResponse.BodyHandlers.ofString());
      if (answer.statusCode() != 200) {
        throw new IllegalStateException(
            "setting the test registry's compatibility failed: " + answer.body());
      }
    } catch (IOException e) {
      throw new IllegalStateException("the test registry did not start: " + e + "\n" + tail(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /**
   * Stops the server (SIGTERM, then kill) and waits for it. Its data is lost (in-memory storage).
   */
  synchronized void stop() {
    if (process == null) {
      return;
    }
    process.destroy();
    try {
      if (!process.waitFor(20, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private String tail() {
    try {
      List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
    } catch (IOException e) {
      return "(no log: " + e + ")";
    }
  }
}
