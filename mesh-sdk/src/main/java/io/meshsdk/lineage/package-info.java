/**
 * Lineage: every record says which product, version, producer and event it is ({@link
 * io.meshsdk.lineage.MeshHeaders}, following the CloudEvents Kafka binding), and which upstream
 * events it was derived from ({@link io.meshsdk.lineage.EventRef}). A record produced while a
 * consumed event is being handled lists that event as its parent automatically; {@link
 * io.meshsdk.lineage.LineageScope} carries parents to other threads by hand.
 */
@NullMarked
package io.meshsdk.lineage;

import org.jspecify.annotations.NullMarked;
