package dev.clearance.store;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RedactionTest {
    @Test
    void passwords_in_store_urls_are_masked_in_both_forms() {
        assertThat(Store.redact("jdbc:postgresql://db:5432/c?user=app&password=hunter2&ssl=true"))
                .isEqualTo("jdbc:postgresql://db:5432/c?user=app&password=***&ssl=true");
        assertThat(Store.redact("jdbc:postgresql://app:hunter2@db/c")).isEqualTo("jdbc:postgresql://app:***@db/c");
        assertThat(Store.redact("jdbc:sqlite:/data/clearance.db")).isEqualTo("jdbc:sqlite:/data/clearance.db");
    }
}
