/** The analytics domain: replays order history with its own reader class. */
@NullMarked
package io.meshsdk.examples.analytics;

import org.jspecify.annotations.NullMarked;
