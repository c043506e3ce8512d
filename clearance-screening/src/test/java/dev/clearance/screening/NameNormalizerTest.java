package dev.clearance.screening;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class NameNormalizerTest {
    private static java.util.List<String> tokens(String name, PartyType type) {
        return NameNormalizer.normalize(name, type).tokens();
    }

    @Test
    void caseAndPunctuationDoNotMatter() {
        assertThat(tokens("  Banco   NACIONAL-de cuba!! ", PartyType.UNKNOWN))
                .containsExactly("banko", "nasional", "de", "kuba");
    }

    @Test
    void diacriticsAreFoldedToAscii() {
        assertThat(tokens("Jürgen MÜLLER Ødegård Çağlar", PartyType.PERSON))
                .isEqualTo(tokens("Jurgen Muller Odegard Caglar", PartyType.PERSON));
    }

    @Test
    void lastCommaFirstIsReadAsFirstLast() {
        NameNormalizer.Normalized n = NameNormalizer.normalize("KHUSYAYNOVA, Elena Alekseevna", PartyType.PERSON);
        // (romanisation variants folded: "kh" as "h", "ee" as "i")
        assertThat(n.tokens()).containsExactly("elena", "aleksivna", "husyaynova");
        assertThat(n.reordered()).isTrue();
    }

    @Test
    void aCompanyWithACommaBeforeItsLegalFormIsNotReordered() {
        NameNormalizer.Normalized n = NameNormalizer.normalize("ANGLO-CARIBBEAN CO., LTD.", PartyType.UNKNOWN);
        assertThat(n.reordered()).isFalse();
        assertThat(n.tokens()).containsExactly("anglo", "karibbean");
        assertThat(n.legalForms()).containsExactly("co", "ltd");
    }

    @Test
    void legalFormsAreDroppedWhereverTheyStandAndHowEverTheyAreSpelt() {
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
    void personsKeepWordsThatLookLikeLegalForms() {
        assertThat(tokens("Ao Sa", PartyType.PERSON)).containsExactly("ao", "sa");
    }

    @Test
    void dottedInitialsJoinButAnInitialBeforeANameStaysAlone() {
        assertThat(tokens("U.S.A. Trading", PartyType.UNKNOWN)).containsExactly("usa", "trading");
        assertThat(tokens("J. Smith", PartyType.PERSON)).containsExactly("j", "smith");
        assertThat(tokens("O'Brien", PartyType.PERSON)).containsExactly("obrien");
    }

    @Test
    void cyrillicIsRomanisedAsWesternListsWriteRussianNames() {
        assertThat(tokens("Малькевич Александр Александрович", PartyType.PERSON))
                .isEqualTo(tokens("Malkevich Aleksandr Aleksandrovich", PartyType.PERSON));
        assertThat(tokens("Дмитрий Медведев", PartyType.PERSON)).isEqualTo(tokens("Dmitry Medvedev", PartyType.PERSON));
    }

    @Test
    void otherScriptsAreTransliterated() {
        assertThat(tokens("أحمد حسن", PartyType.PERSON)).containsExactly("ahmd", "hsn");
        assertThat(tokens("Νικόλαος", PartyType.PERSON)).isEqualTo(tokens("Nikolaos", PartyType.PERSON));
        assertThat(tokens("王伟", PartyType.PERSON)).isEqualTo(tokens("Wang Wei", PartyType.PERSON));
    }

    @Test
    void romanisationVariantsOfOneSoundFoldTogether() {
        assertThat(tokens("Mukhammad Dzhamal Yevgeniy", PartyType.PERSON))
                .isEqualTo(tokens("Muhammad Jamal Evgeniy", PartyType.PERSON));
        assertThat(tokens("Mahmoud Ameer Enrique", PartyType.PERSON))
                .isEqualTo(tokens("Mahmud Amir Enrike", PartyType.PERSON));
    }
}
