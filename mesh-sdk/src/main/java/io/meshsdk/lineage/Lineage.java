package io.meshsdk.lineage;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The lineage of a consumed event: itself, and the upstream events it was derived from.
 *
 * <p>Thread-safety: immutable.
 *
 * @param self this event
 * @param parents the events it was derived from, in the order the producer listed them
 * @param parentsDropped how many parents the producer left out beyond the bound
 */
public record Lineage(EventRef self, List<EventRef> parents, int parentsDropped) {
  /** Copies the parents. */
  public Lineage {
    Objects.requireNonNull(self, "self");
    parents = List.copyOf(parents);
  }

  /**
   * Parses the {@link MeshHeaders#PARENTS} header value; malformed entries are skipped (lineage is
   * metadata, and a bad entry must not make the record unreadable).
   *
   * @param header the header value, may be empty
   * @return the references
   */
  public static List<EventRef> parseParents(String header) {
    List<EventRef> refs = new ArrayList<>();
    if (header.isEmpty()) {
      return refs;
    }
    for (String part : header.split(",")) {
      try {
        refs.add(EventRef.parse(part));
      } catch (IllegalArgumentException e) {
        // skip a malformed entry
      }
    }
    return refs;
  }

  /**
   * Whether the event was derived from others.
   *
   * @return {@code true} when it lists parents
   */
  public boolean isDerived() {
    return !parents.isEmpty() || parentsDropped > 0;
  }
}
