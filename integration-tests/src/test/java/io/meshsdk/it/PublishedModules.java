package io.meshsdk.it;

import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * The modules published to Maven Central with jars, and where this build put their jars: the
 * published modules are packaged before the integration tests run.
 */
final class PublishedModules {
  static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
  static final String VERSION = "0.1.0-SNAPSHOT";

  private PublishedModules() {}

  /** Every published module: {@code @MethodSource("io.meshsdk.it.PublishedModules#names")}. */
  static Stream<String> names() {
    return Stream.concat(libraries(), Stream.of("mesh-maven-plugin"));
  }

  /**
   * The published libraries, whose Java API users call. The Maven plugin's interface is its goals
   * and parameters ({@code MavenPluginDescriptorTest}), not its classes.
   */
  static Stream<String> libraries() {
    return Stream.of(
        "mesh-sdk",
        "mesh-sdk-testkit",
        "mesh-sdk-testkit-memory",
        "mesh-sdk-testkit-broker",
        "mesh-spring-boot-starter",
        "mesh-streams",
        "mesh-connect");
  }

  /** A module's jar, or with a classifier ({@code sources}, {@code javadoc}). */
  static Path jar(String module, String... classifier) {
    String suffix = classifier.length == 0 ? "" : "-" + classifier[0];
    return ROOT.resolve(module).resolve("target").resolve(module + "-" + VERSION + suffix + ".jar");
  }
}
