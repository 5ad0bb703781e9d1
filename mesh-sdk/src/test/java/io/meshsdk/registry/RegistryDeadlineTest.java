package io.meshsdk.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A registry that accepts connections and never answers holds a caller for the call's deadline at
 * most, whatever the retries; the failure names the URL and the cause.
 */
class RegistryDeadlineTest {
  private ServerSocket silent;
  private final List<Socket> held = new CopyOnWriteArrayList<>();
  private final AtomicInteger accepted = new AtomicInteger();
  private ConfluentStub stub;

  @BeforeEach
  void start() throws Exception {
    silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    Thread acceptor =
        new Thread(
            () -> {
              while (!silent.isClosed()) {
                try {
                  held.add(silent.accept()); // reads nothing, answers nothing
                  accepted.incrementAndGet();
                } catch (IOException e) {
                  return;
                }
              }
            },
            "silent-registry");
    acceptor.setDaemon(true);
    acceptor.start();
    stub = new ConfluentStub().start();
  }

  @AfterEach
  void stop() throws IOException {
    silent.close();
    for (Socket s : held) {
      s.close();
    }
    stub.close();
  }

  private String silentUrl() {
    return "http://127.0.0.1:" + silent.getLocalPort();
  }

  @Test
  void aRegistryThatNeverAnswersFailsTheCallAtItsDeadline() {
    SchemaRegistry registry =
        RestSchemaRegistry.builder(silentUrl()).callTimeout(Duration.ofMillis(700)).build();

    SchemaRegistryException e =
        catchThrowableOfType(SchemaRegistryException.class, () -> registry.schemaById(7));

    assertThat(e.kind()).isEqualTo(SchemaRegistryException.Kind.UNAVAILABLE);
    assertThat(e.isRetriable()).isTrue();
    assertThat(e.getMessage())
        .contains("GET /schemas/ids/7")
        .contains(silentUrl())
        .contains("gave no answer within the call time-out of 700 ms")
        .contains("did not answer within");
    // the request time-out (10 s) never outlives the call: one attempt, cut at the deadline
    assertThat(accepted.get()).isEqualTo(1);
  }

  @Test
  void failsOverFromASilentUrlToALiveOneWithinTheDeadline() {
    SchemaRegistry registry =
        RestSchemaRegistry.builder(silentUrl(), stub.url())
            .timeouts(Duration.ofSeconds(1), Duration.ofMillis(300))
            .retries(2, Duration.ofMillis(1), Duration.ofMillis(5))
            .callTimeout(Duration.ofSeconds(20))
            .build();

    assertThat(registry.register("orders-value", InMemorySchemaRegistryTest.V1).version())
        .isEqualTo(1);
    assertThat(accepted.get()).isEqualTo(1);
  }
}
