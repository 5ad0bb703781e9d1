/** The shipping domain: consumes orders, publishes shipment requests and statuses. */
@NullMarked
package io.meshsdk.examples.shipping;

import org.jspecify.annotations.NullMarked;
