/**
 * Annotation-driven consumers: {@link io.meshsdk.spring.listener.MeshListener} methods on Spring
 * beans, each a Mesh consumer started and stopped with the application context.
 */
@NullMarked
package io.meshsdk.spring.listener;

import org.jspecify.annotations.NullMarked;
