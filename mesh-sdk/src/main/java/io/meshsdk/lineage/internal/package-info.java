/** Implementation of lineage: header encoding, time-ordered event ids. */
@NullMarked
package io.meshsdk.lineage.internal;

import org.jspecify.annotations.NullMarked;
