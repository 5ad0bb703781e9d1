package io.meshsdk.spring.boot;

import io.meshsdk.Mesh;
import io.meshsdk.MeshBuilder;
import io.meshsdk.errors.MeshConfigurationException;
import io.meshsdk.governance.GovernancePolicy;
import io.meshsdk.producer.MeshProducer;
import io.meshsdk.runtime.KafkaClientFactory;
import io.meshsdk.spring.internal.BrokerProbe;
import io.meshsdk.spring.internal.KafkaVersion;
import io.meshsdk.spring.internal.MeshSettings;
import io.meshsdk.spring.listener.MeshListeners;
import io.micrometer.core.instrument.MeterRegistry;
import io.opentelemetry.api.OpenTelemetry;
import java.util.Map;
import org.springframework.beans.factory.InjectionPoint;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.beans.factory.config.ConfigurableBeanFactory;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.beans.factory.config.DependencyDescriptor;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Scope;
import org.springframework.core.ResolvableType;
import org.springframework.core.env.Environment;
import org.springframework.core.io.ResourceLoader;

/**
 * Auto-configures one {@link Mesh} from {@link MeshProperties} (and the application's Spring Kafka
 * properties), with the context's {@link MeterRegistry}, {@link OpenTelemetry} and {@link
 * GovernancePolicy} beans when there are, closed with the context; injectable {@link MeshProducer}
 * of any product; and the {@link io.meshsdk.spring.listener.MeshListener} methods of the context's
 * beans. An application's own {@code Mesh} bean replaces the auto-configured one (the test
 * auto-configuration's {@code TestMesh} does), the rest then uses it.
 *
 * <p>Thread-safety: configuration, read by Spring at start.
 */
@AutoConfiguration(
    afterName = {
      "org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration",
      "org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration",
      "org.springframework.boot.opentelemetry.autoconfigure.OpenTelemetrySdkAutoConfiguration"
    })
@EnableConfigurationProperties(MeshProperties.class)
public class MeshAutoConfiguration {
  /** Creates the configuration; Spring does. */
  public MeshAutoConfiguration() {}

  /**
   * The clients the mesh and the health check use.
   *
   * @return Kafka's clients
   */
  @Bean
  @ConditionalOnMissingBean
  public KafkaClientFactory meshKafkaClientFactory() {
    return KafkaClientFactory.kafka();
  }

  /**
   * The auto-configured mesh and the broker probe of the health check, when the application has no
   * {@code Mesh} bean of its own.
   */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnMissingBean(Mesh.class)
  public static class AutoConfiguredMesh {
    /** Creates the configuration; Spring does. */
    public AutoConfiguredMesh() {}

    /**
     * The mesh.
     *
     * @param properties {@code mesh.*}
     * @param environment for {@code spring.kafka.*} and {@code spring.application.name}
     * @param resources loads key and trust stores
     * @param clients the Kafka client factory
     * @param meterRegistry the application's meter registry, if any
     * @param openTelemetry the application's OpenTelemetry, if any
     * @param governance the application's governance policy, if any (default: the standard one)
     * @param customizers applied last, in order
     * @return the mesh, closed with the context
     * @throws MeshConfigurationException naming each bad or missing property
     */
    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean(Mesh.class)
    public Mesh mesh(
        MeshProperties properties,
        Environment environment,
        ResourceLoader resources,
        KafkaClientFactory clients,
        ObjectProvider<MeterRegistry> meterRegistry,
        ObjectProvider<OpenTelemetry> openTelemetry,
        ObjectProvider<GovernancePolicy> governance,
        ObjectProvider<MeshBuilderCustomizer> customizers) {
      Map<String, Object> settings = MeshSettings.of(properties, environment, resources);
      MeshBuilder builder = Mesh.builder().properties(settings).kafkaClientFactory(clients);
      meterRegistry.ifAvailable(builder::meterRegistry);
      openTelemetry.ifAvailable(builder::openTelemetry);
      governance.ifAvailable(builder::governance);
      customizers.orderedStream().forEach(c -> c.customize(builder));
      KafkaVersion.warnIfOlderThanBuilt();
      return builder.build();
    }

    /**
     * How the health check reaches the broker: an admin client of the mesh's settings ({@code
     * mesh.*} and {@code spring.kafka.*}; what a {@link MeshBuilderCustomizer} changes in the
     * builder is not seen). Declared with the auto-configured mesh only: an application's own
     * {@code Mesh} bean has settings this probe cannot know.
     *
     * @param properties {@code mesh.*}
     * @param environment for {@code spring.kafka.*}
     * @param resources loads key and trust stores
     * @param clients the Kafka client factory
     * @return the probe, closed with the context
     */
    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean
    BrokerProbe meshBrokerProbe(
        MeshProperties properties,
        Environment environment,
        ResourceLoader resources,
        KafkaClientFactory clients) {
      return BrokerProbe.of(clients, () -> MeshSettings.of(properties, environment, resources));
    }
  }

  /**
   * The producers injected into the context's beans.
   *
   * @param mesh the mesh
   * @return the producers
   */
  @Bean
  @ConditionalOnMissingBean
  public MeshProducers meshProducers(Mesh mesh) {
    return new MeshProducers(mesh);
  }

  /**
   * A {@code MeshProducer<Product>} for each injection point, resolved by its generic type: the
   * product's one producer.
   *
   * @param producers the producers
   * @param injectionPoint the field or parameter
   * @return the product's producer
   * @throws MeshConfigurationException if the injection point does not name the product
   */
  @Bean
  @Scope(ConfigurableBeanFactory.SCOPE_PROTOTYPE)
  public MeshProducer<?> meshProducer(MeshProducers producers, InjectionPoint injectionPoint) {
    ResolvableType type =
        injectionPoint instanceof DependencyDescriptor d
            ? d.getResolvableType()
            : injectionPoint.getMethodParameter() != null
                ? ResolvableType.forMethodParameter(injectionPoint.getMethodParameter())
                : ResolvableType.forField(
                    java.util.Objects.requireNonNull(injectionPoint.getField()));
    Class<?> product = type.as(MeshProducer.class).getGeneric(0).resolve();
    if (product == null || product == Object.class) {
      throw new MeshConfigurationException(
          "cannot inject "
              + type
              + " into "
              + injectionPoint.getMember()
              + ": name the product, MeshProducer<OrderPlaced>");
    }
    return producers.producer(product);
  }

  /**
   * The context's {@link io.meshsdk.spring.listener.MeshListener} consumers.
   *
   * @param mesh the mesh
   * @param properties {@code mesh.listener.*}
   * @return the listeners, started and stopped with the context
   */
  @Bean
  @ConditionalOnMissingBean
  public MeshListeners meshListeners(Mesh mesh, MeshProperties properties) {
    return new MeshListeners(mesh, properties.getListener().getStopTimeout());
  }

  /**
   * Finds {@link io.meshsdk.spring.listener.MeshListener} methods.
   *
   * @param beanFactory the bean factory
   * @return the post-processor
   */
  @Bean
  public static BeanPostProcessor meshListenerPostProcessor(
      ConfigurableListableBeanFactory beanFactory) {
    return MeshListeners.postProcessor(beanFactory);
  }
}
