package io.meshsdk.testkit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Gives each test of the class a fresh {@link TestMesh}, by parameter ({@code void test(TestMesh
 * mesh)}) or in a non-static field of type {@code TestMesh}, and closes it after the test.
 *
 * <pre>{@code
 * @MeshTest                       // in-memory Kafka: milliseconds, no broker
 * @MeshTest(broker = EMBEDDED)    // the real KRaft broker in this JVM (mesh-sdk-testkit-broker)
 * }</pre>
 *
 * <p>For options beyond these attributes, register a {@link MeshExtension} with
 * {@code @RegisterExtension} instead (not both). Tests may run in parallel: every test has its own
 * mesh, registry, meters, spans and topic namespace.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ExtendWith(MeshExtension.class)
public @interface MeshTest {
  /**
   * Where Kafka runs.
   *
   * @return the mode, {@link BrokerMode#IN_MEMORY} by default
   */
  BrokerMode broker() default BrokerMode.IN_MEMORY;

  /**
   * The application id of the mesh.
   *
   * @return the id; by default the test class's simple name
   */
  String application() default "";

  /**
   * The bootstrap servers of {@link BrokerMode#EXTERNAL} mode.
   *
   * @return the servers; by default from {@code mesh.test.bootstrap.servers} / {@code
   *     MESH_TEST_BOOTSTRAP_SERVERS}
   */
  String bootstrapServers() default "";

  /**
   * The URL of a Confluent-compatible registry.
   *
   * @return the URL; by default a fresh in-memory registry (in external mode, {@code
   *     mesh.test.schema.registry.url} / {@code MESH_TEST_SCHEMA_REGISTRY_URL} first)
   */
  String schemaRegistryUrl() default "";

  /**
   * How long assertions wait for asynchronous outcomes, in milliseconds.
   *
   * @return the timeout, 10 000 by default
   */
  long timeoutMillis() default 10_000;
}
