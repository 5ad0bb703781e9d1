/**
 * Implementation of contracts: reading a class once into a model of its properties, deriving the
 * Avro schema, and compiling constraints into checks that run without reflection. Not API: types
 * here change without notice.
 */
@InternalApi
@NullMarked
package io.meshsdk.contract.internal;

import io.meshsdk.annotation.InternalApi;
import org.jspecify.annotations.NullMarked;
