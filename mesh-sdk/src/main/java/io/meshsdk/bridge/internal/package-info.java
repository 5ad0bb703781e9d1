/** Implementation of bridges: the poll loop, the source formats, the meters. */
@InternalApi
@NullMarked
package io.meshsdk.bridge.internal;

import io.meshsdk.annotation.InternalApi;
import org.jspecify.annotations.NullMarked;
