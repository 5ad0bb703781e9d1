package io.meshsdk.spring;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.meshsdk.Mesh;
import io.meshsdk.governance.GovernanceException;
import io.meshsdk.runtime.KafkaClientFactory;
import io.meshsdk.spring.boot.MeshAutoConfiguration;
import io.meshsdk.spring.boot.MeshProducers;
import io.meshsdk.spring.boot.MeshProperties;
import io.meshsdk.spring.fixtures.NewsletterSignup;
import io.meshsdk.spring.fixtures.OrderPlaced;
import io.meshsdk.spring.internal.MeshSettings;
import io.meshsdk.spring.listener.MeshListener;
import io.meshsdk.spring.test.TestMeshAutoConfiguration;
import io.meshsdk.telemetry.MeshMetrics;
import io.meshsdk.testkit.memory.InMemoryKafka;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.core.io.DefaultResourceLoader;
import org.springframework.mock.env.MockEnvironment;

/**
 * Properties, their metadata, and configuration mistakes failing the context with a named error.
 */
class MeshConfigurationTest {
  private final ApplicationContextRunner runner =
      new ApplicationContextRunner()
          .withConfiguration(AutoConfigurations.of(MeshAutoConfiguration.class));

  @Test
  void meshPropertiesWinOverSpringKafkaPropertiesWhichAreReused() {
    MockEnvironment env =
        new MockEnvironment()
            .withProperty("spring.application.name", "checkout")
            .withProperty("spring.kafka.bootstrap-servers", "k1:9092,k2:9092")
            .withProperty("spring.kafka.security.protocol", "SASL_SSL")
            .withProperty("spring.kafka.ssl.trust-store-password", "secret")
            .withProperty("spring.kafka.properties.sasl.mechanism", "PLAIN")
            .withProperty("spring.kafka.properties.acks", "all")
            .withProperty("spring.kafka.properties.linger.ms", "5")
            .withProperty("spring.kafka.properties.schema.registry.url", "http://registry:8081")
            .withProperty("mesh.registry.basic-auth-user-info", "u:p")
            .withProperty("mesh.registration", "verify")
            .withProperty("mesh.startup-timeout", "20s")
            .withProperty("mesh.topic-prefix", "staging.")
            .withProperty("spring.kafka.properties.basic.auth.user.info", "spring:pw")
            .withProperty("mesh.kafka.acks", "1");
    MeshProperties properties = Binder.get(env).bind("mesh", MeshProperties.class).get();

    Map<String, Object> settings = MeshSettings.of(properties, env, new DefaultResourceLoader());

    assertThat(settings)
        .containsEntry("mesh.application", "checkout")
        .containsEntry("bootstrap.servers", "k1:9092,k2:9092")
        .containsEntry("security.protocol", "SASL_SSL")
        .containsEntry("ssl.truststore.password", "secret")
        .containsEntry("sasl.mechanism", "PLAIN")
        .containsEntry("schema.registry.url", "http://registry:8081")
        .as("mesh.* wins over spring.kafka.properties.* setting the same")
        .containsEntry("basic.auth.user.info", "u:p")
        .containsEntry("mesh.registration", "VERIFY")
        .containsEntry("mesh.startup.timeout.ms", "20000")
        .containsEntry("mesh.topic.prefix", "staging.")
        .containsEntry("linger.ms", "5")
        .containsEntry("acks", "1");
  }

  @Test
  void sdkOwnedKeysOfSpringKafkaPropertiesAreSkippedButRefusedUnderMesh() {
    ApplicationContextRunner app =
        runner.withPropertyValues(
            "spring.application.name=checkout",
            "spring.kafka.bootstrap-servers=localhost:1",
            "mesh.registry.url=mock://starter-test",
            "spring.kafka.properties.interceptor.classes=com.example.TracingInterceptor",
            "spring.kafka.properties.client.id=spring-app",
            "spring.kafka.properties.enable.auto.commit=false",
            "spring.kafka.properties.group.id=spring-group",
            "spring.kafka.properties.value.serializer=com.example.AvroSerializer",
            "spring.kafka.properties.sasl.mechanism=PLAIN");
    app.run(
        context -> {
          assertThat(context).hasNotFailed().hasSingleBean(Mesh.class);
          Map<String, Object> settings =
              MeshSettings.of(
                  context.getBean(MeshProperties.class),
                  context.getEnvironment(),
                  new DefaultResourceLoader());
          assertThat(settings)
              .containsEntry("sasl.mechanism", "PLAIN")
              .doesNotContainKeys(
                  "interceptor.classes",
                  "client.id",
                  "enable.auto.commit",
                  "group.id",
                  "value.serializer");
        });
    app.withPropertyValues("mesh.kafka.client.id=mine")
        .run(
            context -> {
              assertThat(context).hasFailed();
              assertThat(messages(context.getStartupFailure())).contains("client.id");
            });
  }

  @Test
  void buildsTheMeshWithTheContextsMeterRegistry() {
    InMemoryKafka kafka = new InMemoryKafka();
    runner
        .withBean(MeterRegistry.class, SimpleMeterRegistry::new)
        .withBean(
            KafkaClientFactory.class,
            () -> KafkaClientFactory.of(kafka::producer, kafka::consumer, kafka::admin))
        .withPropertyValues(
            "spring.application.name=checkout",
            "spring.kafka.bootstrap-servers=localhost:1",
            "mesh.registry.url=mock://starter-meters")
        .run(
            context -> {
              assertThat(context).hasNotFailed().hasSingleBean(Mesh.class);
              assertThat(context.getBean(Mesh.class).application()).isEqualTo("checkout");

              context
                  .getBean(MeshProducers.class)
                  .producer(OrderPlaced.class)
                  .send(new OrderPlaced("o-1", 1, "EUR"))
                  .join();

              assertThat(context.getBean(MeterRegistry.class).find(MeshMetrics.PRODUCE).meters())
                  .isNotEmpty();
            });
  }

  @Test
  void missingSettingsFailTheStartNamingEachProperty() {
    runner.run(
        context -> {
          assertThat(context).hasFailed();
          assertThat(messages(context.getStartupFailure()))
              .contains("mesh.application: required; set it or spring.application.name")
              .contains("mesh.bootstrap-servers: required")
              .contains("mesh.registry.url: required");
        });
  }

  @Test
  void aMistypedKeyInTheMeshNamespaceFailsTheStart() {
    runner
        .withPropertyValues("mesh.registraton=VERIFY")
        .run(
            context -> {
              assertThat(context).hasFailed();
              assertThat(messages(context.getStartupFailure())).contains("mesh.registraton");
            });
  }

  @Test
  void aBadValueFailsTheStartNamingTheProperty() {
    runner
        .withPropertyValues(
            "mesh.application=checkout",
            "mesh.bootstrap-servers=localhost:1",
            "mesh.registry.url=mock://starter-test",
            "mesh.kafka.linger.ms=soon")
        .run(
            context -> {
              assertThat(context).hasFailed();
              assertThat(messages(context.getStartupFailure())).contains("linger.ms");
            });
  }

  @Test
  void aListenerWithABadAttributeFailsTheStartNamingIt() {
    runner
        .withConfiguration(AutoConfigurations.of(TestMeshAutoConfiguration.class))
        .withBean(BadListener.class)
        .run(
            context -> {
              assertThat(context).hasFailed();
              assertThat(messages(context.getStartupFailure()))
                  .contains("@MeshListener", "maxAttempts is a positive integer, not lots");
            });
  }

  @Test
  void aProductFailingGovernanceStopsTheStartWithThePolicysReport() {
    runner
        .withConfiguration(AutoConfigurations.of(TestMeshAutoConfiguration.class))
        .withBean(NonCompliantListener.class)
        .run(
            context -> {
              assertThat(context).hasFailed();
              Throwable cause = context.getStartupFailure();
              while (cause != null && !(cause instanceof GovernanceException)) {
                cause = cause.getCause();
              }
              assertThat(cause).isInstanceOf(GovernanceException.class);
              GovernanceException governance = (GovernanceException) cause;
              assertThat(governance.report().product()).contains("newsletter-signup");
              assertThat(governance.getMessage()).contains("email");
            });
  }

  @Test
  void theMetadataDescribesEveryPropertyForIdes() throws Exception {
    JsonNode metadata;
    try (InputStream in =
        getClass().getResourceAsStream("/META-INF/spring-configuration-metadata.json")) {
      assertThat(in).as("generated by spring-boot-configuration-processor").isNotNull();
      metadata = new ObjectMapper().readTree(in);
    }
    Map<String, JsonNode> byName = new java.util.TreeMap<>();
    metadata.get("properties").forEach(p -> byName.put(p.get("name").asText(), p));
    assertThat(byName)
        .containsKeys(
            "mesh.application",
            "mesh.bootstrap-servers",
            "mesh.registry.url",
            "mesh.registry.basic-auth-user-info",
            "mesh.registration",
            "mesh.provisioning",
            "mesh.topic-prefix",
            "mesh.startup-timeout",
            "mesh.kafka",
            "mesh.listener.auto-startup",
            "mesh.listener.stop-timeout",
            "mesh.health.timeout",
            "mesh.test.broker");
    assertThat(byName.get("mesh.registration").get("type").asText())
        .isEqualTo("io.meshsdk.registry.RegistrationMode");
    assertThat(byName.get("mesh.startup-timeout").get("type").asText())
        .isEqualTo("java.time.Duration");
    byName.forEach(
        (name, p) ->
            assertThat(p.hasNonNull("description")).as("%s has a description", name).isTrue());
  }

  static String messages(Throwable t) {
    List<String> messages = new ArrayList<>();
    for (Throwable c = t; c != null; c = c.getCause()) {
      messages.add(String.valueOf(c.getMessage()));
    }
    return String.join("\n", messages);
  }

  @Test
  void aParallelListenerWithBadAttributesFailsTheStartNamingThem() {
    runner
        .withConfiguration(AutoConfigurations.of(TestMeshAutoConfiguration.class))
        .withBean(BadParallelListener.class)
        .run(
            context -> {
              assertThat(context).hasFailed();
              assertThat(messages(context.getStartupFailure()))
                  .contains("ordering is PARTITION, KEY or UNORDERED, not BY_KEY");
            });
    runner
        .withConfiguration(AutoConfigurations.of(TestMeshAutoConfiguration.class))
        .withBean(ParallelismWithoutOrdering.class)
        .run(
            context -> {
              assertThat(context).hasFailed();
              assertThat(messages(context.getStartupFailure()))
                  .contains("parallelism and maxInFlight need ordering KEY or UNORDERED");
            });
  }

  static class BadParallelListener {
    @MeshListener(group = "g", ordering = "BY_KEY")
    void on(OrderPlaced order) {}
  }

  static class ParallelismWithoutOrdering {
    @MeshListener(group = "g", parallelism = "8")
    void on(OrderPlaced order) {}
  }

  static class BadListener {
    @MeshListener(group = "g", maxAttempts = "lots")
    void on(OrderPlaced order) {}
  }

  static class NonCompliantListener {
    @MeshListener(group = "marketing")
    void on(NewsletterSignup signup) {}
  }
}
