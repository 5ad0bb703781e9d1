package io.meshsdk.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.meshsdk.consumer.ErrorAction;
import io.meshsdk.consumer.ErrorHandler;
import io.meshsdk.producer.MeshProducer;
import io.meshsdk.spring.actuate.MeshHealthIndicator;
import io.meshsdk.spring.fixtures.OrderPlaced;
import io.meshsdk.spring.listener.MeshListener;
import io.meshsdk.spring.test.AutoConfigureTestMesh;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Bean;

/** A listener whose error handler stops it on a failure: the health turns DOWN, naming why. */
@SpringBootTest(properties = "spring.application.name=billing")
@AutoConfigureTestMesh
class MeshHealthTest {
  @Autowired MeshProducer<OrderPlaced> orders;
  @Autowired MeshHealthIndicator health;

  @Test
  void healthTurnsDownWithTheReasonWhenAListenerFails() {
    await().until(() -> health.health().getStatus().equals(Status.UP));

    orders.send(new OrderPlaced("o-1", 100, "XXX")).join();

    await().until(() -> health.health().getStatus().equals(Status.DOWN));
    Health h = health.health();
    @SuppressWarnings("unchecked")
    Map<String, Map<String, Object>> consumers =
        (Map<String, Map<String, Object>>) h.getDetails().get("consumers");
    assertThat(consumers.get("invoices"))
        .containsEntry("state", "FAILED")
        .containsEntry("group", "billing");
    assertThat(consumers.get("invoices").get("error"))
        .as("the class only: a handler's message may carry values of the record")
        .isEqualTo("IllegalArgumentException");
    assertThat(h.getDetails().get("broker").toString()).contains("status=UP");
    assertThat(h.getDetails().get("registry").toString()).contains("status=UP", "compatibility=");
  }

  @SpringBootConfiguration
  @EnableAutoConfiguration
  static class App {
    @Bean
    Billing billing() {
      return new Billing();
    }

    @Bean
    ErrorHandler stopOnFailure() {
      return failure -> ErrorAction.STOP;
    }
  }

  static class Billing {
    @MeshListener(id = "invoices", group = "billing", errorHandler = "stopOnFailure")
    void on(OrderPlaced order) {
      throw new IllegalArgumentException("no tax rate for " + order.currency());
    }
  }
}
