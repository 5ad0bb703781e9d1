package io.meshsdk.examples.boot;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;

/** The shipping service: {@code mesh.*} and {@code spring.kafka.*} in {@code application.yml}. */
@SpringBootApplication
@EnableConfigurationProperties(Carriers.class)
public class ShippingApplication {
  /** Not instantiated by users. */
  ShippingApplication() {}

  /**
   * Runs the service.
   *
   * @param args Spring Boot's arguments ({@code --spring.kafka.bootstrap-servers=...})
   */
  public static void main(String[] args) {
    SpringApplication.run(ShippingApplication.class, args);
  }
}
