package dev.clearance.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.Collectors;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

class YamlLinesTest {
    static String joined(List<YamlLines.Line> lines) {
        return lines.stream()
                .map(l -> l.pieces().stream().map(YamlLines.Piece::text).collect(Collectors.joining()))
                .collect(Collectors.joining("\n"));
    }

    @Test
    void keys_strings_numbers_and_comments_are_classed_and_dates_stay_whole() {
        List<YamlLines.Line> lines = YamlLines.of(
                "id: dir-7 # the order\nscope: {models: [\"frontier-x*\"]}\nrank: 3\neffective_from: 2026-01-01T00:00:00Z\n");
        assertThat(lines).hasSize(4);
        assertThat(lines.get(0).pieces())
                .contains(new YamlLines.Piece("key", "id"), new YamlLines.Piece("com", "# the order"));
        assertThat(lines.get(1).pieces()).contains(new YamlLines.Piece("str", "\"frontier-x*\""));
        assertThat(lines.get(2).pieces()).contains(new YamlLines.Piece("num", "3"));
        assertThat(lines.get(3).pieces()).noneMatch(p -> p.kind().equals("num"));
        assertThat(lines.get(3).number()).isEqualTo(4);
    }

    @Property
    void highlighting_keeps_every_character_in_order(@ForAll String text) {
        String expected = text.endsWith("\n") && text.length() > 1 ? text.substring(0, text.length() - 1) : text;
        assertThat(joined(YamlLines.of(text))).isEqualTo(text.equals("\n") ? "" : expected);
    }
}
