package dev.clearance.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class ChangePayloadTest {
    private static final Instant AT = Instant.parse("2026-03-01T12:00:00.123456Z");

    @Test
    void an_announcement_carries_the_whole_change_and_reads_back_equal() {
        Change c = new Change(42, Change.Kind.POLICY_ACTIVATED, "17", AT);

        assertThat(ChangePayload.write(c)).isEqualTo("42\tpolicy_activated\t2026-03-01T12:00:00.123456Z\t17");
        assertThat(ChangePayload.parse(ChangePayload.write(c))).isEqualTo(c);
    }

    @Test
    void a_subject_with_tabs_survives_because_it_comes_last() {
        Change c = new Change(7, Change.Kind.PRINCIPAL_PUT, "odd\tid", AT);

        assertThat(ChangePayload.parse(ChangePayload.write(c))).isEqualTo(c);
    }

    @Test
    void a_change_too_large_for_notify_is_announced_by_its_sequence_and_read_from_the_table() {
        Change c = new Change(9, Change.Kind.PRINCIPAL_PUT, "x".repeat(8000), AT);

        assertThat(ChangePayload.write(c)).isEqualTo("9");
        assertThat(ChangePayload.read(List.of("8\tkey_revoked\t" + AT + "\tclr_abc", "9"))
                        .complete())
                .isFalse();
    }

    @Test
    void announcements_of_the_previous_release_carry_only_a_sequence_and_make_the_reader_look() {
        assertThat(ChangePayload.parse("42")).isNull();
        assertThat(ChangePayload.read(List.of("42"))).isEqualTo(JdbcDatabase.Announcement.LOOK);
    }

    @Test
    void announcements_in_order_are_complete() {
        JdbcDatabase.Announcement a = ChangePayload.read(
                List.of("8\tkey_revoked\t" + AT + "\tclr_abc", "9\tpolicy_activated\t" + AT + "\t3"));

        assertThat(a.complete()).isTrue();
        assertThat(a.changes()).extracting(Change::sequence).containsExactly(8L, 9L);
        assertThat(JdbcChangeFeed.inSequence(7, a.changes())).isTrue();
        assertThat(JdbcChangeFeed.inSequence(6, a.changes()))
                .as("change 7 was not heard")
                .isFalse();
    }
}
