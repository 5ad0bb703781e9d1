/**
 * Implementation of the codec: byte-array Avro encoder and bounds-checked decoder, per-type value
 * codecs bound once per class, and schema-resolution plans cached per writer schema. Not API.
 */
@InternalApi
@NullMarked
package io.meshsdk.serde.internal;

import io.meshsdk.annotation.InternalApi;
import org.jspecify.annotations.NullMarked;
