package dev.clearance.screening;

import com.ibm.icu.text.Transliterator;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Turns a name as written (any script, any order, with punctuation and legal forms) into the
 * lower-case ASCII tokens that matching compares.
 *
 * <p>Steps: transliterate non-ASCII text to Latin ASCII with ICU (Cyrillic by the BGN/PCGN
 * romanisation, which is how Russian names appear in Western lists; every other script by
 * {@code Any-Latin; Latin-ASCII}); fold case; read {@code "LAST, First Middle"} as
 * {@code "First Middle LAST"}; drop apostrophes ({@code O'Brien} = {@code OBrien}); join dotted
 * initials ({@code S.A.} = {@code SA}); split on other punctuation; drop legal-form words
 * ({@code Co., Ltd., LLC, JSC, OOO, GmbH, ...}) and a few filler words from names that are not
 * persons. Instances are immutable and thread-safe.
 */
public final class NameNormalizer {
    // The leading NFC keeps the Cyrillic filter on its own step: ICU reads a filter on the first
    // step as a filter for the whole chain.
    private static final String TRANSLITERATION = "NFC; [:Cyrillic:] Russian-Latin/BGN; Any-Latin; Latin-ASCII";

    // ICU transliterators are not safe for concurrent use: one per thread.
    private static final ThreadLocal<Transliterator> TRANSLITERATOR =
            ThreadLocal.withInitial(() -> Transliterator.getInstance(TRANSLITERATION));

    /** Single legal-form words, as they are after dots are removed. */
    static final Set<String> LEGAL_FORMS = Set.of(
            "co",
            "cos",
            "company",
            "corp",
            "corporation",
            "inc",
            "incorporated",
            "ltd",
            "limited",
            "llc",
            "llp",
            "lp",
            "plc",
            "sa",
            "sarl",
            "sas",
            "srl",
            "spa",
            "sae",
            "sal",
            "ag",
            "gmbh",
            "kg",
            "bv",
            "nv",
            "oy",
            "oyj",
            "jsc",
            "ojsc",
            "cjsc",
            "pjsc",
            "oao",
            "zao",
            "ooo",
            "pao",
            "tov",
            "fze",
            "fzco",
            "fzc",
            "fzllc",
            "fzoo",
            "pte",
            "pvt",
            "bhd",
            "sdn",
            "kk",
            "kft",
            "zrt",
            "doo",
            "ltda",
            "sl",
            "sro",
            "spzoo",
            "ab",
            "aps",
            "asa",
            "se",
            "cv",
            "sc",
            "sde",
            "sti",
            "as",
            "ao");
    /** Multi-word legal forms, matched before single words. */
    private static final List<List<String>> LEGAL_PHRASES = List.of(
            List.of("limited", "liability", "company"),
            List.of("limited", "liability", "partnership"),
            List.of("public", "joint", "stock", "company"),
            List.of("closed", "joint", "stock", "company"),
            List.of("open", "joint", "stock", "company"),
            List.of("joint", "stock", "company"),
            List.of("closed", "joint", "stock"),
            List.of("open", "joint", "stock"),
            List.of("public", "joint", "stock"),
            List.of("joint", "stock"),
            List.of("limited", "liability"),
            List.of("private", "limited"),
            List.of("public", "limited", "company"),
            List.of("societe", "anonyme"),
            List.of("sociedad", "anonima"),
            List.of("obshchestvo", "s", "ogranichennoy", "otvetstvennostyu"),
            List.of("sp", "z", "oo"));

    private static final Set<String> FILLER = Set.of("the", "and", "of", "&");

    private NameNormalizer() {}

    /** The normalised form of a name: its scoring tokens, and what was removed on the way. */
    public record Normalized(List<String> tokens, List<String> legalForms, boolean reordered, List<String> spelled) {}

    /** Normalises a name; {@code type} decides whether legal forms apply and commas mean "LAST, First". */
    public static Normalized normalize(String name, PartyType type) {
        // BGN writes ё as ë, which ASCII folding turns into e; Кён is Kyon, so spell it йо first.
        String ascii = isAscii(name)
                ? name
                : TRANSLITERATOR.get().transliterate(name.replace("ё", "йо").replace("Ё", "Йо"));
        boolean reordered = false;
        int comma = ascii.indexOf(',');
        if (comma > 0
                && type != PartyType.ORGANIZATION
                && type != PartyType.VESSEL
                && type != PartyType.AIRCRAFT
                && ascii.indexOf(',', comma + 1) < 0) {
            String last = ascii.substring(0, comma);
            String first = ascii.substring(comma + 1);
            // "ACME, INC." is a company with a comma, not "LAST, First".
            List<String> firstTokens = tokenize(first);
            boolean legalTail = !firstTokens.isEmpty() && firstTokens.stream().allMatch(LEGAL_FORMS::contains);
            if (!firstTokens.isEmpty() && !legalTail) {
                ascii = first + " " + last;
                reordered = true;
            }
        }
        List<String> tokens = tokenize(ascii);
        if (type == PartyType.PERSON || tokens.size() <= 1) {
            return new Normalized(canonical(tokens), List.of(), reordered, tokens);
        }
        List<String> kept = new ArrayList<>(tokens.size());
        List<String> removed = new ArrayList<>();
        int i = 0;
        outer:
        while (i < tokens.size()) {
            for (List<String> phrase : LEGAL_PHRASES) {
                if (startsWith(tokens, i, phrase)) {
                    removed.add(String.join(" ", phrase));
                    i += phrase.size();
                    continue outer;
                }
            }
            String t = tokens.get(i);
            if (LEGAL_FORMS.contains(t)
                    || FILLER.contains(t)
                    || misspeltLegalForm(t)
                    || ((i == 0 || i == tokens.size() - 1) && misspeltShortLegalForm(t))) {
                removed.add(t);
            } else {
                kept.add(t);
            }
            i++;
        }
        if (kept.isEmpty()) return new Normalized(canonical(tokens), List.of(), reordered, tokens);
        return new Normalized(canonical(kept), List.copyOf(removed), reordered, List.copyOf(kept));
    }

    /**
     * Folds spellings that romanisations of the same sound disagree on, on both sides of a
     * comparison: Cyrillic "dzh"/"kh" (Dzhamal, Mukhammad) and Latin "j"/"h", "x"/"ks"
     * (Alexander, Aleksandr), "w"/"v" (Wei, Vei; Cyrillic has no w), hard and soft "c" (Cecilia, Sesilia; Carlos, Karlos), "qu"/"k"
     * (Enrique, Enrike), "ck", "ph", French "ou" (Mahmoud), doubled vowels (Ameer, Noor),
     * a leading "ye" and a final "y"/"iy"/"ay" (Yevgeniy, Evgeni; Dmitriy, Dmitry, Dmitri; Somchay, Somchai).
     */
    static List<String> canonical(List<String> tokens) {
        List<String> out = new ArrayList<>(tokens.size());
        // Twice: one fold can expose another ("pkh" -> "ph" -> "f").
        for (String t : tokens) out.add(canonical(canonical(t)));
        return out;
    }

    private static String canonical(String t) {
        if (t.length() < 3) return t;
        StringBuilder b = new StringBuilder(t.length() + 2);
        int n = t.length();
        for (int i = 0; i < n; i++) {
            char c = t.charAt(i);
            char next = i + 1 < n ? t.charAt(i + 1) : 0;
            switch (c) {
                case 'x' -> b.append("ks");
                case 'w' -> b.append('v');
                case 'c' -> {
                    if (next == 'h') {
                        b.append("ch");
                        i++;
                    } else if (next == 'k') {
                        // "ck" is one k
                    } else {
                        b.append(next == 'e' || next == 'i' || next == 'y' ? 's' : 'k');
                    }
                }
                case 'q' -> {
                    b.append('k');
                    if (next == 'u' && i + 2 < n && "aeio".indexOf(t.charAt(i + 2)) >= 0) i++;
                }
                case 'k' -> {
                    if (next == 'h') i++;
                    b.append(next == 'h' ? 'h' : 'k');
                }
                case 'p' -> {
                    if (next == 'h') {
                        b.append('f');
                        i++;
                    } else {
                        b.append('p');
                    }
                }
                case 'd' -> {
                    if (next == 'z' && i + 2 < n && t.charAt(i + 2) == 'h') {
                        b.append('j');
                        i += 2;
                    } else {
                        b.append('d');
                    }
                }
                case 'o' -> {
                    if (next == 'u' || next == 'o') {
                        b.append('u');
                        i++;
                    } else {
                        b.append('o');
                    }
                }
                case 'e' -> {
                    if (next == 'e') {
                        b.append('i');
                        i++;
                    } else {
                        b.append('e');
                    }
                }
                case 'y' -> {
                    // leading "ye" (Yevgeniy) and final "y"/"iy" (Dmitriy, Dmitry) as the plain vowel
                    if (i == 0 && next == 'e') {
                        // drop
                    } else if (i == n - 1 && i > 0 && "eou".indexOf(t.charAt(i - 1)) < 0) {
                        // final "y" after a consonant or "a" is "i" (Dmitry, Somchay); "iy" is "i"
                        if (t.charAt(i - 1) != 'i') b.append('i');
                    } else {
                        b.append('y');
                    }
                }
                default -> b.append(c);
            }
        }
        return b.toString();
    }

    private static final List<String> LONG_LEGAL_FORMS = List.of("company", "limited", "corporation", "incorporated");

    /** Long legal-form words survive a typo ("Compnay", "Limted"); short ones would swallow real words. */
    private static boolean misspeltLegalForm(String t) {
        if (t.length() < 6) return false;
        for (String f : LONG_LEGAL_FORMS) {
            if (Math.abs(f.length() - t.length()) <= 1 && t.charAt(0) == f.charAt(0) && EditDistance.osa(t, f) <= 1)
                return true;
        }
        return false;
    }

    private static final List<String> SHORT_LEGAL_FORMS =
            List.of("gmbh", "ltda", "fzco", "sarl", "pjsc", "ojsc", "cjsc");

    /** A four-letter legal form with one typo, only as the first or last word, where legal forms stand ... */
    private static boolean misspeltShortLegalForm(String t) {
        if (t.length() < 3 || t.length() > 5) return false;
        // ... and never a word that reads like a name ("Sara" is one edit from "sarl").
        if (t.chars().filter(c -> "aeiouy".indexOf(c) >= 0).count() > 1) return false;
        for (String f : SHORT_LEGAL_FORMS) {
            if (t.charAt(0) == f.charAt(0) && EditDistance.osa(t, f) == 1) return true;
        }
        return false;
    }

    private static boolean startsWith(List<String> tokens, int at, List<String> phrase) {
        if (at + phrase.size() > tokens.size()) return false;
        for (int k = 0; k < phrase.size(); k++) {
            if (!tokens.get(at + k).equals(phrase.get(k))) return false;
        }
        return true;
    }

    /** Lower-case ASCII letter/digit runs; apostrophes join, dotted single letters join ("s.a." = "sa"). */
    static List<String> tokenize(String text) {
        List<String> out = new ArrayList<>();
        StringBuilder t = new StringBuilder();
        boolean dottedInitial = false; // the previous token was one letter directly followed by '.'
        int n = text.length();
        for (int i = 0; i < n; i++) {
            char c = text.charAt(i);
            if (c >= 'A' && c <= 'Z') c = (char) (c + 32);
            if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
                t.append(c);
            } else if (c == '\''
                    || c == '`'
                    || c == '\u2019'
                    || c == '\u2018'
                    || c == '\u02BF'
                    || c == '\u02BE'
                    || c == '\u02BB'
                    || c == '\u02BC') {
                // apostrophes and ayn/hamza marks left by transliteration: part of the word
            } else {
                if (t.isEmpty()) {
                    if (c != '.') dottedInitial = false;
                    continue;
                }
                boolean initial = t.length() == 1 && c == '.';
                if (dottedInitial && t.length() == 1 && !out.isEmpty()) {
                    out.set(out.size() - 1, out.get(out.size() - 1) + t);
                } else if (dottedInitial && t.length() == 1) {
                    out.add(t.toString());
                } else {
                    out.add(t.toString());
                }
                dottedInitial = initial || (dottedInitial && c == '.' && t.length() == 1);
                t.setLength(0);
            }
        }
        if (!t.isEmpty()) {
            if (dottedInitial && t.length() == 1 && !out.isEmpty()) {
                out.set(out.size() - 1, out.get(out.size() - 1) + t);
            } else {
                out.add(t.toString());
            }
        }
        return out;
    }

    private static boolean isAscii(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) > 0x7F) return false;
        }
        return true;
    }
}
