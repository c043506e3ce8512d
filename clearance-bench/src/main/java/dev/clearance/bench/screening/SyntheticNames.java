package dev.clearance.bench.screening;

import dev.clearance.screening.ListedParty;
import dev.clearance.screening.PartyType;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Made-up names from many cultures, companies and legal forms: the evaluation's unlisted queries and generated principals. */
final class SyntheticNames {
    static final List<String> LEGAL_FORMS = List.of(
            "Ltd.",
            "LLC",
            "Co.",
            "S.A.",
            "GmbH",
            "JSC",
            "OOO",
            "Limited",
            "Corporation",
            "Inc.",
            "Co., Ltd.",
            "Company Limited",
            "PJSC",
            "LLP",
            "FZE");
    static final List<String> GIVEN = List.of(
            "James",
            "Mary",
            "Robert",
            "Patricia",
            "Michael",
            "Jennifer",
            "William",
            "Linda",
            "David",
            "Elizabeth",
            "Thomas",
            "Susan",
            "Daniel",
            "Jessica",
            "Matthew",
            "Sarah",
            "Carlos",
            "Maria",
            "Jose",
            "Lucia",
            "Juan",
            "Sofia",
            "Pedro",
            "Camila",
            "Hans",
            "Greta",
            "Lukas",
            "Anna",
            "Pierre",
            "Camille",
            "Luca",
            "Giulia",
            "Sven",
            "Ingrid",
            "Piotr",
            "Agnieszka",
            "Olga",
            "Dmitri",
            "Irina",
            "Sergei",
            "Natalia",
            "Yusuf",
            "Fatima",
            "Omar",
            "Aisha",
            "Hamid",
            "Leila",
            "Wei",
            "Fang",
            "Jun",
            "Mei",
            "Hiroshi",
            "Yuki",
            "Kenji",
            "Sakura",
            "Min-jun",
            "Seo-yeon",
            "Arjun",
            "Priya",
            "Rahul",
            "Ananya",
            "Kwame",
            "Amara",
            "Chinedu",
            "Ngozi",
            "Tariq",
            "Zainab",
            "Emre",
            "Elif",
            "Mehmet",
            "Ayse");
    static final List<String> FAMILY = List.of(
            "Smith",
            "Johnson",
            "Williams",
            "Brown",
            "Jones",
            "Miller",
            "Davis",
            "Wilson",
            "Anderson",
            "Taylor",
            "Thomas",
            "Moore",
            "Martin",
            "Thompson",
            "White",
            "Harris",
            "Garcia",
            "Martinez",
            "Rodriguez",
            "Lopez",
            "Gonzalez",
            "Perez",
            "Sanchez",
            "Ramirez",
            "Mueller",
            "Schmidt",
            "Schneider",
            "Fischer",
            "Weber",
            "Dubois",
            "Laurent",
            "Rossi",
            "Bianchi",
            "Johansson",
            "Nilsson",
            "Kowalski",
            "Nowak",
            "Wisniewski",
            "Sokolova",
            "Volkova",
            "Smirnov",
            "Popov",
            "Lebedev",
            "Novak",
            "Yilmaz",
            "Demir",
            "Kaya",
            "Wang",
            "Zhang",
            "Chen",
            "Liu",
            "Yang",
            "Huang",
            "Tanaka",
            "Suzuki",
            "Takahashi",
            "Watanabe",
            "Kim",
            "Park",
            "Choi",
            "Sharma",
            "Patel",
            "Gupta",
            "Singh",
            "Okafor",
            "Mensah",
            "Adeyemi",
            "Haddad",
            "Nasser",
            "Farouk",
            "Mansour",
            "Khalil",
            "Saleh");
    static final List<String> ORG_WORDS = List.of(
            "Global",
            "Northern",
            "Pacific",
            "Atlantic",
            "Summit",
            "Bright",
            "Silver",
            "Green",
            "Blue",
            "United",
            "Pioneer",
            "Vertex",
            "Horizon",
            "Delta",
            "Crest",
            "Harbor",
            "Maple",
            "Cedar",
            "Granite",
            "Solar",
            "Quantum",
            "Apex",
            "Nova",
            "Orbit",
            "Prime",
            "Sterling");
    static final List<String> ORG_KINDS = List.of(
            "Logistics",
            "Software",
            "Foods",
            "Textiles",
            "Consulting",
            "Analytics",
            "Robotics",
            "Pharma",
            "Media",
            "Ventures",
            "Instruments",
            "Foundry",
            "Studios",
            "Labs");

    private SyntheticNames() {}

    /** {@code n} principal names: about 1% listed parties, most people, some companies. */
    static List<String> principalNames(List<ListedParty> all, Random rnd, int n) {
        List<String> out = new ArrayList<>(n);
        List<String> given = new ArrayList<>(GIVEN);
        List<String> family = new ArrayList<>(FAMILY);
        for (ListedParty p : all) {
            if (p.type() != PartyType.PERSON) continue;
            String[] w = LabelledQueries.natural(p).split(" ");
            given.add(w[0]);
            family.add(w[w.length - 1]);
        }
        for (int i = 0; i < n; i++) {
            int kind = rnd.nextInt(100);
            if (kind < 1) {
                out.add(LabelledQueries.natural(all.get(rnd.nextInt(all.size())))); // about 1% are listed parties
            } else if (kind < 80) {
                out.add(given.get(rnd.nextInt(given.size())) + " " + family.get(rnd.nextInt(family.size())));
            } else {
                out.add(ORG_WORDS.get(rnd.nextInt(ORG_WORDS.size())) + " "
                        + ORG_KINDS.get(rnd.nextInt(ORG_KINDS.size())) + " "
                        + LEGAL_FORMS.get(rnd.nextInt(LEGAL_FORMS.size())));
            }
        }
        return out;
    }

    /** Makes most of the million principals distinct: a generated middle initial or number-free variation. */
    static String suffix(int i) {
        int r = i / 200_000;
        return r == 0 ? "" : " " + (char) ('a' + (r % 26));
    }
}
