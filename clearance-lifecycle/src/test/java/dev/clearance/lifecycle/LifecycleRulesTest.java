package dev.clearance.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.clearance.store.DirectiveStatus;
import dev.clearance.store.DirectiveVersion;
import java.time.Instant;
import java.util.EnumSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The rules alone, without a store: which step each status allows, and who may approve. */
class LifecycleRulesTest {
    static final LifecycleRules TWO_PEOPLE = new LifecycleRules(true);
    static final LifecycleRules ONE_PERSON = new LifecycleRules(false);

    static DirectiveVersion version(DirectiveStatus status) {
        return new DirectiveVersion(
                "d1", 2, "d.yaml", "id: d1\n", "sha256:00", status, "ann", null, Instant.parse("2026-11-26T09:00:00Z"));
    }

    @Test
    void with_the_two_person_rule_the_author_may_not_approve_their_own_draft() {
        assertThatThrownBy(() -> TWO_PEOPLE.checkApprove(version(DirectiveStatus.DRAFT), "ann"))
                .isInstanceOf(LifecycleException.class)
                .hasMessage("two-person rule: d1@2 was written by ann and must be approved by someone else");
    }

    @Test
    void with_the_two_person_rule_someone_else_may_approve_the_draft() {
        assertThatCode(() -> TWO_PEOPLE.checkApprove(version(DirectiveStatus.DRAFT), "bob"))
                .doesNotThrowAnyException();
    }

    @Test
    void without_the_two_person_rule_the_author_may_approve_their_own_draft() {
        assertThatCode(() -> ONE_PERSON.checkApprove(version(DirectiveStatus.DRAFT), "ann"))
                .doesNotThrowAnyException();
    }

    @ParameterizedTest
    @EnumSource(value = DirectiveStatus.class, names = "DRAFT", mode = EnumSource.Mode.EXCLUDE)
    void only_a_draft_can_be_approved_whoever_approves(DirectiveStatus status) {
        for (LifecycleRules rules : new LifecycleRules[] {TWO_PEOPLE, ONE_PERSON}) {
            assertThatThrownBy(() -> rules.checkApprove(version(status), "bob"))
                    .isInstanceOf(LifecycleException.class)
                    .hasMessage("d1@2 is " + status.wireName() + "; only a draft can be approved");
        }
    }

    @Test
    void only_an_approved_version_can_be_activated() {
        Set<DirectiveStatus> activatable = EnumSet.noneOf(DirectiveStatus.class);
        for (DirectiveStatus s : DirectiveStatus.values()) {
            if (TWO_PEOPLE.mayActivate(s)) {
                activatable.add(s);
            }
        }
        assertThat(activatable).containsExactly(DirectiveStatus.APPROVED);
        assertThatCode(() -> TWO_PEOPLE.checkActivate(version(DirectiveStatus.APPROVED)))
                .doesNotThrowAnyException();
        assertThatThrownBy(() -> TWO_PEOPLE.checkActivate(version(DirectiveStatus.ACTIVE)))
                .isInstanceOf(LifecycleException.class)
                .hasMessage("d1@2 is active; only an approved version can be activated");
    }

    @Test
    void activating_a_draft_says_to_approve_it_first() {
        assertThatThrownBy(() -> TWO_PEOPLE.checkActivate(version(DirectiveStatus.DRAFT)))
                .isInstanceOf(LifecycleException.class)
                .hasMessage("d1@2 is draft; only an approved version can be activated (approve it first)");
    }

    @ParameterizedTest
    @EnumSource(value = DirectiveStatus.class, names = "WITHDRAWN", mode = EnumSource.Mode.EXCLUDE)
    void a_draft_an_approved_or_an_active_version_can_be_withdrawn(DirectiveStatus status) {
        assertThatCode(() -> TWO_PEOPLE.checkWithdraw(version(status))).doesNotThrowAnyException();
    }

    @Test
    void a_withdrawn_version_cannot_be_withdrawn_again() {
        assertThatThrownBy(() -> TWO_PEOPLE.checkWithdraw(version(DirectiveStatus.WITHDRAWN)))
                .isInstanceOf(LifecycleException.class)
                .hasMessage("d1@2 is already withdrawn");
    }
}
