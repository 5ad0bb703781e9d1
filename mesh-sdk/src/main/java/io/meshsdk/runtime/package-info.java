/**
 * Runtime settings shared by producers, consumers and processors: registration and provisioning
 * modes, and the keys Mesh SDK reads from {@code Properties}.
 */
@NullMarked
package io.meshsdk.runtime;

import org.jspecify.annotations.NullMarked;
