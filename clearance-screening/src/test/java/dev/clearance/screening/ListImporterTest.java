package dev.clearance.screening;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ListImporterTest {
    private static final Instant NOW = Instant.parse("2026-11-27T00:00:00Z");
    private final ListImporter importer = new ListImporter(Clock.fixed(NOW, ZoneOffset.UTC));

    static Path resource(String name) {
        try {
            return Path.of(
                    ListImporterTest.class.getResource("/screening/" + name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Map<String, ListedParty> byId(ListVersion v) {
        return v.parties().stream().collect(Collectors.toMap(ListedParty::entityId, Function.identity()));
    }

    @Test
    void ofac_files_are_joined_by_ent_num_with_dash_zero_dash_as_empty() throws Exception {
        ListVersion v = importer.ofacSdn(resource("ofac"));

        assertThat(v.source()).isEqualTo(ListSource.OFAC_SDN);
        assertThat(v.importedAt()).isEqualTo(NOW);
        assertThat(v.contentHash()).matches("sha256:[0-9a-f]{64}");
        assertThat(v.parties()).hasSize(11);
        Map<String, ListedParty> parties = byId(v);
        ListedParty bank = parties.get("306");
        assertThat(bank.list()).isEqualTo("SDN");
        assertThat(bank.name()).isEqualTo("BANCO NACIONAL DE CUBA");
        assertThat(bank.type()).isEqualTo(PartyType.ORGANIZATION);
        assertThat(bank.aliases()).containsExactly("NATIONAL BANK OF CUBA");
        assertThat(bank.countries()).contains("Switzerland", "Spain");
        assertThat(bank.programs()).containsExactly("CUBA");
        ListedParty person = parties.get("26233");
        assertThat(person.type()).isEqualTo(PartyType.PERSON);
        assertThat(person.datesOfBirth()).containsExactly("17 Feb 1974");
        assertThat(parties.get("4234").type()).isEqualTo(PartyType.VESSEL);
        assertThat(parties.get("23647").aliases()).hasSize(7);
    }

    @Test
    void the_same_files_give_the_same_content_hash_and_any_change_another(@TempDir Path dir) throws Exception {
        for (String f : new String[] {"sdn.csv", "alt.csv", "add.csv"}) {
            Files.copy(resource("ofac/" + f), dir.resolve(f));
        }
        String first = importer.ofacSdn(dir).contentHash();
        assertThat(importer.ofacSdn(resource("ofac")).contentHash()).isEqualTo(first);

        Files.writeString(
                dir.resolve("alt.csv"), "306,221,\"aka\",\"BNC\",-0- \n", java.nio.file.StandardOpenOption.APPEND);
        assertThat(importer.ofacSdn(dir).contentHash()).isNotEqualTo(first);
    }

    @Test
    void a_row_with_too_few_fields_fails_the_import_naming_file_and_line() {
        assertThatThrownBy(() -> importer.ofacSdn(resource("ofac-bad-row")))
                .isInstanceOf(ListImportException.class)
                .hasMessageEndingWith("sdn.csv:3: expected 12 fields, found 11")
                .satisfies(e -> assertThat(((ListImportException) e).line()).isEqualTo(3));
    }

    @Test
    void an_alias_of_an_unknown_entry_fails_the_import() {
        assertThatThrownBy(() -> importer.ofacSdn(resource("ofac-orphan-alias")))
                .isInstanceOf(ListImportException.class)
                .hasMessageEndingWith("alt.csv:15: ent_num 77777 is not in sdn.csv");
    }

    @Test
    void a_missing_file_is_named(@TempDir Path dir) {
        assertThatThrownBy(() -> importer.ofacSdn(dir))
                .isInstanceOf(ListImportException.class)
                .hasMessageContaining("sdn.csv: file does not exist");
    }

    @Test
    void trailing_end_of_file_marks_and_blank_lines_are_not_records(@TempDir Path dir) throws Exception {
        for (String f : new String[] {"sdn.csv", "alt.csv", "add.csv"}) {
            byte[] bytes = Files.readAllBytes(resource("ofac/" + f));
            Files.write(dir.resolve(f), concat(bytes, "\r\n\r\n\u001a".getBytes(StandardCharsets.US_ASCII)));
        }
        assertThat(importer.ofacSdn(dir).parties()).hasSize(11);
    }

    @Test
    void windows1252_files_are_read_when_they_are_not_utf8(@TempDir Path dir) throws Exception {
        Files.writeString(
                dir.resolve("sdn.csv"),
                "1,\"MÜLLER, Jürgen\",\"individual\",\"SDGT\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \n",
                Charset.forName("windows-1252"));
        Files.writeString(dir.resolve("alt.csv"), "");
        Files.writeString(dir.resolve("add.csv"), "");

        assertThat(importer.ofacSdn(dir).parties().get(0).name()).isEqualTo("MÜLLER, Jürgen");
    }

    @Test
    void quoted_fields_may_hold_commas_doubled_quotes_and_line_breaks(@TempDir Path dir) throws Exception {
        Files.writeString(
                dir.resolve("sdn.csv"),
                "1,\"ACME, \"\"THE\"\" CO.\",-0- ,\"X\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,\"line one\nline two\"\n"
                        + "2,\"SECOND\",-0- ,\"X\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \n"
                        + "3,\"THIRD\",\"boat\",\"X\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \n");
        Files.writeString(dir.resolve("alt.csv"), "");
        Files.writeString(dir.resolve("add.csv"), "");

        // The third record starts on line 4 because the first spans two lines.
        assertThatThrownBy(() -> importer.ofacSdn(dir))
                .hasMessageEndingWith(
                        "sdn.csv:4: field SDN_Type has unknown value 'boat'; expected individual, vessel, aircraft or -0-");
        Files.writeString(
                dir.resolve("sdn.csv"), Files.readString(dir.resolve("sdn.csv")).replace("boat", "vessel"));
        assertThat(importer.ofacSdn(dir).parties().get(0).name()).isEqualTo("ACME, \"THE\" CO.");
    }

    @Test
    void csl_csv_splits_multi_valued_fields_and_derives_ids_for_entries_without() throws Exception {
        ListVersion v = importer.csl(resource("csl.csv"));

        assertThat(v.source()).isEqualTo(ListSource.CSL);
        assertThat(v.parties()).hasSize(8);
        ListedParty institute = v.parties().get(7);
        assertThat(institute.list()).isEqualTo("EL");
        assertThat(institute.entityId()).matches("EL-[0-9a-f]{12}");
        assertThat(institute.aliases()).hasSize(3).first().asString().startsWith("China Electronics Technology Group");
        assertThat(institute.countries()).containsExactly("CN");
        assertThat(v.parties().get(0).list()).isEqualTo("DPL");
        assertThat(v.parties().get(1).type()).isEqualTo(PartyType.VESSEL);
        assertThat(v.parties().get(1).entityId()).isEqualTo("23156");
        // Derived ids are stable from one import to the next.
        assertThat(importer.csl(resource("csl.csv")).parties().get(7).entityId())
                .isEqualTo(institute.entityId());
    }

    @Test
    void csl_json_reads_arrays_and_semicolon_separated_strings() throws Exception {
        ListVersion v = importer.csl(resource("csl.json"));

        assertThat(v.parties()).hasSize(3);
        assertThat(v.parties().get(0).aliases()).hasSize(2);
        assertThat(v.parties().get(0).countries()).containsExactly("CN");
        assertThat(v.parties().get(1).entityId()).isEqualTo("15193");
        assertThat(v.parties().get(1).type()).isEqualTo(PartyType.PERSON);
        assertThat(v.parties().get(1).countries()).containsExactly("SY");
        assertThat(v.parties().get(2).aliases())
                .containsExactly("ABDEL JAWAD, Nasir Abdullah Odeh", "ABD AL-JAWAD, Nasser");
        assertThat(v.parties().get(2).datesOfBirth()).containsExactly("1961");
    }

    @Test
    void csl_json_with_an_empty_name_fails_at_its_line() {
        assertThatThrownBy(() -> importer.csl(resource("csl-bad.json")))
                .isInstanceOf(ListImportException.class)
                .hasMessageEndingWith("csl-bad.json:4: field name is empty");
    }

    @Test
    void csl_csv_with_an_unterminated_quote_fails_where_the_record_starts() {
        assertThatThrownBy(() -> importer.csl(resource("csl-unterminated.csv")))
                .isInstanceOf(ListImportException.class)
                .hasMessageEndingWith("csl-unterminated.csv:4: unexpected character 'S' after a closing quote on line 5"
                        + " (a quote inside a quoted field must be doubled)");
    }

    @Test
    void a_quote_left_open_at_the_end_of_the_file_fails_where_the_record_starts(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("dpl.txt");
        Files.writeString(f, Files.readString(resource("dpl.txt")) + "\"OPEN\tX\n");
        assertThatThrownBy(() -> importer.bisDpl(f))
                .isInstanceOf(ListImportException.class)
                .hasMessageEndingWith("dpl.txt:7: quoted field is not closed before the end of the file");
    }

    @Test
    void denial_list_is_read_with_trimmed_names_and_stable_derived_ids() throws Exception {
        ListVersion v = importer.bisDpl(resource("dpl.txt"));

        assertThat(v.source()).isEqualTo(ListSource.BIS_DPL);
        assertThat(v.parties())
                .extracting(ListedParty::name)
                .containsExactly("ADRIAN MANUEL HERNANDEZ", "I. ASH", "(SEAN) NAGHIBI", "BOB BABU", "BOB RAHIMZADEH");
        assertThat(v.parties()).allSatisfy(p -> assertThat(p.entityId()).matches("DPL-[0-9a-f]{12}"));
        assertThat(v.parties().get(1).countries()).containsExactly("US");
        assertThat(importer.bisDpl(resource("dpl.txt")).parties()).isEqualTo(v.parties());
    }

    @Test
    void denial_list_row_with_missing_fields_fails_at_its_line() {
        assertThatThrownBy(() -> importer.bisDpl(resource("dpl-short-row.txt")))
                .isInstanceOf(ListImportException.class)
                .hasMessageEndingWith("dpl-short-row.txt:4: expected 12 fields, found 2");
    }

    @Test
    void denial_list_with_another_header_is_rejected(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("dpl.txt");
        Files.writeString(f, "\"Name\"\t\"Address\"\n\"X\"\t\"Y\"\n");
        assertThatThrownBy(() -> importer.bisDpl(f))
                .isInstanceOf(ListImportException.class)
                .hasMessageContaining("dpl.txt:1: header is [Name, Address]; expected [Name, Street_Address");
    }

    @Test
    void list_kinds_are_read_by_their_command_line_names() {
        assertThat(ListSource.fromWireName("ofac-sdn")).isEqualTo(ListSource.OFAC_SDN);
        assertThat(ListSource.fromWireName("CSL")).isEqualTo(ListSource.CSL);
        assertThatThrownBy(() -> ListSource.fromWireName("eu"))
                .hasMessage("unknown list kind 'eu'; valid kinds: [ofac-sdn, csl, bis-dpl]");
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = new byte[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
