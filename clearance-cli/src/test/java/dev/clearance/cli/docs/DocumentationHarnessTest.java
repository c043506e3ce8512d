package dev.clearance.cli.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The rules {@link DocumentationTest} reads documents by: which blocks run, what output they must show,
 * and how what happens "within a second" is awaited.
 */
class DocumentationHarnessTest {

    @Test
    void only_the_blocks_of_the_named_section_are_read_and_a_text_block_belongs_to_the_block_just_before() {
        String md = """
                # Title
                ```sh
                outside
                ```
                ## Try it
                Some prose.
                ```sh background
                serve
                ```

                ```text
                ready
                ```
                More prose.
                ```text
                not an output
                ```
                ## Next
                ```sh
                also outside
                ```
                """;

        Markdown m = Markdown.parse(md, "Try it");

        assertThat(m.blocks()).extracting(Markdown.Block::language).containsExactly("sh", "text", "text");
        assertThat(m.blocks().get(0).has("background")).isTrue();
        assertThat(m.blocks().get(0).line()).isEqualTo(7);
        assertThat(m.blocks().get(1).afterBlock()).isTrue();
        assertThat(m.blocks().get(2).afterBlock()).isFalse();
        assertThat(Markdown.parse(md, null).blocks()).hasSize(5);
    }

    @Test
    void every_stated_line_must_match_a_different_output_line_with_placeholders_for_what_varies() {
        StatedOutput stated = StatedOutput.of("""
                policy version 1 active: 2 directive(s), content hash sha256:<hash>
                  losing access   4 of 9
                losing access 4 of 9
                """);

        assertThat(stated.missingFrom("""
                        policy version 1 active: 2 directive(s), content hash sha256:cae68710
                        losing access   4 of 9
                        losing access 4 of 9
                        """)).isEmpty();
        assertThat(stated.missingFrom("""
                        policy version 1 active: 2 directive(s), content hash sha256:cae68710
                        losing access 4 of 9
                        """)).contains("losing access 4 of 9");
        assertThat(stated.missingFrom("policy version 1 active: 3 directive(s), content hash sha256:x\n"))
                .contains("policy version 1 active: 2 directive(s), content hash sha256:<hash>");
        assertThat(StatedOutput.of("a <x> b").missingFrom("a  b")).isPresent(); // a placeholder is never empty
        assertThat(StatedOutput.of("(1 of 2) [x]").missingFrom("(1 of 2) [x]")).isEmpty(); // regex characters are text
    }

    @Test
    void a_condition_is_looked_at_again_until_it_holds_and_the_last_look_is_returned_when_patience_runs_out()
            throws Exception {
        AtomicInteger looks = new AtomicInteger();
        assertThat(Eventually.until(looks::incrementAndGet, n -> n == 3, Duration.ofMinutes(1)))
                .isEqualTo(3);

        AtomicInteger once = new AtomicInteger();
        assertThat(Eventually.until(once::incrementAndGet, n -> false, Duration.ZERO))
                .isEqualTo(1);
    }
}
