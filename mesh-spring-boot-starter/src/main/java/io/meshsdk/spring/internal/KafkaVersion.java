package io.meshsdk.spring.internal;

import java.io.IOException;
import java.io.InputStream;
import java.util.Optional;
import java.util.Properties;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Compares the kafka-clients on the class path with the version Mesh SDK was built with. Spring
 * Boot's dependency management pins an older kafka-clients than Mesh SDK's, and a build that lets
 * it win runs the SDK on a client it was never tested with: the starter warns at start rather than
 * fail, because a patch of the same line may be what a user chose on purpose.
 *
 * <p>Thread-safety: stateless.
 */
public final class KafkaVersion {
  private static final Logger log = LoggerFactory.getLogger(KafkaVersion.class);

  private KafkaVersion() {}

  /**
   * The kafka-clients version Mesh SDK was built with.
   *
   * @return the version, from the starter's build
   */
  public static String built() {
    Properties p = new Properties();
    try (InputStream in = KafkaVersion.class.getResourceAsStream("build.properties")) {
      if (in != null) {
        p.load(in);
      }
    } catch (IOException e) {
      return "unknown";
    }
    return p.getProperty("kafka.version", "unknown");
  }

  /**
   * The kafka-clients version on the class path, read from the jar's {@code
   * kafka/kafka-version.properties} as Kafka's {@code AppInfoParser} does (that class moved between
   * versions).
   *
   * @return the version, or {@code unknown}
   */
  public static String running() {
    Properties p = new Properties();
    try (InputStream in =
        KafkaProducer.class.getResourceAsStream("/kafka/kafka-version.properties")) {
      if (in != null) {
        p.load(in);
      }
    } catch (IOException e) {
      return "unknown";
    }
    return p.getProperty("version", "unknown").strip();
  }

  /** Logs a warning when the kafka-clients on the class path is older than the built one. */
  public static void warnIfOlderThanBuilt() {
    warning(running(), built()).ifPresent(log::warn);
  }

  /**
   * The warning for a running version older than the built one.
   *
   * @param running the kafka-clients on the class path
   * @param built the version Mesh SDK was built with
   * @return the warning, empty when the running version is not older or either is unknown
   */
  public static Optional<String> warning(String running, String built) {
    int[] r = parse(running);
    int[] b = parse(built);
    if (r.length == 0 || b.length == 0) {
      return Optional.empty();
    }
    for (int i = 0; i < 3; i++) {
      if (r[i] != b[i]) {
        return r[i] > b[i]
            ? Optional.empty()
            : Optional.of(
                "kafka-clients "
                    + running
                    + " is on the class path, older than "
                    + built
                    + " which Mesh SDK was built and tested with; Spring Boot's dependency"
                    + " management probably chose it: set <kafka.version>"
                    + built
                    + "</kafka.version> (docs/spring-boot.md, Setup)");
      }
    }
    return Optional.empty();
  }

  private static int[] parse(String version) {
    String[] parts = version.split("[.-]");
    int[] n = new int[3];
    try {
      for (int i = 0; i < 3; i++) {
        n[i] = i < parts.length ? Integer.parseInt(parts[i]) : 0;
      }
    } catch (NumberFormatException e) {
      return new int[0];
    }
    return n;
  }
}
