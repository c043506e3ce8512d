package dev.clearance.log.merkle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/** The transparency-dev/merkle proof vectors (copied under src/test/resources/merkle). */
class ProofVectorsTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TestFactory
    Stream<DynamicTest> every_inclusion_vector_verifies_exactly_when_it_should() throws Exception {
        return vectors("inclusion")
                .map(f -> DynamicTest.dynamicTest(name(f), () -> {
                    JsonNode n = JSON.readTree(f.toFile());
                    boolean wantErr = n.get("wantErr").asBoolean();
                    if (wantErr) {
                        assertThatThrownBy(() ->
                                        InclusionProof.fromJson(n, name(f)).verify())
                                .isInstanceOf(ProofException.class);
                    } else {
                        assertThatCode(() -> InclusionProof.fromJson(n, name(f)).verify())
                                .doesNotThrowAnyException();
                    }
                }));
    }

    @TestFactory
    Stream<DynamicTest> every_consistency_vector_verifies_exactly_when_it_should() throws Exception {
        return vectors("consistency")
                .map(f -> DynamicTest.dynamicTest(name(f), () -> {
                    JsonNode n = JSON.readTree(f.toFile());
                    boolean wantErr = n.get("wantErr").asBoolean();
                    if (wantErr) {
                        assertThatThrownBy(() ->
                                        ConsistencyProof.fromJson(n, name(f)).verify())
                                .isInstanceOf(ProofException.class);
                    } else {
                        assertThatCode(() ->
                                        ConsistencyProof.fromJson(n, name(f)).verify())
                                .doesNotThrowAnyException();
                    }
                }));
    }

    /** Vectors that must verify although they are not named happy-path: edge cases the upstream suite marks valid. */
    private static final Set<String> VALID_EDGE_CASES = Set.of(
            "consistency/additional/sizes-are-equal-one-and-proof-is-empty.json",
            "inclusion/single-entry/matching-root-and-leaf.json");

    @Test
    void happy_paths_and_two_named_edge_cases_verify_and_every_other_vector_is_rejected() throws Exception {
        List<Path> all =
                Stream.concat(vectors("inclusion"), vectors("consistency")).toList();
        assertThat(all).hasSize(196);
        int verified = 0;
        int rejected = 0;
        for (Path f : all) {
            String name = relative(f);
            JsonNode n = JSON.readTree(f.toFile());
            boolean valid = f.getFileName().toString().equals("happy-path.json") || VALID_EDGE_CASES.contains(name);
            assertThat(n.get("wantErr").asBoolean())
                    .as("%s is %s", name, valid ? "valid" : "tampered")
                    .isEqualTo(!valid);
            ThrowingCallable verify = name.startsWith("inclusion/")
                    ? () -> InclusionProof.fromJson(n, name).verify()
                    : () -> ConsistencyProof.fromJson(n, name).verify();
            if (valid) {
                assertThatCode(verify).as(name).doesNotThrowAnyException();
                verified++;
            } else {
                assertThatThrownBy(verify).as(name).isInstanceOf(ProofException.class);
                rejected++;
            }
        }
        assertThat(verified).isEqualTo(12);
        assertThat(rejected).isEqualTo(184);
    }

    @Test
    void generated_proofs_over_the_vector_leaves_equal_the_vectors() throws Exception {
        byte[][] leaves = {
            hex(""),
            hex("00"),
            hex("10"),
            hex("2021"),
            hex("3031"),
            hex("40414243"),
            hex("5051525354555657"),
            hex("606162636465666768696a6b6c6d6e6f")
        };
        Rfc6962 h = new Rfc6962();
        java.util.Map<String, byte[]> nodes = new java.util.HashMap<>();
        CompactRange range = new CompactRange(h);
        for (byte[] leaf : leaves) {
            range.append(h.leafHash(leaf), (level, index, hash) -> nodes.put(level + "/" + index, hash));
        }
        assertThat(java.util.HexFormat.of().formatHex(range.root()))
                .isEqualTo("5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328");
        ProofBuilder builder = new ProofBuilder((level, index) -> nodes.get(level + "/" + index));
        for (Path f : vectors("inclusion")
                .filter(p -> p.getFileName().toString().equals("happy-path.json"))
                .toList()) {
            InclusionProof want = InclusionProof.fromJson(JSON.readTree(f.toFile()), name(f));
            List<byte[]> got = builder.inclusion(want.leafIdx(), want.treeSize());
            assertThat(got)
                    .as(name(f))
                    .usingElementComparator(java.util.Arrays::compare)
                    .containsExactlyElementsOf(want.proof());
            assertThat(builder.root(want.treeSize())).as(name(f)).isEqualTo(want.root());
        }
        for (Path f : vectors("consistency")
                .filter(p -> p.getFileName().toString().equals("happy-path.json"))
                .toList()) {
            ConsistencyProof want = ConsistencyProof.fromJson(JSON.readTree(f.toFile()), name(f));
            List<byte[]> got = builder.consistency(want.size1(), want.size2());
            assertThat(got)
                    .as(name(f))
                    .usingElementComparator(java.util.Arrays::compare)
                    .containsExactlyElementsOf(want.proof());
        }
    }

    private static byte[] hex(String s) {
        return java.util.HexFormat.of().parseHex(s);
    }

    private static Stream<Path> vectors(String kind) throws IOException, URISyntaxException {
        Path root =
                Path.of(ProofVectorsTest.class.getResource("/merkle/" + kind).toURI());
        try (Stream<Path> s = Files.walk(root)) {
            return s.filter(p -> p.toString().endsWith(".json")).sorted().toList().stream();
        }
    }

    /** The vector's path under the vectors' root, e.g. {@code inclusion/1/happy-path.json}. */
    private static String relative(Path f) throws URISyntaxException {
        Path root = Path.of(ProofVectorsTest.class.getResource("/merkle").toURI());
        return root.relativize(f).toString().replace('\\', '/');
    }

    private static String name(Path f) {
        return f.getParent().getFileName() + "/" + f.getFileName();
    }
}
