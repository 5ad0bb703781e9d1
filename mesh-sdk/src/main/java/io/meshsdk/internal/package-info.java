/** Implementation of the {@code Mesh} entry point. */
@NullMarked
package io.meshsdk.internal;

import org.jspecify.annotations.NullMarked;
