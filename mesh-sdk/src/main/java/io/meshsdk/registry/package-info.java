/**
 * Schema registries: the {@link io.meshsdk.registry.SchemaRegistry} SPI with Confluent Schema
 * Registry semantics (subjects with versions 1..n, global ids shared by identical schemas,
 * compatibility per subject), the {@link io.meshsdk.registry.InMemorySchemaRegistry} for tests and
 * demos, registration modes and subject naming.
 */
@NullMarked
package io.meshsdk.registry;

import org.jspecify.annotations.NullMarked;
