/** The demo: three domains on one mesh, start to finish, with the figures at the end. */
@NullMarked
package io.meshsdk.examples.demo;

import org.jspecify.annotations.NullMarked;
