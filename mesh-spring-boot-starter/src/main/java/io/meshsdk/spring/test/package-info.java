/**
 * {@code @SpringBootTest} support: {@link io.meshsdk.spring.test.AutoConfigureTestMesh} puts the
 * testkit's {@code TestMesh} in place of the application's mesh.
 */
@NullMarked
package io.meshsdk.spring.test;

import org.jspecify.annotations.NullMarked;
