/* validate_text.c: validators of the field-driven and text detectors: person names, user
 * names, dates of birth, street addresses, device ids, user agents, cookie and session ids.
 * Knows name and word lists and value shapes; which field a value sits in is field.c's.
 *
 * The lists are written here from public sources, lower-case and sorted (bsearch):
 * - given names: the most frequent of the US Social Security Administration's baby-name
 *   tables (ssa.gov/oact/babynames, 1950-2020), with common names of other countries;
 * - surnames: the US Census Bureau's 2010 surname frequency table (the top ranks), with
 *   frequent surnames of China, India, Germany, Italy, France, Russia, Japan, Poland and
 *   Scandinavia; "doe", "roe", "mustermann" and "bloggs" are there so that the documented
 *   placeholder names are recognised, then flagged as test values;
 * - street suffixes: USPS Publication 28, Appendix C1 (primary names and standard
 *   abbreviations of the common suffixes);
 * - state codes: USPS Publication 28, Appendix B (states, DC and territories). */
#define _GNU_SOURCE /* memmem */
#include "validate.h"

#include <stdlib.h>
#include <string.h>

static const char *const given_names[] = {
    "aaron",     "abigail",     "adam",      "ahmed",      "aiden",     "aisha",     "alan",
    "albert",    "alexander",   "alexis",    "ali",        "alice",     "amanda",    "amber",
    "amit",      "amy",         "ananya",    "andrea",     "andrew",    "angela",    "anil",
    "ann",       "anna",        "anthony",   "antonio",    "aria",      "arthur",    "ashley",
    "austin",    "ava",         "barbara",   "benjamin",   "betty",     "beverly",   "billy",
    "bobby",     "brandon",     "brenda",    "brian",      "brittany",  "bruce",     "bryan",
    "caleb",     "camila",      "carl",      "carlos",     "carol",     "carolyn",   "carter",
    "catherine", "charles",     "charlotte", "cheryl",     "chloe",     "christian", "christina",
    "christine", "christopher", "connor",    "cynthia",    "daniel",    "danielle",  "david",
    "deborah",   "debra",       "deepika",   "denise",     "dennis",    "diana",     "diane",
    "diego",     "dmitri",      "donald",    "donna",      "doris",     "dorothy",   "douglas",
    "dylan",     "edward",      "elena",     "elijah",     "elizabeth", "ella",      "emily",
    "emma",      "eric",        "erika",     "ethan",      "eugene",    "evan",      "evelyn",
    "fatima",    "frances",     "francois",  "frank",      "gabriel",   "gary",      "george",
    "gerald",    "giuseppe",    "gloria",    "grace",      "gregory",   "greta",     "hannah",
    "hans",      "harold",      "harper",    "hassan",     "heather",   "helen",     "henry",
    "hiroshi",   "hunter",      "ian",       "ingrid",     "irina",     "isaac",     "isabella",
    "ivan",      "jack",        "jacob",     "jacqueline", "james",     "jane",      "janet",
    "janice",    "jason",       "jean",      "jeffrey",    "jennifer",  "jeremy",    "jerry",
    "jesse",     "jessica",     "joan",      "joe",        "john",      "jonathan",  "jordan",
    "jose",      "joseph",      "joshua",    "joyce",      "juan",      "judith",    "judy",
    "julie",     "jun",         "jurgen",    "justin",     "karen",     "katherine", "kathleen",
    "kathryn",   "kayla",       "keith",     "kelly",      "kenji",     "kenneth",   "kevin",
    "kimberly",  "klaus",       "kyle",      "larry",      "laura",     "lauren",    "lawrence",
    "li",        "liam",        "lily",      "linda",      "ling",      "lisa",      "logan",
    "lori",      "louis",       "lucas",     "lucia",      "luis",      "luke",      "madison",
    "marco",     "margaret",    "maria",     "marie",      "marilyn",   "mark",      "martha",
    "mary",      "mason",       "matthew",   "max",        "megan",     "mei",       "melissa",
    "mia",       "michael",     "michelle",  "miguel",     "mohammed",  "muhammad",  "nancy",
    "natalie",   "natasha",     "nathan",    "nicholas",   "nicole",    "noah",      "nora",
    "olga",      "oliver",      "olivia",    "omar",       "owen",      "pamela",    "paolo",
    "patricia",  "patrick",     "paul",      "peter",      "philip",    "pierre",    "priya",
    "rachel",    "rahul",       "raj",       "ralph",      "randy",     "raymond",   "rebecca",
    "richard",   "riley",       "robert",    "roger",      "ronald",    "roy",       "russell",
    "ruth",      "ryan",        "sakura",    "samantha",   "samuel",    "sandra",    "sanjay",
    "sara",      "sarah",       "scott",     "sean",       "sergei",    "sharon",    "shirley",
    "sofia",     "sophia",      "stephanie", "stephen",    "steven",    "sunita",    "susan",
    "teresa",    "terry",       "theresa",   "thomas",     "timothy",   "tyler",     "valentina",
    "victoria",  "vijay",       "vincent",   "virginia",   "walter",    "wayne",     "wei",
    "william",   "willie",      "wyatt",     "yuki",       "zachary",   "zoe",
};

static const char *const surnames[] = {
    "adams",     "aguilar",   "ahmed",      "alexander", "ali",       "allen",      "alvarado",
    "alvarez",   "anderson",  "andersson",  "andrews",   "armstrong", "arnold",     "bailey",
    "baker",     "barnes",    "becker",     "bell",      "bennett",   "berry",      "bianchi",
    "black",     "bloggs",    "boyd",       "bradley",   "brooks",    "brown",      "bryant",
    "burns",     "butler",    "campbell",   "carpenter", "carroll",   "carter",     "castillo",
    "castro",    "chavez",    "chen",       "clark",     "cole",      "coleman",    "collins",
    "contreras", "cook",      "cooper",     "cox",       "crawford",  "cruz",       "cunningham",
    "daniels",   "davis",     "delgado",    "diaz",      "dixon",     "doe",        "dubois",
    "duncan",    "dunn",      "edwards",    "elliott",   "ellis",     "esposito",   "evans",
    "ferguson",  "fernandez", "ferrari",    "fischer",   "fisher",    "flores",     "ford",
    "foster",    "fox",       "freeman",    "garcia",    "gardner",   "garza",      "gibson",
    "gomez",     "gonzales",  "gonzalez",   "gordon",    "graham",    "grant",      "gray",
    "green",     "griffin",   "guo",        "gupta",     "gutierrez", "guzman",     "hall",
    "hamilton",  "hansen",    "harris",     "harrison",  "hart",      "hawkins",    "hayes",
    "henderson", "henry",     "hernandez",  "herrera",   "hicks",     "hill",       "hoffman",
    "holmes",    "howard",    "hu",         "huang",     "hudson",    "hughes",     "hunt",
    "hunter",    "hussain",   "ivanov",     "jackson",   "james",     "jenkins",    "jensen",
    "jimenez",   "johansson", "johnson",    "johnston",  "jones",     "jordan",     "karlsson",
    "kelley",    "kelly",     "kennedy",    "khan",      "kim",       "king",       "knight",
    "kowalski",  "kumar",     "lane",       "larsen",    "laurent",   "lawrence",   "lee",
    "lewis",     "li",        "lin",        "liu",       "long",      "lopez",      "ma",
    "marshall",  "martin",    "martinez",   "mason",     "matthews",  "mcdonald",   "medina",
    "mendez",    "mendoza",   "meyer",      "miller",    "mills",     "mitchell",   "moore",
    "morales",   "moreau",    "moreno",     "morgan",    "morris",    "muller",     "munoz",
    "murphy",    "murray",    "mustermann", "myers",     "nakamura",  "nelson",     "nguyen",
    "nichols",   "nielsen",   "nilsson",    "novak",     "nowak",     "olson",      "ortiz",
    "owens",     "palmer",    "parker",     "patel",     "patterson", "payne",      "pena",
    "perez",     "perkins",   "perry",      "peters",    "peterson",  "petrov",     "phillips",
    "pierce",    "porter",    "powell",     "price",     "ramirez",   "ramos",      "ray",
    "reed",      "reyes",     "reynolds",   "rice",      "richards",  "richardson", "riley",
    "rivera",    "roberts",   "robertson",  "robinson",  "rodriguez", "roe",        "rogers",
    "romero",    "rose",      "ross",       "rossi",     "ruiz",      "russell",    "russo",
    "ryan",      "salazar",   "sanchez",    "sanders",   "sandoval",  "santos",     "sato",
    "schmidt",   "schneider", "schulz",     "scott",     "sharma",    "shaw",       "silva",
    "simmons",   "simpson",   "singh",      "smirnov",   "smith",     "snyder",     "soto",
    "spencer",   "stephens",  "stevens",    "stewart",   "stone",     "sullivan",   "sun",
    "suzuki",    "takahashi", "tanaka",     "taylor",    "thomas",    "thompson",   "torres",
    "tran",      "tucker",    "turner",     "vargas",    "vasquez",   "vazquez",    "wagner",
    "walker",    "wallace",   "wang",       "ward",      "warren",    "washington", "watanabe",
    "watson",    "weaver",    "webb",       "weber",     "wells",     "west",       "white",
    "williams",  "willis",    "wilson",     "wood",      "woods",     "wright",     "wu",
    "xu",        "yamamoto",  "yang",       "young",     "zhang",     "zhao",       "zhou",
    "zhu",
};

static const char *const name_stopwords[] = {
    "account",  "accounts",  "active",   "admin",    "administrator",
    "and",      "anonymous", "api",      "app",      "application",
    "at",       "bank",      "by",       "client",   "company",
    "contact",  "contacts",  "corp",     "customer", "data",
    "dear",     "debug",     "default",  "demo",     "department",
    "dept",     "desktop",   "device",   "disabled", "dr",
    "employee", "enabled",   "error",    "example",  "external",
    "failed",   "failure",   "false",    "fatal",    "file",
    "first",    "for",       "from",     "full",     "gmbh",
    "group",    "guest",     "host",     "id",       "in",
    "inactive", "inc",       "info",     "internal", "invalid",
    "key",      "last",      "llc",      "local",    "ltd",
    "madam",    "main",      "manager",  "master",   "member",
    "middle",   "miss",      "mobile",   "mr",       "mrs",
    "ms",       "mx",        "na",       "name",     "new",
    "nil",      "no",        "node",     "none",     "noreply",
    "null",     "of",        "office",   "ok",       "old",
    "on",       "operator",  "owner",    "path",     "pending",
    "people",   "person",    "primary",  "private",  "prof",
    "public",   "remote",    "reply",    "root",     "sales",
    "sample",   "secondary", "server",   "service",  "sir",
    "staff",    "status",    "string",   "success",  "support",
    "system",   "team",      "test",     "tester",   "the",
    "to",       "trace",     "true",     "type",     "undefined",
    "unknown",  "unnamed",   "untitled", "user",     "users",
    "valid",    "value",     "valued",   "warning",  "web",
    "with",     "yes",
};

static const char *const org_words[] = {
    "ag",         "association", "bank",         "co",
    "company",    "consulting",  "corp",         "corporation",
    "foundation", "global",      "gmbh",         "group",
    "holdings",   "hospital",    "inc",          "international",
    "labs",       "llc",         "ltd",          "partners",
    "plc",        "sa",          "school",       "services",
    "solutions",  "systems",     "technologies", "technology",
    "university",
};

static const char *const system_accounts[] = {
    "admin",
    "admin1",
    "administrator",
    "alpine",
    "anonymous",
    "ansible",
    "apache",
    "api",
    "app",
    "avahi",
    "azureuser",
    "backup",
    "bin",
    "bind",
    "centos",
    "changeme",
    "chrony",
    "cisco",
    "colord",
    "cyrus",
    "daemon",
    "dbo",
    "debian",
    "default",
    "demo",
    "deploy",
    "dnsmasq",
    "docker",
    "dummy",
    "ec2-user",
    "elastic",
    "example",
    "fedora",
    "ftp",
    "ftpuser",
    "games",
    "gdm",
    "git",
    "gnats",
    "grafana",
    "guest",
    "hadoop",
    "hdfs",
    "hive",
    "hostmaster",
    "httpd",
    "info",
    "irc",
    "jboss",
    "jenkins",
    "kafka",
    "kibana",
    "lightdm",
    "list",
    "localhost",
    "lp",
    "mail",
    "man",
    "memcached",
    "messagebus",
    "mongodb",
    "mysql",
    "nagios",
    "named",
    "news",
    "nfsnobody",
    "nginx",
    "nil",
    "no-reply",
    "nobody",
    "node",
    "none",
    "noreply",
    "ntp",
    "null",
    "operator",
    "oracle",
    "pgadmin",
    "pi",
    "polkitd",
    "postgres",
    "postmaster",
    "prometheus",
    "proxy",
    "pulse",
    "rabbitmq",
    "redis",
    "root",
    "rpc",
    "rpcuser",
    "sa",
    "sample",
    "saned",
    "sddm",
    "service",
    "spark",
    "sshd",
    "su",
    "superuser",
    "support",
    "svc",
    "sync",
    "sys",
    "system",
    "systemd-network",
    "systemd-resolve",
    "test",
    "tomcat",
    "toor",
    "tss",
    "ubnt",
    "ubuntu",
    "undefined",
    "unknown",
    "usbmux",
    "user",
    "uucp",
    "vagrant",
    "vnc",
    "webmaster",
    "www",
    "www-data",
    "yarn",
    "zabbix",
    "zookeeper",
};

static const char *const us_states[] = {
    "ak", "al", "ar", "as", "az", "ca", "co", "ct", "dc", "de", "fl", "ga", "gu", "hi",
    "ia", "id", "il", "in", "ks", "ky", "la", "ma", "md", "me", "mi", "mn", "mo", "mp",
    "ms", "mt", "nc", "nd", "ne", "nh", "nj", "nm", "nv", "ny", "oh", "ok", "or", "pa",
    "pr", "ri", "sc", "sd", "tn", "tx", "ut", "va", "vi", "vt", "wa", "wi", "wv", "wy",
};

static const char *const street_suffixes[] = {
    "alley",   "aly",        "av",      "ave",     "avenue",   "blvd",    "boulevard", "cir",
    "circle",  "court",      "cove",    "cres",    "crescent", "ct",      "cv",        "dr",
    "drive",   "expressway", "expy",    "freeway", "fwy",      "highway", "hwy",       "lane",
    "ln",      "loop",       "parkway", "pike",    "pkwy",     "pl",      "place",     "plaza",
    "plz",     "rd",         "road",    "sq",      "square",   "st",      "street",    "ter",
    "terrace", "trail",      "trl",     "way",     "wy",
};

static const char *const month_names[] = {
    "apr", "april",   "aug",      "august", "dec",     "december", "feb",  "february",
    "jan", "january", "jul",      "july",   "jun",     "june",     "mar",  "march",
    "may", "nov",     "november", "oct",    "october", "sep",      "sept", "september",
};

/* ---- shared helpers ---------------------------------------------------------------------- */

static int cmp_str(const void *k, const void *e)
{
    return strcmp((const char *)k, *(const char *const *)e);
}

/* Case-insensitive: is s[0..n) in the sorted lower-case list? */
static bool listed(const char *const *list, size_t ln, const uint8_t *s, size_t n)
{
    char w[32];
    if (n == 0 || n >= sizeof w) return false;
    for (size_t i = 0; i < n; i++) w[i] = (char)ascii_lower(s[i]);
    w[n] = 0;
    return bsearch(w, list, ln, sizeof *list, cmp_str) != NULL;
}

#define LISTED(list, s, n) listed(list, ARRAY_LEN(list), s, n)

/* A letter of a name: ASCII letters and the bytes of UTF-8 sequences (José, Müller). */
static bool name_byte(int c)
{
    return is_alpha(c) || c >= 0x80;
}

static bool lit_at(const struct vctx *v, size_t at, const char *lit)
{
    size_t m = strlen(lit);
    return at >= v->lo && at <= v->hi && v->hi - at >= m && memcmp(v->buf + at, lit, m) == 0;
}

/* Case-insensitive lit_at for a lower-case w. */
static bool ilit_at(const struct vctx *v, size_t at, const char *w)
{
    size_t m = strlen(w);
    return at >= v->lo && at <= v->hi && v->hi - at >= m && ascii_ieq(v->buf + at, m, w);
}

/* The value after a key's separator (the anchor ends just after ':' or '='): blanks, then an
 * optional opening quote, also escaped (\"). *q is the quote or 0. */
static size_t value_start(const struct vctx *v, size_t a, int *q)
{
    size_t p = a;
    while (is_space(v_at(v, p)) && p - a < 8) p++;
    *q = 0;
    if (v_at(v, p) == '\\' && v_at(v, p + 1) == '"') p++;
    if (v_at(v, p) == '"' || v_at(v, p) == '\'') *q = v->buf[p++];
    return p;
}

/* The end of a quoted value starting at vs (the closing quote's offset), or 0 when it does
 * not close within `max` bytes on the line. */
static size_t quoted_end(const struct vctx *v, size_t vs, int q, size_t max)
{
    for (size_t p = vs; p < v->hi && p - vs <= max; p++) {
        int c = v->buf[p];
        if (c == '\n') return 0;
        if (c == '\\' && v_at(v, p + 1) == q) return p; /* \" closes an escaped value */
        if (c == q) return p;
    }
    return 0;
}

/* ---- person_name ------------------------------------------------------------------------- */

/* Name words in buf[p..z): returns the end of the last one (p when none). Words are
 * capitalised ("Anne-Marie", "O'Brien", "McDonald"), initials ("J."), all capitals ("SMITH"),
 * and lower-case particles inside a name ("van", "de"). *known counts words in the given-name
 * or surname lists, *bad words that cannot be part of a person's name. */
static const char *const particles[] = {"al",  "bin", "da", "de", "del", "della", "der", "di",
                                        "dos", "du",  "el", "la", "le",  "van",   "von"};

struct name_scan {
    size_t words, known, given, sur, bad;
    size_t end;
    bool test;
};

static void name_words(const struct vctx *v, size_t p, size_t z, bool comma_ok,
                       struct name_scan *ns)
{
    memset(ns, 0, sizeof *ns);
    ns->end = p;
    size_t first_s = 0, first_n = 0;
    while (p < z && ns->words < 5) {
        size_t ws = p;
        while (p < z && (name_byte(v->buf[p]) || ((v->buf[p] == '\'' || v->buf[p] == '-') &&
                                                  p > ws && name_byte(v_at(v, p + 1)))))
            p++;
        size_t n = p - ws;
        if (n == 0) break;
        const uint8_t *w = v->buf + ws;
        bool initial = n == 1 && is_upper(w[0]) && v_at(v, p) == '.';
        if (initial) p++;
        if (!is_upper(w[0]) && !(w[0] >= 0x80)) {
            if (!(ns->words && LISTED(particles, w, n))) break;
        } else if (!initial && n > 1) {
            if (LISTED(name_stopwords, w, n) || LISTED(org_words, w, n)) ns->bad++;
            bool g = LISTED(given_names, w, n), s = LISTED(surnames, w, n);
            ns->given += g;
            ns->sur += s;
            ns->known += g || s;
            if (ns->words == 0) first_s = ws, first_n = n;
            if (ns->words && first_n && ascii_ieq(w, n, "doe") &&
                (ascii_ieq(v->buf + first_s, first_n, "john") ||
                 ascii_ieq(v->buf + first_s, first_n, "jane")))
                ns->test = true;
            if (ns->words && (ascii_ieq(w, n, "mustermann") || ascii_ieq(w, n, "bloggs") ||
                              ascii_ieq(w, n, "roe")))
                ns->test = true;
        }
        ns->words++;
        ns->end = p;
        /* "Smith, John" and "John Smith" */
        if (p < z && v->buf[p] == ',' && comma_ok && ns->words == 1 && v_at(v, p + 1) == ' ')
            p += 2;
        else if (p < z && v->buf[p] == ' ' && p + 1 < z && v->buf[p + 1] != ' ')
            p++;
        else
            break;
    }
}

/* Digits or other symbols right after a name ("Node-42", "Smith2") make it no name. */
static bool name_ends_clean(const struct vctx *v, size_t e)
{
    int c = v_at(v, e);
    return !(is_digit(c) || c == '_' || c == '@' || c == '/' || c == '-' || c == '.' || c == '#' ||
             c == '$');
}

/* The key right before the separator ending at anchor a: is it a first / last name field
 * (any capitalised word is a name there) rather than a generic "name" (known names only)? */
static bool specific_name_key(const struct vctx *v, size_t a)
{
    struct field_name k;
    if (!field_key(v->buf, v->lo, v->hi, a, &k)) return false;
    static const char *const parts[] = {"first",  "given", "last",  "sur",  "family",
                                        "middle", "fore",  "fname", "lname"};
    for (size_t i = 0; i < ARRAY_LEN(parts); i++)
        if (memmem(k.s, k.n, parts[i], strlen(parts[i]))) return true;
    return false;
}

bool v_person_name(struct vctx *v)
{
    size_t a = v->anchor, vs, z;
    bool cell = (v->flags & V_CELL), key = false;
    int q = 0;
    if (cell) {
        vs = v->start, z = v->end;
    } else if (a > v->lo && a <= v->hi && (v->buf[a - 1] == ':' || v->buf[a - 1] == '=')) {
        key = true;
        vs = value_start(v, a, &q);
        if (q) {
            z = quoted_end(v, vs, q, 128);
            if (!z) return false;
        } else {
            z = vs;
            while (z < v->hi && z - vs < 128 && v->buf[z] != '\n' && v->buf[z] != '\r' &&
                   v->buf[z] != '\t' && v->buf[z] != ',' && v->buf[z] != ';' && v->buf[z] != '&' &&
                   v->buf[z] != '"')
                z++;
        }
    } else if (a > v->lo + 1 && a <= v->hi && is_upper(v->buf[a - 1])) {
        vs = a - 1; /* the anchor "\b(Mr|Mrs|…)\.? [A-Z]" ends after the capital */
        if (v_at(v, vs - 1) != ' ') return false;
        z = vs;
        while (z < v->hi && z - vs < 64 && v->buf[z] != '\n') z++;
    } else {
        return false;
    }
    struct name_scan ns;
    name_words(v, vs, z, q || cell, &ns);
    if (!ns.words || ns.bad || ns.end <= vs) return false;
    if ((q || cell) && ns.end != z) return false; /* the whole value must be the name */
    if (!q && !cell && !name_ends_clean(v, ns.end)) return false;
    /* all-capital single words are acronyms, not names, unless a list knows them */
    bool caps = true;
    for (size_t i = vs; i < ns.end; i++) caps = caps && !is_lower(v->buf[i]);
    if (caps && !ns.known) return false;
    if (key && !specific_name_key(v, a)) {
        /* a generic "name" field names servers, products and teams as often as people */
        if (!ns.known || (ns.words == 1 && !ns.given)) return false;
    } else if (!key && !cell) {
        if (!ns.known) return false; /* "Dear Customer", "Dr. Who" */
    }
    v->conf += ns.known ? 0 : -10;
    if (ns.test) v->flags |= V_TEST;
    if (key) v->flags |= V_BARE; /* the field must be a person's name field */
    v->start = vs;
    v->end = ns.end;
    v->norm_len = 0;
    return true;
}

/* ---- username ---------------------------------------------------------------------------- */

static bool user_char(int c)
{
    return is_alnum(c) || c == '.' || c == '_' || c == '-' || c == '+' || c == '\\';
}

/* s[0..n) as an account name: 2-64 bytes, a letter, not only digits (a numeric user id), not
 * a system account, not a placeholder. */
static bool username_ok(struct vctx *v, const uint8_t *s, size_t n)
{
    if (n < 2 || n > 64) return false;
    bool letter = false;
    for (size_t i = 0; i < n; i++) {
        if (!user_char(s[i])) return false;
        letter = letter || is_alpha(s[i]);
    }
    if (!letter || v_placeholder(s, n)) return false;
    const uint8_t *b = memchr(s, '\\', n); /* DOMAIN\user */
    if (b) {
        n -= (size_t)(b + 1 - s), s = b + 1;
        if (n < 2) return false;
    }
    if (LISTED(system_accounts, s, n)) return false;
    return true;
}

/* The URL scheme ending at e (where its "://" starts) names an actor system's address, whose
 * "user" part is a service's name, not a log-in: akka.tcp://sparkExecutorActorSystem@host:port,
 * spark://CoarseGrainedScheduler@host:port (Spark, Akka, Pekko logs). */
static bool actor_scheme(const struct vctx *v, size_t e)
{
    static const char *const schemes[] = {"akka",  "akka.tcp",  "akka.udp",      "akka.ssl.tcp",
                                          "pekko", "pekko.tcp", "pekko.ssl.tcp", "spark"};
    size_t b = e;
    while (b > v->lo && e - b < 16 && (is_alnum(v->buf[b - 1]) || v->buf[b - 1] == '.')) b--;
    if (b > v->lo && (is_alnum(v->buf[b - 1]) || v->buf[b - 1] == '.')) return false;
    for (size_t i = 0; i < ARRAY_LEN(schemes); i++)
        if (ascii_ieq(v->buf + b, e - b, schemes[i])) return true;
    return false;
}

/* sshd and PAM name a log-in in fixed phrases rather than in a key (OpenSSH auth.c, pam_unix):
 * "Invalid user NAME from ADDR port N", "input_userauth_request: invalid user NAME [preauth]",
 * "Failed password for invalid user NAME from", "Disconnected from authenticating user NAME
 * ADDR port N", "Connection closed by invalid user NAME ADDR", "session opened for user NAME
 * by (uid=0)", "session closed for user NAME", and for an account that exists "Accepted
 * password for NAME from ADDR port N ssh2", "Failed password for NAME from", "Accepted publickey
 * for NAME from". The anchor expression's phrase branch ends on NAME's first byte, at a - 1.
 * The words after NAME must be one of the continuations these programs write (so "logged in
 * from user settings" and "reset the password for alice today" are not one). Sets [*vs, *ve). */
static bool auth_phrase(const struct vctx *v, size_t a, size_t *vs, size_t *ve)
{
    if (a < v->lo + 6 || v->buf[a - 2] != ' ') return false;
    /* "password for NAME", "publickey for NAME": sshd goes on with " from ADDR" */
    bool method = !ilit_at(v, a - 6, "user");
    if (method && !(a >= v->lo + 14 && ilit_at(v, a - 14, "password for")) &&
        !(a >= v->lo + 15 && ilit_at(v, a - 15, "publickey for")))
        return false;
    bool session = !method && ilit_at(v, a - 10, "for "); /* "session ... for user" */
    size_t s = a - 1, e = s;
    while (e < v->hi && e - s <= 64 && user_char(v->buf[e])) e++;
    while (e > s && v->buf[e - 1] == '.') e--; /* "... for user bob." ends a sentence */
    /* "Invalid user  from ADDR": sshd's empty name; the continuation is no name */
    static const char *const continuations[] = {"by", "from", "port"};
    if (LISTED(continuations, v->buf + s, e - s)) return false;
    int c = v_at(v, e);
    /* "session closed for user NAME" ends its line; sshd's phrases go on */
    bool next = session && (c < 0 || c == '\n' || c == '\r');
    if (c == ' ') {
        size_t n = e + 1;
        if (method)
            next = ilit_at(v, n, "from ");
        else if (session)
            next = ilit_at(v, n, "by ");
        else /* or the client's address: IPv4, or IPv6 with a ':' in its first five bytes */
            next = ilit_at(v, n, "from ") || ilit_at(v, n, "port ") || lit_at(v, n, "[preauth]") ||
                   is_digit(v_at(v, n)) ||
                   (is_alnum(v_at(v, n)) && memchr(v->buf + n, ':', v->hi - n < 5 ? v->hi - n : 5));
    } else if (session && c == '(') {
        next = ilit_at(v, e, "(uid="); /* "for user bob(uid=1000) by" (Linux-PAM 1.5) */
    }
    if (!next) return false;
    *vs = s;
    *ve = e;
    return true;
}

bool v_username(struct vctx *v)
{
    size_t a = v->anchor;
    v->norm_len = 0;
    if (v->flags & V_CELL) return username_ok(v, v->buf + v->start, v->end - v->start);
    if (a > v->hi || a < v->lo + 3) return false;
    if (lit_at(v, a - 3, "://")) {
        size_t p = a, colon = 0;
        while (p < v->hi && p - a < 128 && user_char(v->buf[p])) p++;
        size_t ue = p;
        if (v_at(v, p) == ':') { /* user:password@ */
            colon = p++;
            while (p < v->hi && p - a < 256 && v->buf[p] != '@' && v->buf[p] != '/' &&
                   !is_space(v->buf[p]) && v->buf[p] != '\n')
                p++;
        }
        if (v_at(v, p) != '@' || (colon && p == colon + 1)) return false;
        if (!username_ok(v, v->buf + a, ue - a) || actor_scheme(v, a - 3)) return false;
        size_t h = p + 1, he = h;
        while (he < v->hi && (is_alnum(v->buf[he]) || v->buf[he] == '.' || v->buf[he] == '-')) he++;
        if (he == h) return false;
        if (v_reserved_host(v->buf + h, he - h)) v->flags |= V_TEST;
        v->start = a;
        v->end = ue;
        return true;
    }
    size_t ps, pe;
    if (auth_phrase(v, a, &ps, &pe)) {
        if (!username_ok(v, v->buf + ps, pe - ps)) return false;
        v->start = ps;
        v->end = pe;
        return true;
    }
    if (v->buf[a - 1] != ':' && v->buf[a - 1] != '=') return false;
    if (v->buf[a - 1] == ':') {
        /* "postgres://app_user:secret@db": a URL's user and password, not a "user:" key (the
         * "://" anchor takes the user) */
        size_t k = a - 1;
        while (k > v->lo && a - k < 128 && user_char(v->buf[k - 1])) k--;
        if (k >= v->lo + 3 && lit_at(v, k - 3, "://")) return false;
    }
    int q;
    size_t vs = value_start(v, a, &q), ve = vs;
    /* a value opened by an escaped quote closes with one: {\"user\":\"jdoe\"} */
    while (ve < v->hi && ve - vs <= 64 && user_char(v->buf[ve]) &&
           !(q && v->buf[ve] == '\\' && v_at(v, ve + 1) == q))
        ve++;
    if (q ? (v_at(v, ve) != q && !(v_at(v, ve) == '\\' && v_at(v, ve + 1) == q))
          : (is_alnum(v_at(v, ve)) || v_at(v, ve) == '@'))
        return false; /* "John Smith", an e-mail address (the email detector's) */
    while (ve > vs && (v->buf[ve - 1] == '.' || v->buf[ve - 1] == '-')) ve--;
    if (!username_ok(v, v->buf + vs, ve - vs)) return false;
    v->flags |= V_BARE; /* the key must be a user-name field */
    v->start = vs;
    v->end = ve;
    return true;
}

/* ---- date_of_birth ----------------------------------------------------------------------- */

static bool leap(int y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static bool ymd_ok(int y, int m, int d)
{
    static const int mdays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (y < 1900 || y > 2099 || m < 1 || m > 12 || d < 1 || d > mdays[m - 1]) return false;
    return !(m == 2 && d == 29 && !leap(y));
}

/* Reads 1..max digits at *p; -1 when none. */
static int num(const struct vctx *v, size_t *p, int min, int max, int *len)
{
    int x = 0, n = 0;
    while (n < max && is_digit(v_at(v, *p))) x = x * 10 + (v->buf[(*p)++] - '0'), n++;
    if (len) *len = n;
    return n >= min ? x : -1;
}

static int month_at(const struct vctx *v, size_t *p)
{
    static const char *const m[] = {"jan", "feb", "mar", "apr", "may", "jun",
                                    "jul", "aug", "sep", "oct", "nov", "dec"};
    size_t s = *p, e = s;
    while (is_alpha(v_at(v, e)) && e - s < 10) e++;
    if (e - s < 3 || !LISTED(month_names, v->buf + s, e - s)) return 0;
    for (int i = 0; i < 12; i++)
        if (ascii_ieq(v->buf + s, 3, m[i])) {
            *p = e;
            if (v_at(v, e) == '.') (*p)++;
            return i + 1;
        }
    return 0;
}

/* A date at p: ISO (1984-07-12, 1984/07/12, 19840712), day-month-year or month/day/year with
 * one separator, 2- or 4-digit years, and month names ("12 March 1990", "March 12, 1990",
 * "12-Mar-1990"). Sets *end. */
static bool date_at(const struct vctx *v, size_t p, size_t *end)
{
    size_t s = p;
    int l1, l2, l3;
    int a = num(v, &p, 1, 8, &l1);
    if (a < 0) { /* "March 12, 1990" */
        int m = month_at(v, &p);
        if (!m || v_at(v, p) != ' ') return false;
        p++;
        int d = num(v, &p, 1, 2, NULL);
        if (v_at(v, p) == ',') p++;
        if (v_at(v, p) != ' ') return false;
        p++;
        int y = num(v, &p, 4, 4, NULL);
        *end = p;
        return d > 0 && ymd_ok(y, m, d);
    }
    if (l1 == 8) { /* 19840712 */
        *end = p;
        return ymd_ok(a / 10000, a / 100 % 100, a % 100);
    }
    int sep = v_at(v, p);
    if (sep == ' ' && l1 <= 2) { /* "12 March 1990" */
        p++;
        int m = month_at(v, &p);
        if (!m || v_at(v, p) != ' ') return false;
        p++;
        int y = num(v, &p, 4, 4, NULL);
        *end = p;
        return ymd_ok(y, m, a);
    }
    if (sep != '-' && sep != '/' && sep != '.') return false;
    p++;
    size_t mp = p;
    int m = month_at(v, &mp);
    int b = m ? m : num(v, &p, 1, 2, &l2);
    if (m) p = mp, l2 = 2;
    if (b < 0 || v_at(v, p) != sep) return false;
    p++;
    int c = num(v, &p, 2, 4, &l3);
    if (c < 0 || l3 == 3) return false;
    *end = p;
    (void)s;
    if (l1 == 4) return l3 == 2 && ymd_ok(a, b, c); /* y-m-d */
    if (l1 > 2) return false;
    int y = l3 == 4 ? c : (c <= 29 ? 2000 + c : 1900 + c); /* a 2-digit year: a birth */
    if (m) return ymd_ok(y, b, a);
    return ymd_ok(y, b, a) || ymd_ok(y, a, b); /* d/m/y or m/d/y */
}

bool v_date_of_birth(struct vctx *v)
{
    size_t a = v->anchor, ds;
    v->norm_len = 0;
    if (v->flags & V_CELL) {
        ds = v->start;
    } else {
        if (a > v->hi || a < v->lo + 3) return false;
        /* which literal ended here, and is it a key's (or a word's) start? */
        static const char *const lits[] = {"d.o.b", "birth", "born", "dob"};
        size_t ls = 0, ll = 0;
        for (size_t i = 0; i < ARRAY_LEN(lits) && !ll; i++) {
            size_t m = strlen(lits[i]);
            if (a >= v->lo + m && ascii_ieq(v->buf + a - m, m, lits[i])) ls = a - m, ll = m;
        }
        if (!ll) return false;
        int before = v_at(v, ls - 1);
        if (is_alpha(before) && !(is_lower(before) && is_upper(v->buf[ls]))) return false;
        if (is_digit(before)) return false;
        /* the rest of a key: "_date", "Date", "day", "date" */
        size_t p = a;
        if (v_at(v, p) == '.' && ll == 5 && v->buf[ls] != 'b' && v->buf[ls] != 'B') p++;
        if (v_at(v, p) == '_' || v_at(v, p) == '-' || is_upper(v_at(v, p)) ||
            ilit_at(v, p, "day") || ilit_at(v, p, "date")) {
            size_t r = p;
            if (v_at(v, r) == '_' || v_at(v, r) == '-') r++;
            while (is_alpha(v_at(v, r)) && r - p < 10) r++;
            p = r;
        }
        if (is_alnum(v_at(v, p))) return false; /* "born" in "borne", "dob" in "dobby" */
        /* to the date: closing quote, blanks, a separator, blanks, "on"/"is", a quote */
        size_t stop = p + 24;
        while (p < stop && (v_at(v, p) == '"' || v_at(v, p) == '\'' || v_at(v, p) == '\\')) p++;
        while (p < stop && is_space(v_at(v, p))) p++;
        if (v_at(v, p) == ':' || v_at(v, p) == '=') p++;
        while (p < stop && is_space(v_at(v, p))) p++;
        if (ilit_at(v, p, "on ") || ilit_at(v, p, "is ")) p += 3;
        while (p < stop && (v_at(v, p) == '"' || v_at(v, p) == '\'' || v_at(v, p) == '\\')) p++;
        if (p >= stop) return false;
        ds = p;
    }
    if (is_alnum(v_at(v, ds - 1)) && !(v->flags & V_CELL)) return false;
    size_t de;
    if (!date_at(v, ds, &de)) return false;
    if (v->flags & V_CELL) {
        if (de != v->end) return false;
    } else {
        int c = v_at(v, de);
        bool t = c == 'T' && is_digit(v_at(v, de + 1)); /* 1984-07-12T00:00:00Z */
        if (!t &&
            (is_alnum(c) || ((c == '.' || c == '-' || c == '/') && is_digit(v_at(v, de + 1)))))
            return false;
    }
    v->flags |= V_BARE; /* a date needs its birth word or field */
    v->start = ds;
    v->end = de;
    return true;
}

/* ---- street_address ---------------------------------------------------------------------- */

static const char *const test_addresses[] = {
    "123 main st",
    "123 main street",
    "1234 main st",
    "1234 main street",
    "742 evergreen terrace",
    "221b baker street",
    "1600 pennsylvania ave",
    "1600 pennsylvania avenue",
    "1 infinite loop",
    "1600 amphitheatre pkwy",
    "1600 amphitheatre parkway",
};

static const char *const full_suffixes[] = {"cove", "lane", "loop", "pike", "road", "way"};

static bool street_word(const uint8_t *w, size_t n)
{
    if (n == 0) return false;
    if (is_digit(w[0])) { /* 5th, 42nd, 1st, 3rd */
        size_t i = 0;
        while (i < n && is_digit(w[i])) i++;
        return n - i == 2 && (ascii_ieq(w + i, 2, "st") || ascii_ieq(w + i, 2, "nd") ||
                              ascii_ieq(w + i, 2, "rd") || ascii_ieq(w + i, 2, "th"));
    }
    if (!is_upper(w[0])) return false;
    for (size_t i = 1; i < n; i++)
        if (!is_alpha(w[i]) && w[i] != '\'' && w[i] != '-' && w[i] != '.') return false;
    return true;
}

bool v_street_address(struct vctx *v)
{
    size_t a = v->anchor;
    if (a > v->hi || a < v->lo + 8) return false;
    size_t ss = a;
    while (ss > v->lo && is_alpha(v->buf[ss - 1]) && a - ss < 12) ss--;
    if (ss == a || v_at(v, ss - 1) != ' ' || !LISTED(street_suffixes, v->buf + ss, a - ss))
        return false;
    if (!is_upper(v->buf[ss])) return false;
    /* back over 1-4 street-name words to the house number */
    size_t p = ss - 1, words = 0, num_s = 0, num_e = 0;
    while (words < 5) {
        size_t we = p;
        while (p > v->lo && v->buf[p - 1] != ' ' && v->buf[p - 1] != '=' && v->buf[p - 1] != ':' &&
               v->buf[p - 1] != '"' && v->buf[p - 1] != '\'' && v->buf[p - 1] != '(' &&
               v->buf[p - 1] != '>' && v->buf[p - 1] != '\t' && v->buf[p - 1] != ',' && we - p < 24)
            p--;
        const uint8_t *w = v->buf + p;
        size_t n = we - p;
        if (n == 0) return false;
        /* a house number: 1-6 digits, maybe a letter ("221B") or a range ("12-14") */
        size_t d = 0;
        while (d < n && is_digit(w[d])) d++;
        bool number = d >= 1 && d <= 6 && w[0] != '0' &&
                      (d == n || (n == d + 1 && is_alpha(w[d])) ||
                       (w[d] == '-' && n - d - 1 >= 1 && n - d - 1 <= 5));
        for (size_t k = d + 1; number && k < n && w[d] == '-'; k++) number = is_digit(w[k]);
        if (number && words > 0) {
            num_s = p, num_e = we;
            break;
        }
        bool dir = n <= 2 && is_upper(w[0]) && (n == 1 || w[1] == '.' || is_upper(w[1]));
        if (!street_word(w, n) && !dir) return false;
        words++;
        if (p < v->lo + 2 || v->buf[p - 1] != ' ') return false;
        p--;
    }
    if (!num_e) return false;
    int before = v_at(v, num_s - 1);
    if (is_alnum(before) || before == '.' || before == '-' || before == '#' || before == '/' ||
        before == '$')
        return false;
    /* 10:42, 3,500; but a CSV cell after a numeric cell ("…,+442035589160,9119 Franklin Ct",
     * "…,(404) 386-0139,759 Chestnut St") is an address: after ',' only a 3-digit group after
     * 1-3 digits reads as an amount's thousands */
    if (before != ' ' && before != '\t' && is_digit(v_at(v, num_s - 2))) {
        if (before != ',') return false;
        size_t k = num_s - 1;
        while (k > v->lo && is_digit(v->buf[k - 1]) && num_s - 1 - k < 4) k--;
        if (num_e - num_s == 3 && num_s - 1 - k <= 3) return false;
    }
    size_t end = a;
    /* "St." and "Blvd." are abbreviations; "Lane." ends a sentence */
    if (v_at(v, end) == '.' && a - ss <= 4 && !LISTED(full_suffixes, v->buf + ss, a - ss)) end++;
    /* optional ", City, ST 12345" / ", City ST 12345-6789" */
    size_t p2 = end;
    if (v_at(v, p2) == ',') p2++;
    if (v_at(v, p2) == ' ') {
        p2++;
        size_t cw = 0;
        while (cw < 3 && is_upper(v_at(v, p2)) && !(is_upper(v_at(v, p2 + 1)))) {
            while (is_alpha(v_at(v, p2))) p2++;
            cw++;
            if (v_at(v, p2) == ',') p2++;
            if (v_at(v, p2) != ' ') break;
            p2++;
        }
        if (cw && is_upper(v_at(v, p2)) && is_upper(v_at(v, p2 + 1)) &&
            LISTED(us_states, v->buf + p2, 2) && !is_alpha(v_at(v, p2 + 2))) {
            size_t z = p2 + 2;
            if (v_at(v, z) == ' ') z++;
            size_t zs = z;
            while (is_digit(v_at(v, z)) && z - zs < 6) z++;
            if (z - zs == 5) {
                if (v_at(v, z) == '-' && is_digit(v_at(v, z + 1))) {
                    size_t z4 = z + 1;
                    while (is_digit(v_at(v, z4)) && z4 - z < 6) z4++;
                    if (z4 - z == 5) z = z4;
                }
                if (!is_alnum(v_at(v, z))) {
                    end = z;
                    v->conf += 15;
                }
            }
        }
    }
    char norm[64];
    size_t nn = a - num_s;
    if (nn < sizeof norm) {
        for (size_t i = 0; i < nn; i++) norm[i] = (char)ascii_lower(v->buf[num_s + i]);
        norm[nn] = 0;
        for (size_t i = 0; i < ARRAY_LEN(test_addresses); i++)
            if (!strcmp(norm, test_addresses[i])) v->flags |= V_TEST;
    }
    v->start = num_s;
    v->end = end;
    v->norm_len = 0;
    return true;
}

/* ---- device_id --------------------------------------------------------------------------- */

bool v_device_id(struct vctx *v)
{
    size_t a = v->anchor;
    if (a > v->hi || a <= v->lo) return false;
    /* after a key's separator, a cell of a device-id column, or the phrase "advertising id " */
    bool phrase = v->buf[a - 1] == ' ' && a >= v->lo + 15 &&
                  (ascii_ieq(v->buf + a - 15, 14, "advertising id") ||
                   ascii_ieq(v->buf + a - 15, 14, "advertising_id"));
    if (v->buf[a - 1] != ':' && v->buf[a - 1] != '=' && !phrase && !(v->flags & V_CELL))
        return false;
    int q;
    size_t vs = value_start(v, a, &q), p = vs;
    while (p < v->hi && p - vs <= 40 && (is_hex(v->buf[p]) || v->buf[p] == '-')) p++;
    size_t n = p - vs;
    if (is_alnum(v_at(v, p)) || v_at(v, p) == '-') return false;
    const uint8_t *s = v->buf + vs;
    bool ok;
    if (n == 36) { /* a UUID: 8-4-4-4-12 */
        ok = s[8] == '-' && s[13] == '-' && s[18] == '-' && s[23] == '-';
        for (size_t i = 0; ok && i < 36; i++)
            ok = (i == 8 || i == 13 || i == 18 || i == 23) || is_hex(s[i]);
    } else {
        ok = n == 16 || n == 32; /* Android ID, 32-hex ad ids */
        for (size_t i = 0; ok && i < n; i++) ok = is_hex(s[i]);
    }
    if (!ok) return false;
    bool zero = true, same = true;
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '-') continue;
        zero = zero && s[i] == '0';
        same = same && ascii_lower(s[i]) == ascii_lower(s[0]);
    }
    if (zero || same) return false; /* limit-ad-tracking: no one's id */
    char norm[40];
    for (size_t i = 0; i < n; i++) norm[i] = (char)ascii_lower(s[i]);
    v_set_norm(v, norm, n);
    v->start = vs;
    v->end = p;
    return true;
}

/* ---- user_agent -------------------------------------------------------------------------- */

/* Crawlers and monitors are not a consumer's device: one of their words anywhere in s[0, n),
 * in any case. One pass with a first-letter test (a string of 512 bytes was 3,000 compares). */
static bool bot_agent(const uint8_t *s, size_t n)
{
    static const char *const bots[] = {"bot", "crawler", "spider", "slurp", "monitor", "headless"};
    for (size_t k = 0; k < n; k++) {
        int c = ascii_lower(s[k]);
        if (c != 'b' && c != 'c' && c != 's' && c != 'm' && c != 'h') continue;
        for (size_t i = 0; i < ARRAY_LEN(bots); i++) {
            size_t l = strlen(bots[i]);
            if (bots[i][0] == c && n - k >= l && ascii_ieq(s + k, l, bots[i])) return true;
        }
    }
    return false;
}

bool v_user_agent(struct vctx *v)
{
    size_t a = v->anchor, st = 0;
    if (a > v->hi) return false;
    static const char *const lits[] = {"Mozilla/", "Dalvik/"};
    bool found = false;
    for (size_t i = 0; i < ARRAY_LEN(lits) && !found; i++) {
        /* the anchor ends after "Mozilla/5.0 (" or "Dalvik/2.1.0 (": find its start */
        for (size_t k = 0; k < 24 && a > v->lo + k && !found; k++)
            if (lit_at(v, a - k, lits[i])) st = a - k, found = true;
    }
    if (!found || is_alnum(v_at(v, st - 1))) return false;
    size_t p = st, depth = 0, closed = 0;
    while (p < v->hi && p - st < 512) {
        int c = v->buf[p];
        if (c == '"' || c == '\n' || c == '\r' || c == '\t' || c == '\\' || c < 0x20) break;
        if (c == '(') depth++;
        if (c == ')') {
            if (!depth) break;
            depth--, closed++;
        }
        /* logfmt: " key=" ends an unquoted value */
        if (c == ' ' && !depth) {
            size_t k = p + 1;
            while (k < v->hi && (is_alnum(v->buf[k]) || v->buf[k] == '_') && k - p < 32) k++;
            if (k > p + 1 && v_at(v, k) == '=') break;
        }
        p++;
    }
    while (p > st && (v->buf[p - 1] == ' ' || v->buf[p - 1] == ',' || v->buf[p - 1] == ';')) p--;
    if (!closed || p - st < 20) return false;
    if (bot_agent(v->buf + st, p - st)) return false;
    v->start = st;
    v->end = p;
    v->norm_len = 0;
    return true;
}

/* ---- cookie_id --------------------------------------------------------------------------- */

static bool cookie_char(int c)
{
    return c > 0x20 && c < 0x7f && c != '"' && c != ';' && c != ',' && c != '\\' && c != '&';
}

/* A session-like value: 8-256 token bytes with a digit and a letter, not a placeholder, and
 * not a C hex literal: "sessionid: 0x34ed9ac1c1e007a" is a server's session handle
 * (ZooKeeper), not a browser's cookie. */
static bool session_value(const uint8_t *s, size_t n)
{
    if (n < 8 || n > 256) return false;
    bool digit = false, letter = false, hex = n > 2 && s[0] == '0' && (s[1] | 0x20) == 'x';
    for (size_t i = 0; i < n; i++) {
        digit = digit || is_digit(s[i]);
        letter = letter || is_alpha(s[i]);
        hex = hex && (i < 2 || is_hex(s[i]));
    }
    return digit && letter && !hex && !v_placeholder(s, n) && !ascii_ieq(s, n, "deleted");
}

bool v_cookie_id(struct vctx *v)
{
    size_t a = v->anchor;
    v->norm_len = 0;
    if (a > v->hi || a <= v->lo + 3) return false;
    int q;
    size_t vs = value_start(v, a, &q);
    /* "Cookie:" / "Set-Cookie:" headers (the anchor ends at the colon) */
    size_t h = a - 1;
    while (h > v->lo && is_space(v->buf[h - 1]) && a - h < 6) h--;
    if (v->buf[a - 1] == ':' && h >= v->lo + 6 && ascii_ieq(v->buf + h - 6, 6, "cookie") &&
        !is_alnum(v_at(v, h - 7))) {
        bool set = h >= v->lo + 10 && ascii_ieq(v->buf + h - 10, 4, "set-");
        size_t p = vs, last = vs;
        bool pair = false;
        while (p < v->hi && p - vs < 1024) {
            size_t ns = p;
            while (p < v->hi && cookie_char(v->buf[p]) && v->buf[p] != '=') p++;
            if (v_at(v, p) != '=' || p == ns) break;
            size_t cv = ++p;
            while (p < v->hi && cookie_char(v->buf[p])) p++;
            if (p > cv) pair = pair || session_value(v->buf + cv, p - cv) || p - cv >= 16;
            if (set) { /* the value of Set-Cookie's one pair; attributes are not ids */
                if (!session_value(v->buf + cv, p - cv)) return false;
                v->start = cv;
                v->end = p;
                return true;
            }
            last = p;
            if (v_at(v, p) != ';') break;
            p++;
            while (v_at(v, p) == ' ') p++;
        }
        if (!pair) return false;
        v->start = vs;
        v->end = last;
        return true;
    }
    /* after a session key's separator, or a cell of a column named for sessions */
    if (v->buf[a - 1] != ':' && v->buf[a - 1] != '=' && !(v->flags & V_CELL)) return false;
    size_t p = vs;
    while (p < v->hi && p - vs <= 256 && cookie_char(v->buf[p]) && v->buf[p] != '\'' &&
           v->buf[p] != '}' && v->buf[p] != ')')
        p++;
    if (!session_value(v->buf + vs, p - vs)) return false;
    v->flags |= V_BARE; /* the key must be a session field ("visid=" is not) */
    v->start = vs;
    v->end = p;
    return true;
}

bool validator_cells(validate_fn fn)
{
    return fn && (fn == v_person_name || fn == v_username || fn == v_date_of_birth);
}
