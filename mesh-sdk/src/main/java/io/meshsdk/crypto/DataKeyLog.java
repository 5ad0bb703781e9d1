package io.meshsdk.crypto;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * The state of a data-key topic as read so far, in offset order: which proposal won for each
 * reference, which references were shredded, and which proposal records are still live (not yet
 * tombstoned). The pure logic of {@link KafkaDataKeyStore}, without Kafka.
 *
 * <p>The records:
 *
 * <ul>
 *   <li>{@code key/{ref}/{uuid}} with value {@code 0x01 ++ wrapped key}: a proposal. Each creation
 *       has a record key of its own, so compaction never replaces one proposal by another.
 *   <li>{@code key/{ref}/{uuid}} with a null value: the proposal is tombstoned (it lost, or its
 *       reference was shredded).
 *   <li>{@code shredded/{ref}} with a non-null value ({@code 0x01}): the reference is shredded, for
 *       good. Never tombstoned; a tombstone of a marker is ignored.
 * </ul>
 *
 * <p>Per reference, the first proposal (lowest offset) not preceded by a marker wins; later
 * proposals lose, and every proposal after a marker is ignored. Since only losers (after their
 * winner) and proposals of shredded references are tombstoned, a reader of the compacted topic
 * finds the same winner as one that read every record.
 *
 * <p>Records this format does not know (other key prefixes, an empty or malformed record key) are
 * skipped and counted. A winning proposal of an unknown format version stays the winner (it is
 * first) but is reported as {@link Entry.Unreadable}, so that readers never fall back to a later
 * proposal that its writer did not choose.
 *
 * <p>Thread-safety: thread-safe; records are applied by one thread, queries come from any.
 */
final class DataKeyLog {
  /** The format version byte of proposal and marker values. */
  static final byte VERSION = 0x01;

  static final String PROPOSAL_PREFIX = "key/";
  static final String MARKER_PREFIX = "shredded/";

  /** What the log says about a reference. */
  sealed interface Entry {
    /** The winning proposal. */
    final class Key implements Entry {
      private final String recordKey;
      private final byte[] wrappedKey;

      Key(String recordKey, byte[] wrappedKey) {
        this.recordKey = recordKey;
        this.wrappedKey = wrappedKey;
      }

      /** Its record key, to tell a writer whether its own proposal won. */
      String recordKey() {
        return recordKey;
      }

      /** The wrapped key: the log's own array, copied by whoever hands it out. */
      byte[] wrappedKey() {
        return wrappedKey;
      }
    }

    /**
     * The reference was shredded.
     *
     * @param markerOffset the offset of its first marker
     * @param hadKey whether a proposal won before that marker
     */
    record Shredded(long markerOffset, boolean hadKey) implements Entry {}

    /**
     * The winning proposal has a format version this reader does not know.
     *
     * @param version the version byte, or -1 for an empty value
     */
    record Unreadable(int version) implements Entry {}

    /** Nothing read about the reference. */
    record Unknown() implements Entry {}
  }

  private static final Entry UNKNOWN = new Entry.Unknown();

  /** One reference. */
  private static final class Ref {
    @Nullable Entry winner; // Key or Unreadable
    long markerOffset = -1;
    boolean keyBeforeMarker;
    final Set<String> liveProposals = new LinkedHashSet<>();
  }

  private final Map<String, Ref> refs = new HashMap<>();
  private long position;
  private long skipped;
  private int keys;
  private int shredded;

  /** Creates an empty log view (offset 0). */
  DataKeyLog() {}

  /** A new proposal's record key for a reference. */
  static String proposalKey(String keyRef) {
    return PROPOSAL_PREFIX + keyRef + "/" + UUID.randomUUID();
  }

  /** The marker's record key for a reference. */
  static String markerKey(String keyRef) {
    return MARKER_PREFIX + keyRef;
  }

  /** A proposal's value: the version byte, then the wrapped key. */
  static byte[] proposalValue(byte[] wrappedKey) {
    byte[] value = new byte[wrappedKey.length + 1];
    value[0] = VERSION;
    System.arraycopy(wrappedKey, 0, value, 1, wrappedKey.length);
    return value;
  }

  /** A marker's value. */
  static byte[] markerValue() {
    return new byte[] {VERSION};
  }

  /**
   * Applies one record; records must come in offset order.
   *
   * @param offset the record's offset
   * @param key the record key, or null (skipped)
   * @param value the value, null for a tombstone
   */
  synchronized void apply(long offset, byte @Nullable [] key, byte @Nullable [] value) {
    position = Math.max(position, offset + 1);
    if (key == null) {
      skipped++;
      return;
    }
    String recordKey = new String(key, StandardCharsets.UTF_8);
    if (recordKey.startsWith(MARKER_PREFIX) && recordKey.length() > MARKER_PREFIX.length()) {
      if (value == null) {
        skipped++; // markers are never tombstoned by the store: a shredding is not undone
        return;
      }
      Ref ref = refs.computeIfAbsent(recordKey.substring(MARKER_PREFIX.length()), r -> new Ref());
      if (ref.markerOffset < 0) {
        ref.markerOffset = offset;
        ref.keyBeforeMarker = ref.winner != null;
        if (ref.winner instanceof Entry.Key) {
          keys--;
        }
        ref.winner = null;
        shredded++;
      }
      return;
    }
    int slash = recordKey.lastIndexOf('/');
    if (!recordKey.startsWith(PROPOSAL_PREFIX)
        || slash <= PROPOSAL_PREFIX.length()
        || slash == recordKey.length() - 1) {
      skipped++;
      return;
    }
    String keyRef = recordKey.substring(PROPOSAL_PREFIX.length(), slash);
    if (value == null) {
      Ref ref = refs.get(keyRef);
      if (ref != null) {
        // a winner's tombstone without a marker is not written by the store; the winner stays
        ref.liveProposals.remove(recordKey);
      }
      return;
    }
    Ref ref = refs.computeIfAbsent(keyRef, r -> new Ref());
    ref.liveProposals.add(recordKey);
    if (ref.markerOffset >= 0 || ref.winner != null) {
      return; // after a marker, or after the winner: loses
    }
    if (value.length > 0 && value[0] == VERSION) {
      byte[] wrapped = new byte[value.length - 1];
      System.arraycopy(value, 1, wrapped, 0, wrapped.length);
      ref.winner = new Entry.Key(recordKey, wrapped);
      keys++;
    } else {
      ref.winner = new Entry.Unreadable(value.length == 0 ? -1 : value[0] & 0xff);
    }
  }

  /**
   * Notes that the reader's position moved without records (compacted offsets, or the end).
   *
   * @param nextOffset the reader's position
   */
  synchronized void advanceTo(long nextOffset) {
    position = Math.max(position, nextOffset);
  }

  /** The next offset to read: every record below it was applied. */
  synchronized long position() {
    return position;
  }

  /** What the log says about a reference. */
  synchronized Entry entry(String keyRef) {
    Ref ref = refs.get(keyRef);
    if (ref == null) {
      return UNKNOWN;
    }
    if (ref.markerOffset >= 0) {
      return new Entry.Shredded(ref.markerOffset, ref.keyBeforeMarker);
    }
    return ref.winner == null ? UNKNOWN : ref.winner;
  }

  /**
   * The record keys of a reference's proposals that are not tombstoned yet, in offset order.
   *
   * @param keyRef the reference
   * @return the record keys, maybe empty
   */
  synchronized List<String> liveProposals(String keyRef) {
    Ref ref = refs.get(Objects.requireNonNull(keyRef, "keyRef"));
    return ref == null ? List.of() : List.copyOf(ref.liveProposals);
  }

  /** References with a readable winner, not shredded. */
  synchronized int keys() {
    return keys;
  }

  /** Shredded references. */
  synchronized int shredded() {
    return shredded;
  }

  /** Records skipped: not of this format. */
  synchronized long skipped() {
    return skipped;
  }
}
