/** The orders domain: {@code OrderPlaced} 1.1 and 2.0 with their migration. */
@NullMarked
package io.meshsdk.examples.orders;

import org.jspecify.annotations.NullMarked;
