/**
 * Implementation of the catalog documents: the OpenLineage run events of a mesh, the emitter that
 * sends them from one daemon thread of the mesh (HTTP, Kafka or log transport), and its {@code
 * mesh.openlineage.*} configuration.
 */
@InternalApi
@NullMarked
package io.meshsdk.catalog.internal;

import io.meshsdk.annotation.InternalApi;
import org.jspecify.annotations.NullMarked;
