package io.meshsdk.spring.test;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;

/**
 * Replaces the application's mesh with a {@code TestMesh} of the testkit ({@code mesh-sdk-testkit}
 * in test scope) in a {@code @SpringBootTest}: the same producers, consumers and listeners, on the
 * in-memory Kafka by default or on the embedded broker with {@code mesh.test.broker=embedded}
 * ({@code mesh-sdk-testkit-broker}). Inject the {@code TestMesh} for the testkit's assertions:
 *
 * <pre>{@code
 * @SpringBootTest
 * @AutoConfigureTestMesh
 * class ShippingTest {
 *   @Autowired TestMesh mesh;
 *   ...
 *   assertThat(mesh.published(ShipmentRequested.class)).hasSize(1);
 * }
 * }</pre>
 *
 * <p>The application's {@code mesh.application}, {@code spring.application.name} and {@code
 * mesh.topic-prefix} are used; its bootstrap servers and registry are not (the test mesh has its
 * own Kafka and an in-memory registry). A {@code GovernancePolicy} bean applies as in production.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ImportAutoConfiguration(TestMeshAutoConfiguration.class)
public @interface AutoConfigureTestMesh {}
