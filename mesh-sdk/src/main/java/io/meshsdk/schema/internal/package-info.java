/**
 * Implementation of the schema package: how encrypted fields show in a schema, and their evolution
 * rules, which Avro's own compatibility check cannot see. Not API.
 */
@NullMarked
@InternalApi
package io.meshsdk.schema.internal;

import io.meshsdk.annotation.InternalApi;
import org.jspecify.annotations.NullMarked;
