/**
 * Implementation of the starter: the translation of Spring properties into Mesh settings and the
 * broker probe of the health check. Not API.
 */
@NullMarked
package io.meshsdk.spring.internal;

import org.jspecify.annotations.NullMarked;
