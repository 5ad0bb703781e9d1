package io.meshsdk.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

class DataKeyLogTest {
  private static final String REF = "crm.customer-registered/subject/ab12";

  /** One record of the topic. */
  private static final class Rec {
    final long offset;
    final String key;
    final byte @Nullable [] value;

    Rec(long offset, String key, byte @Nullable [] value) {
      this.offset = offset;
      this.key = key;
      this.value = value;
    }
  }

  private final List<Rec> topic = new ArrayList<>();
  private final DataKeyLog log = new DataKeyLog();

  private String propose(String ref, int keyByte) {
    String key = DataKeyLog.proposalKey(ref);
    write(key, DataKeyLog.proposalValue(new byte[] {(byte) keyByte}));
    return key;
  }

  private void write(String key, byte @Nullable [] value) {
    Rec r = new Rec(topic.size(), key, value);
    topic.add(r);
    log.apply(r.offset, key.getBytes(StandardCharsets.UTF_8), value);
  }

  private static byte[] keyOf(DataKeyLog view, String ref) {
    return ((DataKeyLog.Entry.Key) view.entry(ref)).wrappedKey();
  }

  @Test
  void theFirstProposalWinsAndLaterOnesLose() {
    String first = propose(REF, 1);
    String second = propose(REF, 2);

    assertThat(log.entry(REF)).isInstanceOf(DataKeyLog.Entry.Key.class);
    assertThat(((DataKeyLog.Entry.Key) log.entry(REF)).recordKey()).isEqualTo(first);
    assertThat(keyOf(log, REF)).containsExactly(1);
    assertThat(log.liveProposals(REF)).containsExactly(first, second);
    assertThat(log.position()).isEqualTo(2);
    assertThat(log.keys()).isEqualTo(1);
    assertThat(log.entry("other")).isInstanceOf(DataKeyLog.Entry.Unknown.class);
  }

  @Test
  void aMarkerShredsForGoodAndProposalsAfterItAreIgnored() {
    String proposal = propose(REF, 1);
    write(DataKeyLog.markerKey(REF), DataKeyLog.markerValue());
    write(proposal, null);
    String late = propose(REF, 2);
    write(DataKeyLog.markerKey(REF), null); // a marker's tombstone does not undo a shredding

    assertThat(log.entry(REF)).isEqualTo(new DataKeyLog.Entry.Shredded(1, true));
    assertThat(log.liveProposals(REF)).containsExactly(late);
    assertThat(log.keys()).isZero();
    assertThat(log.shredded()).isEqualTo(1);
  }

  @Test
  void onlyTheFirstMarkerAfterAKeyReportsThatAKeyExisted() {
    write(DataKeyLog.markerKey("never-created"), DataKeyLog.markerValue());
    propose(REF, 1);
    write(DataKeyLog.markerKey(REF), DataKeyLog.markerValue());
    write(DataKeyLog.markerKey(REF), DataKeyLog.markerValue());

    assertThat(log.entry("never-created")).isEqualTo(new DataKeyLog.Entry.Shredded(0, false));
    assertThat(log.entry(REF)).isEqualTo(new DataKeyLog.Entry.Shredded(2, true));
    assertThat(log.shredded()).isEqualTo(2);
  }

  @Test
  void aWinnerInAnUnknownFormatStaysTheWinner() {
    write(DataKeyLog.proposalKey(REF), new byte[] {0x02, 9});
    propose(REF, 1);

    assertThat(log.entry(REF)).isEqualTo(new DataKeyLog.Entry.Unreadable(2));
  }

  @Test
  void skipsRecordsOfOtherFormats() {
    log.apply(0, null, new byte[] {1});
    log.apply(1, "key/".getBytes(StandardCharsets.UTF_8), new byte[] {1});
    log.apply(2, "key/ref/".getBytes(StandardCharsets.UTF_8), new byte[] {1});
    log.apply(3, "shredded/".getBytes(StandardCharsets.UTF_8), new byte[] {1});
    log.apply(4, "something-else".getBytes(StandardCharsets.UTF_8), new byte[] {1});

    assertThat(log.skipped()).isEqualTo(5);
    assertThat(log.keys()).isZero();
    assertThat(log.shredded()).isZero();
    assertThat(log.position()).isEqualTo(5);
  }

  @Test
  void aWinnersTombstoneWithoutAMarkerDoesNotChangeTheWinner() {
    String first = propose(REF, 1);
    propose(REF, 2);
    write(first, null);

    assertThat(keyOf(log, REF)).containsExactly(1);
  }

  /**
   * The property the record format exists for: a reader of the compacted topic (the last record of
   * each record key, tombstoned keys gone) finds the same winners and shreddings as a reader of
   * every record. With one record key per reference the compacted topic would keep the last
   * proposal instead of the first.
   */
  @Test
  void readersOfTheCompactedTopicFindTheSameWinners() {
    Random random = new Random(42);
    List<String> refs = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      refs.add("p.v1/subject/" + i);
    }
    for (int step = 0; step < 2_000; step++) {
      String ref = refs.get(random.nextInt(refs.size()));
      int action = random.nextInt(10);
      if (action < 7) {
        String mine = propose(ref, random.nextInt(256));
        // what putIfAbsent does once it has read its proposal back: tombstone it if it lost
        DataKeyLog.Entry entry = log.entry(ref);
        if (!(entry instanceof DataKeyLog.Entry.Key k && k.recordKey().equals(mine))) {
          write(mine, null);
        }
      } else if (action == 7 && random.nextInt(5) == 0) {
        // what delete does: marker, then tombstones for every live proposal
        write(DataKeyLog.markerKey(ref), DataKeyLog.markerValue());
        for (String p : log.liveProposals(ref)) {
          write(p, null);
        }
      }
    }

    Map<String, Rec> compacted = new LinkedHashMap<>();
    for (Rec r : topic) {
      compacted.remove(r.key); // a record key's last record takes its place in offset order
      compacted.put(r.key, r);
    }
    DataKeyLog reread = new DataKeyLog();
    compacted.values().stream()
        .filter(r -> r.value != null) // tombstones gone after delete.retention.ms
        .sorted((a, b) -> Long.compare(a.offset, b.offset))
        .forEach(r -> reread.apply(r.offset, r.key.getBytes(StandardCharsets.UTF_8), r.value));

    assertThat(compacted.size()).isLessThan(topic.size());
    assertThat(log.shredded()).isPositive();
    assertThat(log.keys()).isPositive();
    for (String ref : refs) {
      DataKeyLog.Entry full = log.entry(ref);
      DataKeyLog.Entry again = reread.entry(ref);
      if (full instanceof DataKeyLog.Entry.Key k) {
        assertThat(again).isInstanceOf(DataKeyLog.Entry.Key.class);
        assertThat(((DataKeyLog.Entry.Key) again).recordKey()).isEqualTo(k.recordKey());
        assertThat(keyOf(reread, ref)).isEqualTo(k.wrappedKey());
      } else {
        assertThat(again).isInstanceOf(full.getClass());
      }
    }
    assertThat(reread.keys()).isEqualTo(log.keys());
    assertThat(reread.shredded()).isEqualTo(log.shredded());
  }
}
