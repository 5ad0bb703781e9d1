/** Implementation of the {@code Mesh} entry point. */
@InternalApi
@NullMarked
package io.meshsdk.internal;

import io.meshsdk.annotation.InternalApi;
import org.jspecify.annotations.NullMarked;
