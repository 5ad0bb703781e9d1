/** Annotations that state the standing of Mesh SDK's own types, such as {@link InternalApi}. */
@NullMarked
package io.meshsdk.annotation;

import org.jspecify.annotations.NullMarked;
