package io.meshsdk.spring.test;

import io.meshsdk.governance.GovernancePolicy;
import io.meshsdk.runtime.KafkaClientFactory;
import io.meshsdk.spring.boot.MeshAutoConfiguration;
import io.meshsdk.spring.boot.MeshProperties;
import io.meshsdk.spring.internal.BrokerProbe;
import io.meshsdk.testkit.BrokerMode;
import io.meshsdk.testkit.TestMesh;
import java.util.Map;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;

/**
 * The {@code TestMesh} of {@link AutoConfigureTestMesh}, declared before {@link
 * MeshAutoConfiguration} so that it is the context's only mesh.
 *
 * <p>Thread-safety: configuration, read by Spring at start.
 */
@AutoConfiguration(before = MeshAutoConfiguration.class)
@ConditionalOnClass(TestMesh.class)
@EnableConfigurationProperties(MeshProperties.class)
public class TestMeshAutoConfiguration {
  /** Creates the configuration; Spring does. */
  public TestMeshAutoConfiguration() {}

  /**
   * The test mesh, closed with the context.
   *
   * @param properties {@code mesh.*}
   * @param environment for {@code spring.application.name}
   * @param governance the application's governance policy, if any
   * @return the test mesh
   */
  @Bean(destroyMethod = "close")
  public TestMesh testMesh(
      MeshProperties properties,
      Environment environment,
      ObjectProvider<GovernancePolicy> governance) {
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
