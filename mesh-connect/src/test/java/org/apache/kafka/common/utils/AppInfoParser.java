package org.apache.kafka.common.utils;

/**
 * Test-only bridge: Kafka's file connectors are served up to 4.3.1, whose {@code version()} calls
 * this class; kafka-clients 4.4.0 moved it to {@code org.apache.kafka.common.utils.internals}. The
 * connectors' own code runs unchanged; only this lookup of the version string is bridged.
 */
public final class AppInfoParser {
  private AppInfoParser() {}

  /**
   * Kafka's version, from the class that took this one's place.
   *
   * @return the version
   */
  public static String getVersion() {
    return org.apache.kafka.common.utils.internals.AppInfoParser.getVersion();
  }
}
