/**
 * The shipping domain of the demo as a Spring Boot service on {@code mesh-spring-boot-starter}: a
 * {@code @MeshListener} of orders and an injected producer of shipments.
 */
package io.meshsdk.examples.boot;
