package io.meshsdk.spring.actuate;

import io.meshsdk.Mesh;
import io.meshsdk.errors.MeshConfigurationException;
import io.meshsdk.spring.boot.MeshAutoConfiguration;
import io.meshsdk.spring.boot.MeshProducers;
import io.meshsdk.spring.boot.MeshProperties;
import io.meshsdk.spring.internal.BrokerProbe;
import io.meshsdk.spring.listener.MeshListeners;
import java.time.Duration;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The mesh's health indicator ({@code mesh}, turned off with {@code
 * management.health.mesh.enabled=false}, its deadline {@code mesh.health.timeout}) and info
 * contributor, when the actuator is on the class path.
 *
 * <p>Thread-safety: configuration, read by Spring at start.
 */
@AutoConfiguration(after = MeshAutoConfiguration.class)
@ConditionalOnBean(Mesh.class)
public class MeshActuatorAutoConfiguration {
  /** Creates the configuration; Spring does. */
  public MeshActuatorAutoConfiguration() {}

  /** The health indicator, with {@code spring-boot-health}. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(name = "org.springframework.boot.health.contributor.HealthIndicator")
  @org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator(
      "mesh")
  public static class Health {
    /** Creates the configuration; Spring does. */
    public Health() {}

    @Bean
    @ConditionalOnMissingBean(name = "meshHealthIndicator")
    MeshHealthIndicator meshHealthIndicator(
        Mesh mesh,
        MeshListeners listeners,
        ObjectProvider<BrokerProbe> broker,
        MeshProperties properties) {
      Duration timeout = properties.getHealth().getTimeout();
      if (timeout.isNegative() || timeout.isZero()) {
        throw new MeshConfigurationException(
            "mesh.health.timeout: a positive duration (5s, PT10S), not " + timeout);
      }
      return new MeshHealthIndicator(mesh, listeners, broker.getIfAvailable(), timeout);
    }
  }

  /** The info contributor, with {@code spring-boot-actuator}. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(name = "org.springframework.boot.actuate.info.InfoContributor")
  public static class Info {
    /** Creates the configuration; Spring does. */
    public Info() {}

    @Bean
    @ConditionalOnMissingBean
    MeshInfoContributor meshInfoContributor(
        Mesh mesh, MeshProducers producers, MeshListeners listeners) {
      return new MeshInfoContributor(mesh, producers, listeners);
    }
  }
}
