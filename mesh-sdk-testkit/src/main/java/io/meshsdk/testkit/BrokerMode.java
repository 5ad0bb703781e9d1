package io.meshsdk.testkit;

/**
 * Where a {@link TestMesh} runs its Kafka.
 *
 * <p>Thread-safety: immutable.
 */
public enum BrokerMode {
  /**
   * An {@link io.meshsdk.testkit.memory.InMemoryKafka} per test and an in-memory registry: no
   * broker, no network; a produce-and-consume test runs in milliseconds. The default.
   */
  IN_MEMORY,
  /**
   * The real KRaft broker of {@code io.meshsdk.testkit.broker.EmbeddedKafkaBroker.shared()},
   * started once per JVM, with a fresh topic prefix and a fresh in-memory registry per test. The
   * broker is a separate artifact, {@code io.meshsdk:mesh-sdk-testkit-broker} (scope test), so that
   * unit tests in memory do not carry Kafka's server and Scala; without it, a test in this mode
   * fails with a {@code MeshConfigurationException} that says so.
   */
  EMBEDDED,
  /**
   * An existing cluster (and registry, if given): bootstrap servers from the annotation, the system
   * property {@code mesh.test.bootstrap.servers} or the environment variable {@code
   * MESH_TEST_BOOTSTRAP_SERVERS}; the registry URL likewise from {@code
   * mesh.test.schema.registry.url} / {@code MESH_TEST_SCHEMA_REGISTRY_URL} (an in-memory registry
   * when none is given). Each test gets a fresh, unique topic prefix; topics are left in place.
   */
  EXTERNAL
}
