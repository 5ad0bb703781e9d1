/** Examples of Mesh SDK: the README's quick start, and data products of several domains. */
@NullMarked
package io.meshsdk.examples;

import org.jspecify.annotations.NullMarked;
