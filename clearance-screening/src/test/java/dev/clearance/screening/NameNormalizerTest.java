package dev.clearance.screening;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class NameNormalizerTest {
    private static java.util.List<String> tokens(String name, PartyType type) {
        return NameNormalizer.normalize(name, type).tokens();
    }

    @Test
    void case_and_punctuation_do_not_matter() {
        assertThat(tokens("  Banco   NACIONAL-de cuba!! ", PartyType.UNKNOWN))
                .containsExactly("banko", "nasional", "de", "kuba");
    }

    @Test
    void diacritics_are_folded_to_ascii() {
        assertThat(tokens("Jürgen MÜLLER Ødegård Çağlar", PartyType.PERSON))
                .isEqualTo(tokens("Jurgen Muller Odegard Caglar", PartyType.PERSON));
    }

    @Test
    void last_comma_first_is_read_as_first_last() {
        NameNormalizer.Normalized n = NameNormalizer.normalize("KHUSYAYNOVA, Elena Alekseevna", PartyType.PERSON);
        // (romanisation variants folded: "kh" as "h", "ee" as "i")
        assertThat(n.tokens()).containsExactly("elena", "aleksivna", "husyaynova");
        assertThat(n.reordered()).isTrue();
    }

    @Test
    void a_company_with_a_comma_before_its_legal_form_is_not_reordered() {
        NameNormalizer.Normalized n = NameNormalizer.normalize("ANGLO-CARIBBEAN CO., LTD.", PartyType.UNKNOWN);
        assertThat(n.reordered()).isFalse();
        assertThat(n.tokens()).containsExactly("anglo", "karibbean");
        assertThat(n.legalForms()).containsExactly("co", "ltd");
    }

    @Test
    void legal_forms_are_dropped_wherever_they_stand_and_how_ever_they_are_spelt() {
        String[] spellings = {
            "Nevskiy News LLC",
            "OOO Nevskiy News",
            "Nevskiy News Limited Liability Company",
            "Nevskiy News S.A.",
            "Nevskiy News GmbH",
            "JSC Nevskiy News",
            "Nevskiy News Co., Ltd.",
            "Nevskiy News Compnay"
        };
        for (String s : spellings) {
            assertThat(tokens(s, PartyType.ORGANIZATION)).as(s).containsExactly("nevski", "nevs");
        }
    }

    @Test
    void persons_keep_words_that_look_like_legal_forms() {
        assertThat(tokens("Ao Sa", PartyType.PERSON)).containsExactly("ao", "sa");
    }

    @Test
    void dotted_initials_join_but_an_initial_before_a_name_stays_alone() {
        assertThat(tokens("U.S.A. Trading", PartyType.UNKNOWN)).containsExactly("usa", "trading");
        assertThat(tokens("J. Smith", PartyType.PERSON)).containsExactly("j", "smith");
        assertThat(tokens("O'Brien", PartyType.PERSON)).containsExactly("obrien");
    }

    @Test
    void cyrillic_is_romanised_as_western_lists_write_russian_names() {
        assertThat(tokens("Малькевич Александр Александрович", PartyType.PERSON))
                .isEqualTo(tokens("Malkevich Aleksandr Aleksandrovich", PartyType.PERSON));
        assertThat(tokens("Дмитрий Медведев", PartyType.PERSON)).isEqualTo(tokens("Dmitry Medvedev", PartyType.PERSON));
    }

    @Test
    void other_scripts_are_transliterated() {
        assertThat(tokens("أحمد حسن", PartyType.PERSON)).containsExactly("ahmd", "hsn");
        assertThat(tokens("Νικόλαος", PartyType.PERSON)).isEqualTo(tokens("Nikolaos", PartyType.PERSON));
        assertThat(tokens("王伟", PartyType.PERSON)).isEqualTo(tokens("Wang Wei", PartyType.PERSON));
    }

    @Test
    void romanisation_variants_of_one_sound_fold_together() {
        assertThat(tokens("Mukhammad Dzhamal Yevgeniy", PartyType.PERSON))
                .isEqualTo(tokens("Muhammad Jamal Evgeniy", PartyType.PERSON));
        assertThat(tokens("Mahmoud Ameer Enrique", PartyType.PERSON))
                .isEqualTo(tokens("Mahmud Amir Enrike", PartyType.PERSON));
    }
}
