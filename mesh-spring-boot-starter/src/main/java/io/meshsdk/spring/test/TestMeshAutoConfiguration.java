package io.meshsdk.spring.test;

import io.meshsdk.errors.MeshConfigurationException;
import io.meshsdk.governance.GovernancePolicy;
import io.meshsdk.runtime.KafkaClientFactory;
import io.meshsdk.spring.boot.MeshAutoConfiguration;
import io.meshsdk.spring.boot.MeshBuilderCustomizer;
import io.meshsdk.spring.boot.MeshProperties;
import io.meshsdk.spring.internal.BrokerProbe;
import io.meshsdk.testkit.BrokerMode;
import io.meshsdk.testkit.TestMesh;
import java.util.Map;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanFactoryPostProcessor;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingClass;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * The {@code TestMesh} of {@link AutoConfigureTestMesh}, declared before {@link
 * MeshAutoConfiguration} so that it is the context's only mesh. Without {@code mesh-sdk-testkit} on
 * the class path it fails the context's start: a test asking for the test mesh never runs on the
 * production one.
 *
 * <p>{@link MeshBuilderCustomizer} beans apply to the test mesh's builder too, in order, after the
 * test mesh's own settings; they must leave alone what the test mesh owns (bootstrap servers,
 * registry, meters, tracing, client factory, topic prefix). The context's {@code MeterRegistry} and
 * {@code OpenTelemetry} are not used: the test mesh records its own.
 *
 * <p>Thread-safety: configuration, read by Spring at start.
 */
@AutoConfiguration(before = MeshAutoConfiguration.class)
@EnableConfigurationProperties(MeshProperties.class)
public class TestMeshAutoConfiguration {
  static final String TESTKIT = "io.meshsdk.testkit.TestMesh";

  /** Creates the configuration; Spring does. */
  public TestMeshAutoConfiguration() {}

  /** The test mesh, with the testkit on the class path. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(name = TESTKIT)
  public static class Testkit {
    /** Creates the configuration; Spring does. */
    public Testkit() {}

    /**
     * The test mesh, closed with the context.
     *
     * @param properties {@code mesh.*}
     * @param environment for {@code spring.application.name}
     * @param governance the application's governance policy, if any
     * @param customizers applied to the test mesh's builder, in order
     * @return the test mesh
     */
    @Bean(destroyMethod = "close")
    public TestMesh testMesh(
        MeshProperties properties,
        Environment environment,
        ObjectProvider<GovernancePolicy> governance,
        ObjectProvider<MeshBuilderCustomizer> customizers) {
      TestMesh.Builder builder =
          TestMesh.builder()
              .mode(
                  properties.getTest().getBroker() == MeshProperties.TestBroker.EMBEDDED
                      ? BrokerMode.EMBEDDED
                      : BrokerMode.IN_MEMORY);
      String application = properties.getApplication();
      if (application == null) {
        application = environment.getProperty("spring.application.name");
      }
      if (application != null) {
        builder.application(application);
      }
      if (properties.getTopicPrefix() != null) {
        builder.topicPrefix(properties.getTopicPrefix());
      }
      governance.ifAvailable(builder::governance);
      customizers.orderedStream().forEach(c -> builder.configure(c::customize));
      return builder.build();
    }

    @Bean(destroyMethod = "close")
    BrokerProbe meshBrokerProbe(TestMesh mesh) {
      if (mesh.inMemoryKafka().isPresent()) {
        return BrokerProbe.inMemory();
      }
      return BrokerProbe.of(
          KafkaClientFactory.kafka(), () -> Map.of("bootstrap.servers", mesh.bootstrapServers()));
    }
  }

  /** Without the testkit: fails the start before any bean, the production mesh included, exists. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnMissingClass(TESTKIT)
  static class MissingTestkit {
    @Bean
    static BeanFactoryPostProcessor meshTestkitRequired() {
      return beanFactory -> {
        throw new MeshConfigurationException(
            "@AutoConfigureTestMesh needs the testkit: add io.meshsdk:mesh-sdk-testkit with test"
                + " scope (without it the test would run on the production mesh)");
      };
    }
  }
}
