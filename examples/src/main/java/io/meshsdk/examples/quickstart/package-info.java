/**
 * The README's quick start: one product declared, its contract printed, one record round-tripped.
 */
@NullMarked
package io.meshsdk.examples.quickstart;

import org.jspecify.annotations.NullMarked;
