/**
 * Spring Boot auto-configuration of Mesh SDK: one {@link io.meshsdk.Mesh} from {@code mesh.*} and
 * Spring Kafka properties ({@link io.meshsdk.spring.boot.MeshProperties}), injectable producers of
 * any product, customizers of the builder.
 */
@NullMarked
package io.meshsdk.spring.boot;

import org.jspecify.annotations.NullMarked;
