/** Implementation of the Confluent Schema Registry REST client. Not API. */
@NullMarked
package io.meshsdk.registry.internal;

import org.jspecify.annotations.NullMarked;
