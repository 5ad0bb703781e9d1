/** Implementation of lineage: header encoding, time-ordered event ids. */
@InternalApi
@NullMarked
package io.meshsdk.lineage.internal;

import io.meshsdk.annotation.InternalApi;
import org.jspecify.annotations.NullMarked;
