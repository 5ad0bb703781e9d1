/**
 * Processors: consume one product, produce another, with lineage linked automatically. In
 * exactly-once mode each polled batch is a Kafka transaction holding the outputs, any dead letters
 * and the consumed offsets; readers with {@code isolation.level=read_committed} see every output
 * once.
 */
@NullMarked
package io.meshsdk.processor;

import org.jspecify.annotations.NullMarked;
