/** The set-up guide's code (docs/setup.md): a mesh configured from a properties file. */
@NullMarked
package io.meshsdk.examples.setup;

import org.jspecify.annotations.NullMarked;
