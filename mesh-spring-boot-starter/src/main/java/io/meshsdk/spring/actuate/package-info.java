/**
 * Spring Boot actuator support: the mesh's health (broker, registry, listeners) and an info
 * contributor listing the application's products.
 */
@NullMarked
package io.meshsdk.spring.actuate;

import org.jspecify.annotations.NullMarked;
