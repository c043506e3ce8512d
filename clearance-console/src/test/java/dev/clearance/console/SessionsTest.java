package dev.clearance.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SessionsTest {
    /** A clock the test moves. */
    static final class Moving extends Clock {
        Instant now = Instant.parse("2026-11-26T12:00:00Z");

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }

    final Moving clock = new Moving();
    final Sessions sessions = new Sessions(clock);

    @Test
    void a_session_id_and_its_csrf_token_are_256_random_bits_and_never_repeat() {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 200; i++) {
            Session s = sessions.open("console:ann", Role.ALL);
            assertThat(s.id()).matches("[A-Za-z0-9_-]{43}");
            assertThat(s.csrf()).matches("[A-Za-z0-9_-]{43}").isNotEqualTo(s.id());
            assertThat(seen.add(s.id())).isTrue();
            assertThat(seen.add(s.csrf())).isTrue();
        }
    }

    @Test
    void an_idle_session_ends_and_a_used_one_lives_on_until_its_absolute_end() {
        Session s = sessions.open("console:ann", Role.ALL);
        for (int i = 0; i < 23; i++) {
            clock.now = clock.now.plus(Duration.ofMinutes(29));
            assertThat(sessions.find(s.id()))
                    .as("used every 29 minutes, after %d uses", i)
                    .isPresent();
        }
        clock.now = clock.now.plus(Duration.ofMinutes(29)); // 11 h 36 min in
        assertThat(sessions.find(s.id())).isPresent();
        clock.now = s.ends();
        assertThat(sessions.find(s.id())).isEmpty();

        Session idle = sessions.open("console:bob", Role.ALL);
        clock.now = clock.now.plus(Sessions.IDLE);
        assertThat(sessions.find(idle.id())).isEmpty();
    }

    @Test
    void a_closed_or_unknown_session_finds_nothing() {
        Session s = sessions.open("console:ann", Role.ALL);
        sessions.close(s.id());
        assertThat(sessions.find(s.id())).isEmpty();
        assertThat(sessions.find("made-up")).isEmpty();
        assertThat(sessions.find("")).isEmpty();
        assertThat(sessions.find(null)).isEmpty();
    }

    @Test
    void the_table_never_grows_past_its_bound() {
        for (int i = 0; i < Sessions.MAX + 50; i++) {
            sessions.open("console:x" + i, Role.ALL);
        }
        assertThat(sessions.size()).isLessThanOrEqualTo(Sessions.MAX);
    }
}
