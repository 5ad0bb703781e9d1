/** Implementation of the Connect converter: value mapping, Debezium envelopes, positions. */
@InternalApi
@NullMarked
package io.meshsdk.connect.internal;

import io.meshsdk.annotation.InternalApi;
import org.jspecify.annotations.NullMarked;
