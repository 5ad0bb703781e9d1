package io.meshsdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.meshsdk.errors.BrokerUnavailableException;
import io.meshsdk.errors.MeshConfigurationException;
import io.meshsdk.fixtures.OrderPlaced;
import io.meshsdk.registry.InMemorySchemaRegistry;
import io.meshsdk.registry.RestSchemaRegistry;
import io.meshsdk.serde.DecodeLimits;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Typos and bad values in configuration are caught when the mesh is built, each named; secrets
 * never appear in what is reported; an unreachable broker fails a creation in bounded time.
 */
class ConfigurationMistakesTest {

  private static Map<String, Object> valid() {
    Map<String, Object> p = new LinkedHashMap<>();
    p.put("mesh.application", "checkout");
    p.put("bootstrap.servers", "127.0.0.1:1");
    p.put("schema.registry.url", "mock://configuration-test");
    return p;
  }

  private static List<String> problems(Map<String, Object> properties) {
    return catchThrowableOfType(MeshConfigurationException.class, () -> Mesh.fromMap(properties))
        .problems();
  }

  @Test
  void refusesAnUnknownMeshKeyNamingTheNearestKnownOne() {
    Map<String, Object> p = valid();
    p.put("mesh.registraton", "VERIFY");
    p.put("schema.registry.ulr", "http://registry:8081");

    assertThat(problems(p))
        .containsExactly(
            "mesh.registraton: unknown Mesh SDK property; did you mean mesh.registration?",
            "schema.registry.ulr: unknown Mesh SDK property; did you mean schema.registry.url?");
  }

  @Test
  void checksKafkaValuesAgainstKafkasOwnDefinitions() {
    Map<String, Object> p = valid();
    p.put("linger.ms", "soon");
    p.put("acks", "most");
    p.put("max.poll.records", "0");

    assertThat(problems(p))
        .anySatisfy(m -> assertThat(m).startsWith("linger.ms: ").contains("soon"))
        .anySatisfy(m -> assertThat(m).startsWith("acks: ").contains("most"))
        .anySatisfy(m -> assertThat(m).startsWith("max.poll.records: "))
        .hasSize(3);
  }

  @Test
  void refusesMalformedBootstrapServers() {
    for (String servers :
        List.of("localhost", "http://broker:9092", "broker:99999", "broker one:9092", "a:1,,b:2")) {
      Map<String, Object> p = valid();
      p.put("bootstrap.servers", servers);
      assertThat(problems(p))
          .as(servers)
          .singleElement()
          .asString()
          .startsWith("bootstrap.servers");
    }
  }

  @Test
  void validatesEveryDurationAndCount() {
    Map<String, Object> p = valid();
    p.put("mesh.close.timeout.ms", "-1");
    p.put("mesh.startup.timeout.ms", "0");
    p.put("mesh.registry.timeout.ms", "ten");
    p.put("mesh.decode.max.depth", "0");
    p.put("mesh.decode.max.elements", "-5");
    p.put("mesh.replication.factor", "0");

    assertThat(problems(p)).hasSize(6).allSatisfy(m -> assertThat(m).startsWith("mesh."));
    assertThatThrownBy(() -> Mesh.builder().closeTimeout(Duration.ofMillis(-1)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Mesh.builder().startupTimeout(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> DecodeLimits.defaults().maxDepth(0))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void registryDurationsAndCountsAreValidated() {
    RestSchemaRegistry.Builder b = RestSchemaRegistry.builder("http://registry:8081");
    assertThatThrownBy(() -> b.retries(3, Duration.ofMillis(-100), Duration.ofSeconds(1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("initial backoff must not be negative");
    assertThatThrownBy(() -> b.retries(3, Duration.ofSeconds(2), Duration.ofSeconds(1)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> b.cacheTtl(Duration.ofSeconds(-1), Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("must not be negative");
    assertThatThrownBy(() -> b.callTimeout(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void basicAuthAndABearerTokenTogetherAreAConfigurationError() {
    Map<String, Object> p = valid();
    p.put("schema.registry.url", "http://registry:8081");
    p.put("basic.auth.user.info", "svc:s3cret");
    p.put("bearer.auth.token", "t0ken");

    assertThat(problems(p))
        .singleElement()
        .asString()
        .contains("both are set")
        .doesNotContain("s3cret", "t0ken");
    assertThatThrownBy(
            () ->
                RestSchemaRegistry.builder("https://svc:s3cret@registry:8081")
                    .bearerToken("t0ken")
                    .build())
        .isInstanceOf(MeshConfigurationException.class)
        .hasMessageContaining("user-info in the URL")
        .hasMessageNotContaining("s3cret");
  }

  /** Every way a URL can be wrong, and none of them may quote the password. */
  @Test
  void neverShowsCredentialsOfMalformedRegistryUrls() {
    List<String> urls =
        List.of(
            "http://svc:s3cret@registry host:8081",
            "svc:s3cret@registry:8081",
            "http://svc:s3cret@[registry:8081",
            "http://svc:s3cret@registry:80x81/",
            "ftp://svc:s3cret@registry:8081",
            "http://svc:s3cret@registry:8081/%zz",
            "https://svc:s3cret@",
            "https://KEY:s3cret/with/slashes@registry:8081",
            "https://KEY:s3cret?x#y@registry:8081",
            "http://registry:8081/?token=s3cret");
    List<String> shown = new ArrayList<>();
    for (String url : urls) {
      Map<String, Object> p = valid();
      p.put("schema.registry.url", url);
      Throwable fromProperties = catchThrowable(() -> Mesh.fromMap(p).close());
      Throwable fromBuilder = catchThrowable(() -> RestSchemaRegistry.builder(url).build().close());
      for (Throwable t : new Throwable[] {fromProperties, fromBuilder}) {
        for (Throwable c = t; c != null; c = c.getCause()) {
          shown.add(url + " -> " + c);
        }
      }
    }
    assertThat(shown)
        .isNotEmpty()
        .noneMatch(s -> s.substring(s.indexOf(" -> ")).contains("s3cret"));
    try (var registry =
        RestSchemaRegistry.builder("http://svc:s3cret@registry:8081/apis?key=s3cret").build()) {
      assertThat(registry.toString()).doesNotContain("s3cret").contains("registry:8081");
    }
    MeshBuilder builder =
        Mesh.builder()
            .properties(Map.of("schema.registry.url", "http://a:p@h1,http://b:s3cret@h2"));
    assertThat(builder.toString()).doesNotContain("s3cret").contains("h1", "h2");
  }

  @Test
  void credentialsWithoutARegistryUrlAreReported() {
    Map<String, Object> p = valid();
    p.put("bearer.auth.token", "t0ken");

    assertThat(problems(p)).singleElement().asString().contains("set without schema.registry.url");
  }

  @Test
  void anUnreachableBrokerFailsProducerCreationWithinTheStartupTimeout() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort(); // closed again: nothing listens there
    }
    try (Mesh mesh =
        Mesh.builder()
            .application("checkout")
            .bootstrapServers("127.0.0.1:" + port)
            .schemaRegistry(new InMemorySchemaRegistry())
            .startupTimeout(Duration.ofSeconds(2))
            .build()) {
      BrokerUnavailableException e =
          catchThrowableOfType(
              BrokerUnavailableException.class, () -> mesh.producer(OrderPlaced.class));
      assertThat(e.isRetriable()).isTrue();
      assertThat(e.getMessage())
          .contains("127.0.0.1:" + port)
          .contains("create or verify topics [orders.order-placed.v2]")
          .contains("within 2000 ms");
      assertThat(e.getClass()).isEqualTo(BrokerUnavailableException.class); // never anonymous
    }
  }

  @Test
  void refusesInvalidGroupNamesAndTopicsWhenTheyAreGiven() {
    try (Mesh mesh =
        Mesh.builder()
            .application("checkout")
            .bootstrapServers("127.0.0.1:1")
            .schemaRegistry(new InMemorySchemaRegistry())
            .build()) {
      var consumer = mesh.consumer(OrderPlaced.class);
      assertThatThrownBy(() -> consumer.group("")).isInstanceOf(IllegalArgumentException.class);
      assertThatThrownBy(() -> consumer.group("billing team"))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("dead-letter topic");
      assertThatThrownBy(() -> consumer.topic("")).isInstanceOf(IllegalArgumentException.class);
      assertThatThrownBy(() -> consumer.topic("orders/v1"))
          .isInstanceOf(IllegalArgumentException.class);
      assertThatThrownBy(() -> consumer.deadLetterTopic(".."))
          .isInstanceOf(IllegalArgumentException.class);
    }
  }
}
