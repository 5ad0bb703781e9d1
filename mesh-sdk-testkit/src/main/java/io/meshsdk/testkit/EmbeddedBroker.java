package io.meshsdk.testkit;

import io.meshsdk.errors.MeshConfigurationException;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;

/**
 * Finds the embedded broker of {@code mesh-sdk-testkit-broker} when a test asks for {@link
 * BrokerMode#EMBEDDED}. That artifact carries Kafka's server and Scala (33 jars and 21 MB more on a
 * test class path), so the testkit does not depend on it: a project that tests in memory only never
 * has them on its class path, and one that asks for the broker without the artifact is told which
 * one to add.
 */
final class EmbeddedBroker {
  static final String ARTIFACT = "io.meshsdk:mesh-sdk-testkit-broker";
  static final String CLASS = "io.meshsdk.testkit.broker.EmbeddedKafkaBroker";

  private EmbeddedBroker() {}

  /**
   * The bootstrap servers of the shared embedded broker, started at the first call.
   *
   * @throws MeshConfigurationException when {@code mesh-sdk-testkit-broker} is not on the class
   *     path
   */
  static String bootstrapServers() {
    Class<?> type;
    try {
      type = Class.forName(CLASS, true, EmbeddedBroker.class.getClassLoader());
    } catch (ClassNotFoundException | LinkageError e) {
      throw new MeshConfigurationException(
          "BrokerMode.EMBEDDED needs the embedded broker, which is a separate artifact: add "
              + ARTIFACT
              + " (scope test; its version comes from mesh-sdk-bom) to the project, or test"
              + " IN_MEMORY",
          e);
    }
    try {
      MethodHandles.Lookup lookup = MethodHandles.publicLookup();
      Object broker = lookup.findStatic(type, "shared", MethodType.methodType(type)).invoke();
      MethodHandle servers =
          lookup.findVirtual(type, "bootstrapServers", MethodType.methodType(String.class));
      return (String) servers.invoke(broker);
    } catch (RuntimeException | Error e) {
      throw e; // the broker's own failure to start, as it reported it
    } catch (Throwable e) {
      // a checked exception (method handles declare Throwable) or a changed broker class
      throw new IllegalStateException("the embedded broker of " + ARTIFACT + " failed: " + e, e);
    }
  }
}
