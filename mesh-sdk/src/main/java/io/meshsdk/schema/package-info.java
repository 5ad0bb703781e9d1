/**
 * Schema compatibility: the modes a product promises and the check, built on Avro's own {@code
 * SchemaCompatibility}, that produces a readable report of which field changed how and which
 * direction breaks.
 */
@NullMarked
package io.meshsdk.schema;

import org.jspecify.annotations.NullMarked;
