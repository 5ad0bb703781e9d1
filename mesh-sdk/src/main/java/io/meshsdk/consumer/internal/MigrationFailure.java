package io.meshsdk.consumer.internal;

/** Marks failures of a migration step, which are dead-lettered with reason {@code migration}. */
public interface MigrationFailure {}
