package io.meshsdk.spring.actuate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.meshsdk.Mesh;
import io.meshsdk.registry.SchemaRegistry;
import io.meshsdk.spring.internal.BrokerProbe;
import io.meshsdk.spring.listener.MeshListeners;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;

/** The health check under a registry that does not answer. */
class MeshHealthIndicatorTest {
  private final CountDownLatch hung = new CountDownLatch(1);
  private final AtomicInteger compatibilityCalls = new AtomicInteger();
  private final AtomicInteger subjectCalls = new AtomicInteger();

  @Test
  void aRegistryThatDoesNotAnswerIsDownWithinTheTimeoutAndIsNotAskedAgainMeanwhile() {
    Mesh mesh = meshWithHungRegistry();
    MeshHealthIndicator health =
        new MeshHealthIndicator(
            mesh,
            new MeshListeners(mesh, Duration.ofSeconds(1)),
            BrokerProbe.inMemory(),
            Duration.ofMillis(200));
    try {
      Health first = assertTimeoutPreemptively(Duration.ofSeconds(3), () -> health.health());
      Health second = assertTimeoutPreemptively(Duration.ofSeconds(3), () -> health.health());

      assertThat(first.getStatus()).isEqualTo(Status.DOWN);
      assertThat(first.getDetails().get("registry").toString())
          .contains("status=DOWN", "TimeoutException: no answer within PT0.2S");
      assertThat(first.getDetails().get("broker").toString()).contains("status=UP");
      assertThat(second.getStatus()).isEqualTo(Status.DOWN);
      assertThat(compatibilityCalls).as("one call in flight, not one per check").hasValue(1);
      assertThat(subjectCalls).as("never lists every subject").hasValue(0);
    } finally {
      hung.countDown();
    }
  }

  private Mesh meshWithHungRegistry() {
    SchemaRegistry registry =
        (SchemaRegistry)
            Proxy.newProxyInstance(
                SchemaRegistry.class.getClassLoader(),
                new Class<?>[] {SchemaRegistry.class},
                (proxy, method, args) -> {
                  switch (method.getName()) {
                    case "globalCompatibility" -> {
                      compatibilityCalls.incrementAndGet();
                      hung.await();
                      throw new IllegalStateException("released");
                    }
                    case "subjects" -> {
                      subjectCalls.incrementAndGet();
                      hung.await();
                      throw new IllegalStateException("released");
                    }
                    default -> throw new UnsupportedOperationException(method.getName());
                  }
                });
    return (Mesh)
        Proxy.newProxyInstance(
            Mesh.class.getClassLoader(),
            new Class<?>[] {Mesh.class},
            (proxy, method, args) ->
                switch (method.getName()) {
                  case "application" -> "health-test";
                  case "schemaRegistry" -> registry;
                  default -> throw new UnsupportedOperationException(method.getName());
                });
  }
}
