/**
 * Implementation of the catalog documents: the OpenLineage run events the lineage emitter of issue
 * 18 §4 will send.
 */
@InternalApi
@NullMarked
package io.meshsdk.catalog.internal;

import io.meshsdk.annotation.InternalApi;
import org.jspecify.annotations.NullMarked;
