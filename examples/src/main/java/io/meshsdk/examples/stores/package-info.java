/**
 * The stores domain: the point-of-sale system's legacy JSON topic, onboarded as the governed
 * product {@code StoreSale} by a bridge ({@code docs/onboarding.md}).
 */
@NullMarked
package io.meshsdk.examples.stores;

import org.jspecify.annotations.NullMarked;
