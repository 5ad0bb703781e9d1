package io.meshsdk.spring.boot;

import io.meshsdk.MeshBuilder;

/**
 * Changes the {@link MeshBuilder} of the auto-configured mesh after the properties were applied:
 * settings that are objects (migrations, field encryption, a client factory) or computed. Beans of
 * this type are applied in their {@code @Order}.
 */
@FunctionalInterface
public interface MeshBuilderCustomizer {
  /**
   * Customizes the builder.
   *
   * @param builder the builder, with the properties applied
   */
  void customize(MeshBuilder builder);
}
