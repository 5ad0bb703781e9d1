/**
 * Breaking changes without breaking consumers: typed migrations between the major versions of a
 * product, and the rules that govern them.
 */
@NullMarked
package io.meshsdk.migration;

import org.jspecify.annotations.NullMarked;
