/** Implementation of the Confluent Schema Registry REST client. Not API. */
@InternalApi
@NullMarked
package io.meshsdk.registry.internal;

import io.meshsdk.annotation.InternalApi;
import org.jspecify.annotations.NullMarked;
