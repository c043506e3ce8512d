package dev.clearance.log.tiles;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TilePathTest {
    @Test
    void index_is_written_in_three_digit_groups_prefixed_with_x_except_the_last() {
        assertThat(TilePath.encodeIndex(1234067)).isEqualTo("x001/x234/067");
        assertThat(TilePath.encodeIndex(0)).isEqualTo("000");
        assertThat(TilePath.encodeIndex(999)).isEqualTo("999");
        assertThat(TilePath.encodeIndex(1000)).isEqualTo("x001/000");
    }

    @Test
    void parses_the_spec_examples() {
        assertThat(TilePath.parse("tile/0/x001/x234/067")).contains(TilePath.hashes(0, 1234067, 256));
        assertThat(TilePath.parse("tile/1/x001/x234/067.p/8")).contains(TilePath.hashes(1, 1234067, 8));
        assertThat(TilePath.parse("tile/entries/x001/x234/067")).contains(TilePath.entries(1234067, 256));
        assertThat(TilePath.parse("tile/entries/000.p/255")).contains(TilePath.entries(0, 255));
        assertThat(TilePath.parse("checkpoint")).contains(TilePath.checkpoint());
        assertThat(TilePath.parse("/checkpoint")).contains(TilePath.checkpoint());
    }

    @Test
    void every_parsed_path_prints_back_to_itself() {
        for (String p :
                new String[] {"tile/0/x001/x234/067", "tile/63/000.p/1", "tile/entries/x999/999.p/17", "checkpoint"}) {
            assertThat(TilePath.parse(p).orElseThrow().path()).isEqualTo(p);
        }
    }

    @Test
    void rejects_paths_that_are_not_the_one_canonical_spelling() {
        for (String p : new String[] {
            "tile/0/x000/067",
            "tile/0/67",
            "tile/0/0067",
            "tile/00/067",
            "tile/64/000",
            "tile/0/067.p/0",
            "tile/0/067.p/256",
            "tile/0/067.p/08",
            "tile/0/x001",
            "tile/0/x001/x234/",
            "tile/e/000",
            "checkpoints",
            "tile/0/067/",
            "tile/0/000.p/"
        }) {
            assertThat(TilePath.parse(p)).as(p).isEmpty();
        }
    }
}
