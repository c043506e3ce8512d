package dev.clearance.bench.screening;

import com.ibm.icu.text.Transliterator;
import dev.clearance.screening.ListedParty;
import dev.clearance.screening.NameNormalizer;
import dev.clearance.screening.PartyType;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/** Labelled screening queries generated from the listed parties, and the name forms they are made with. */
final class LabelledQueries {
    /**
     * One query and what it should find.
     *
     * @param variant   how it was made (e.g. {@code typo}); {@code not-listed-*} variants should find nothing
     * @param targetKey the listed party it should find ({@link #key}), or {@code null}
     */
    record LabelledQuery(String variant, String query, PartyType kind, String targetKey) {}

    private LabelledQueries() {}

    /**
     * {@code n} queries of each variant: listed names as written, reordered, with a typo, without a
     * middle name, with diacritics, in Cyrillic and Arabic, by alias, with another legal form; and
     * names that are not listed (recombined, common, companies).
     */
    static List<LabelledQuery> generate(List<ListedParty> all, Random rnd, int n) {
        List<Set<String>> listedNames = new ArrayList<>();
        for (ListedParty p : all) {
            for (String name : names(p))
                listedNames.add(
                        skeletons(NameNormalizer.normalize(name, p.type()).tokens()));
        }
        List<LabelledQuery> out = new ArrayList<>();
        List<ListedParty> persons =
                all.stream().filter(p -> p.type() == PartyType.PERSON).toList();
        List<ListedParty> orgs =
                all.stream().filter(p -> p.type() == PartyType.ORGANIZATION).toList();
        List<ListedParty> withAlias =
                all.stream().filter(p -> !p.aliases().isEmpty()).toList();
        List<ListedParty> longPersons =
                persons.stream().filter(p -> natural(p).split(" ").length >= 3).toList();
        Transliterator toCyrillic = Transliterator.getInstance("Latin-Cyrillic");
        Transliterator toArabic = Transliterator.getInstance("Latin-Arabic");

        for (int i = 0; i < n; i++) {
            ListedParty p = all.get(rnd.nextInt(all.size()));
            out.add(new LabelledQuery("exact", p.name(), PartyType.UNKNOWN, key(p)));
        }
        for (int i = 0; i < n; i++) {
            ListedParty p = persons.get(rnd.nextInt(persons.size()));
            out.add(new LabelledQuery("reordered", natural(p), PartyType.UNKNOWN, key(p)));
        }
        for (int i = 0; i < n; i++) {
            ListedParty p = all.get(rnd.nextInt(all.size()));
            String t = typo(natural(p), rnd);
            if (t != null) out.add(new LabelledQuery("typo", t, PartyType.UNKNOWN, key(p)));
            else i--;
        }
        for (int i = 0; i < n; i++) {
            ListedParty p = longPersons.get(rnd.nextInt(longPersons.size()));
            List<String> w = new ArrayList<>(List.of(natural(p).split(" ")));
            w.remove(1 + rnd.nextInt(w.size() - 2));
            out.add(new LabelledQuery("dropped-middle", String.join(" ", w), PartyType.UNKNOWN, key(p)));
        }
        for (int i = 0; i < n; i++) {
            ListedParty p = all.get(rnd.nextInt(all.size()));
            out.add(new LabelledQuery("diacritics", diacritics(natural(p), rnd), PartyType.UNKNOWN, key(p)));
        }
        for (int i = 0; i < n; i++) {
            ListedParty p = persons.get(rnd.nextInt(persons.size()));
            out.add(new LabelledQuery("cyrillic", cyrillic(natural(p), toCyrillic), PartyType.UNKNOWN, key(p)));
        }
        for (int i = 0; i < n; i++) {
            ListedParty p = persons.get(rnd.nextInt(persons.size()));
            // Arabic is written without short vowels: strip the harakat ICU adds.
            String ar =
                    toArabic.transliterate(natural(p).toLowerCase(Locale.ROOT)).replaceAll("[\\u064B-\\u0652]", "");
            out.add(new LabelledQuery("arabic", ar, PartyType.UNKNOWN, key(p)));
        }
        for (int i = 0; i < n; i++) {
            ListedParty p = withAlias.get(rnd.nextInt(withAlias.size()));
            out.add(new LabelledQuery(
                    "alias", p.aliases().get(rnd.nextInt(p.aliases().size())), PartyType.UNKNOWN, key(p)));
        }
        for (int i = 0; i < n; i++) {
            ListedParty p = orgs.get(rnd.nextInt(orgs.size()));
            NameNormalizer.Normalized norm = NameNormalizer.normalize(p.name(), PartyType.ORGANIZATION);
            if (norm.legalForms().isEmpty() && rnd.nextBoolean()) {
                i--;
                continue; // favour names that carry a legal form to replace
            }
            List<String> kept =
                    norm.tokens().stream().map(t -> t.toUpperCase(Locale.ROOT)).toList();
            String form = SyntheticNames.LEGAL_FORMS.get(rnd.nextInt(SyntheticNames.LEGAL_FORMS.size()));
            String q = rnd.nextInt(4) == 0 ? form + " " + String.join(" ", kept) : String.join(" ", kept) + " " + form;
            out.add(new LabelledQuery("legal-suffix", q, PartyType.UNKNOWN, key(p)));
        }
        // Not listed: given name of one listed person with the family name of another, ...
        int made = 0;
        while (made < n) {
            String[] a = natural(persons.get(rnd.nextInt(persons.size()))).split(" ");
            String[] b = natural(persons.get(rnd.nextInt(persons.size()))).split(" ");
            String q = a[0] + " " + b[b.length - 1];
            if (unlisted(q, PartyType.PERSON, listedNames)) {
                out.add(new LabelledQuery("not-listed-recombined", q, PartyType.UNKNOWN, null));
                made++;
            }
        }
        // ... common names from many cultures ...
        made = 0;
        while (made < n) {
            String q = SyntheticNames.GIVEN.get(rnd.nextInt(SyntheticNames.GIVEN.size()))
                    + (rnd.nextInt(3) == 0
                            ? " " + SyntheticNames.GIVEN.get(rnd.nextInt(SyntheticNames.GIVEN.size()))
                            : "")
                    + " "
                    + SyntheticNames.FAMILY.get(rnd.nextInt(SyntheticNames.FAMILY.size()));
            if (unlisted(q, PartyType.PERSON, listedNames)) {
                out.add(new LabelledQuery("not-listed-common", q, PartyType.UNKNOWN, null));
                made++;
            }
        }
        // ... and companies.
        made = 0;
        while (made < n) {
            String q = SyntheticNames.ORG_WORDS.get(rnd.nextInt(SyntheticNames.ORG_WORDS.size())) + " "
                    + SyntheticNames.ORG_KINDS.get(rnd.nextInt(SyntheticNames.ORG_KINDS.size())) + " "
                    + SyntheticNames.LEGAL_FORMS.get(rnd.nextInt(SyntheticNames.LEGAL_FORMS.size()));
            if (rnd.nextBoolean()) {
                ListedParty o = orgs.get(rnd.nextInt(orgs.size()));
                String[] w = o.name().split(" ");
                q = w[0] + " " + SyntheticNames.ORG_KINDS.get(rnd.nextInt(SyntheticNames.ORG_KINDS.size())) + " "
                        + SyntheticNames.LEGAL_FORMS.get(rnd.nextInt(SyntheticNames.LEGAL_FORMS.size()));
            }
            if (unlisted(q, PartyType.ORGANIZATION, listedNames)) {
                out.add(new LabelledQuery("not-listed-company", q, PartyType.UNKNOWN, null));
                made++;
            }
        }
        return out;
    }

    /**
     * Not listed: no listed name or alias contains every token of the query. (A name all of whose
     * words appear in one listed name is a potential match a reviewer should see.)
     */
    private static boolean unlisted(String q, PartyType type, List<Set<String>> listedNames) {
        Set<String> tokens = skeletons(NameNormalizer.normalize(q, type).tokens());
        for (Set<String> l : listedNames) {
            if (l.containsAll(tokens)) return false;
        }
        return true;
    }

    /** Tokens without vowels and doubled letters: Mohammad and Muhammad count as one name here. */
    private static Set<String> skeletons(List<String> tokens) {
        Set<String> out = new HashSet<>();
        for (String t : tokens) {
            String s = t.replaceAll("[aeiouyw]", "").replaceAll("(.)\\1+", "$1");
            out.add(s.isEmpty() ? t : s);
        }
        return out;
    }

    private static List<String> names(ListedParty p) {
        List<String> l = new ArrayList<>();
        l.add(p.name());
        l.addAll(p.aliases());
        return l;
    }

    /** The list and entity id of a party: what a query should find. */
    static String key(ListedParty p) {
        return p.list() + ":" + p.entityId();
    }

    /** "LAST, First Middle" as "First Middle Last"; other names as written. */
    static String natural(ListedParty p) {
        String n = p.name().trim();
        int c = n.indexOf(',');
        if (p.type() == PartyType.PERSON && c > 0 && n.indexOf(',', c + 1) < 0) {
            String last = n.substring(0, c).trim();
            last = last.charAt(0) + last.substring(1).toLowerCase(Locale.ROOT);
            n = n.substring(c + 1).trim() + " " + last;
        }
        return n.replaceAll("\\s+", " ");
    }

    private static String typo(String name, Random rnd) {
        String[] w = name.split(" ");
        List<Integer> candidates = new ArrayList<>();
        for (int i = 0; i < w.length; i++)
            if (w[i].length() >= 4 && w[i].chars().allMatch(Character::isLetter)) candidates.add(i);
        if (candidates.isEmpty()) return null;
        int i = candidates.get(rnd.nextInt(candidates.size()));
        StringBuilder t = new StringBuilder(w[i]);
        int at = 1 + rnd.nextInt(t.length() - 1);
        char letter = (char) ('a' + rnd.nextInt(26));
        if (Character.isUpperCase(t.charAt(at))) letter = Character.toUpperCase(letter);
        switch (rnd.nextInt(4)) {
            case 0 -> t.setCharAt(at, letter);
            case 1 -> t.deleteCharAt(at);
            case 2 -> t.insert(at, letter);
            default -> {
                if (at + 1 < t.length()) {
                    char c = t.charAt(at);
                    t.setCharAt(at, t.charAt(at + 1));
                    t.setCharAt(at + 1, c);
                } else {
                    t.setCharAt(at, letter);
                }
            }
        }
        w[i] = t.toString();
        return String.join(" ", w);
    }

    private static String diacritics(String name, Random rnd) {
        Map<Character, char[]> marks = new HashMap<>();
        marks.put('a', new char[] {'á', 'à', 'ä', 'â', 'ã'});
        marks.put('e', new char[] {'é', 'è', 'ë', 'ê'});
        marks.put('i', new char[] {'í', 'ï', 'î'});
        marks.put('o', new char[] {'ó', 'ö', 'ô', 'ø'});
        marks.put('u', new char[] {'ú', 'ü', 'û'});
        marks.put('c', new char[] {'ç', 'č'});
        marks.put('n', new char[] {'ñ'});
        marks.put('s', new char[] {'ş', 'š'});
        marks.put('z', new char[] {'ž'});
        StringBuilder sb = new StringBuilder(name);
        int changed = 0;
        for (int tries = 0; tries < 40 && changed < 3; tries++) {
            int at = rnd.nextInt(sb.length());
            char c = sb.charAt(at);
            char[] m = marks.get(Character.toLowerCase(c));
            if (m == null) continue;
            char r = m[rnd.nextInt(m.length)];
            sb.setCharAt(at, Character.isUpperCase(c) ? Character.toUpperCase(r) : r);
            changed++;
        }
        return sb.toString();
    }

    /** Writes a Latin name the way a Russian writer would, digraphs first. */
    private static String cyrillic(String name, Transliterator latinCyrillic) {
        String s = name.toLowerCase(Locale.ROOT);
        // initial and post-vowel "e" is written "э"; "qu" is "к"; soft "c" is "с"
        s = s.replace("ee", "и")
                .replaceAll("\\be", "э")
                .replaceAll("([aeiou])e", "$1э")
                .replace("qu", "к")
                .replaceAll("c([eiy])", "с$1");
        String[][] digraphs = {
            {"shch", "щ"},
            {"sh", "ш"},
            {"ch", "ч"},
            {"zh", "ж"},
            {"kh", "х"},
            {"ts", "ц"},
            {"ya", "я"},
            {"yu", "ю"},
            {"yo", "ё"},
            {"ye", "е"},
            {"iy", "ий"},
            {"j", "дж"},
            {"w", "в"},
            {"q", "к"},
            {"h", "х"},
            {"c", "к"},
            {"x", "кс"},
            {"y", "й"}
        };
        for (String[] d : digraphs) s = s.replace(d[0], d[1]);
        return latinCyrillic.transliterate(s);
    }
}
