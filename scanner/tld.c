/* tld.c: the known top-level domains (ISO 3166 country codes and common generic TLDs).
 * Knows nothing of e-mail or URL syntax: only whether a label is a TLD. */
#include "validate.h"

#include <stdlib.h>
#include <string.h>

/* Sorted (strcmp), lower case. .zip and .mov are left out on purpose: in logs they are file
 * names far more often than domains. */
static const char *const tlds[] = {
    "ac",           "academy",     "accountant",  "accountants", "actor",       "ad",
    "adult",        "ae",          "aero",        "af",          "ag",          "agency",
    "ai",           "airforce",    "al",          "am",          "amazon",      "android",
    "ao",           "apartments",  "app",         "apple",       "aq",          "ar",
    "archi",        "army",        "arpa",        "art",         "as",          "asia",
    "associates",   "at",          "attorney",    "au",          "auction",     "audio",
    "auto",         "autos",       "aw",          "ax",          "az",          "ba",
    "baby",         "band",        "bank",        "bar",         "barcelona",   "bargains",
    "bayern",       "bb",          "bd",          "be",          "beauty",      "beer",
    "berlin",       "best",        "bet",         "bf",          "bg",          "bh",
    "bi",           "bible",       "bid",         "bike",        "bingo",       "bio",
    "biz",          "bj",          "bl",          "black",       "blackfriday", "blog",
    "blue",         "bm",          "bn",          "bo",          "boats",       "bond",
    "boston",       "boutique",    "bq",          "br",          "broker",      "bs",
    "bt",           "build",       "builders",    "business",    "buzz",        "bv",
    "bw",           "by",          "bz",          "ca",          "cafe",        "cam",
    "camera",       "camp",        "capital",     "car",         "cards",       "care",
    "career",       "careers",     "cars",        "casa",        "cash",        "casino",
    "cat",          "catering",    "cc",          "cd",          "center",      "ceo",
    "cf",           "cg",          "ch",          "charity",     "chat",        "cheap",
    "christmas",    "church",      "ci",          "city",        "ck",          "cl",
    "claims",       "cleaning",    "click",       "clinic",      "clothing",    "cloud",
    "club",         "cm",          "cn",          "co",          "codes",       "coffee",
    "college",      "com",         "community",   "company",     "computer",    "condos",
    "construction", "consulting",  "contractors", "cooking",     "cool",        "coop",
    "country",      "coupons",     "courses",     "cr",          "credit",      "creditcard",
    "cricket",      "cruises",     "cu",          "cv",          "cw",          "cx",
    "cy",           "cymru",       "cz",          "dance",       "date",        "dating",
    "day",          "de",          "deals",       "degree",      "delivery",    "democrat",
    "dental",       "dentist",     "design",      "dev",         "diamonds",    "diet",
    "digital",      "direct",      "directory",   "discount",    "dj",          "dk",
    "dm",           "do",          "doctor",      "dog",         "domains",     "download",
    "dz",           "earth",       "ec",          "eco",         "edu",         "education",
    "ee",           "eg",          "eh",          "email",       "energy",      "engineer",
    "engineering",  "enterprises", "equipment",   "er",          "es",          "estate",
    "et",           "eu",          "eus",         "events",      "exchange",    "expert",
    "exposed",      "express",     "fail",        "faith",       "family",      "fan",
    "fans",         "farm",        "fashion",     "fi",          "film",        "finance",
    "financial",    "fish",        "fishing",     "fit",         "fitness",     "fj",
    "fk",           "flights",     "florist",     "flowers",     "fm",          "fo",
    "football",     "forex",       "forsale",     "forum",       "foundation",  "fr",
    "free",         "fun",         "fund",        "furniture",   "futbol",      "fyi",
    "ga",           "gal",         "gallery",     "game",        "games",       "garden",
    "gay",          "gb",          "gd",          "ge",          "gf",          "gg",
    "gh",           "gi",          "gift",        "gifts",       "gives",       "gl",
    "glass",        "global",      "gm",          "gmail",       "gmbh",        "gn",
    "gold",         "golf",        "google",      "gov",         "gp",          "gq",
    "gr",           "graphics",    "gratis",      "green",       "gripe",       "group",
    "gs",           "gt",          "gu",          "guide",       "guitars",     "guru",
    "gw",           "gy",          "hair",        "hamburg",     "health",      "healthcare",
    "help",         "hiphop",      "hk",          "hm",          "hn",          "hockey",
    "holdings",     "holiday",     "homes",       "horse",       "hospital",    "host",
    "hosting",      "hot",         "house",       "how",         "hr",          "ht",
    "hu",           "icu",         "id",          "ie",          "il",          "im",
    "immo",         "immobilien",  "in",          "inc",         "industries",  "info",
    "ink",          "institute",   "insurance",   "insure",      "int",         "international",
    "investments",  "io",          "iq",          "ir",          "irish",       "is",
    "it",           "je",          "jetzt",       "jewelry",     "jm",          "jo",
    "jobs",         "jp",          "juegos",      "kaufen",      "ke",          "kg",
    "kh",           "ki",          "kim",         "kitchen",     "km",          "kn",
    "koeln",        "kp",          "kr",          "kw",          "ky",          "kz",
    "la",           "land",        "lat",         "law",         "lawyer",      "lb",
    "lc",           "lease",       "legal",       "lgbt",        "li",          "life",
    "lighting",     "limited",     "limo",        "link",        "live",        "lk",
    "llc",          "loan",        "loans",       "lol",         "london",      "love",
    "lr",           "ls",          "lt",          "ltd",         "lu",          "luxury",
    "lv",           "ly",          "ma",          "maison",      "management",  "market",
    "marketing",    "markets",     "mba",         "mc",          "md",          "me",
    "media",        "memorial",    "men",         "menu",        "mf",          "mg",
    "mh",           "miami",       "microsoft",   "mil",         "mk",          "ml",
    "mm",           "mn",          "mo",          "mobi",        "moda",        "moe",
    "mom",          "money",       "monster",     "mortgage",    "motorcycles", "movie",
    "mp",           "mq",          "mr",          "ms",          "mt",          "mu",
    "museum",       "music",       "mv",          "mw",          "mx",          "my",
    "mz",           "na",          "name",        "navy",        "nc",          "ne",
    "net",          "network",     "new",         "news",        "nf",          "ng",
    "ngo",          "ni",          "ninja",       "nl",          "no",          "now",
    "np",           "nr",          "nu",          "nyc",         "nz",          "observer",
    "om",           "one",         "ong",         "onl",         "online",      "ooo",
    "org",          "organic",     "ovh",         "pa",          "page",        "paris",
    "partners",     "parts",       "party",       "pe",          "pet",         "pf",
    "pg",           "ph",          "phd",         "photo",       "photography", "photos",
    "pics",         "pictures",    "pink",        "pizza",       "pk",          "pl",
    "place",        "plumbing",    "plus",        "pm",          "pn",          "poker",
    "porn",         "post",        "pr",          "press",       "pro",         "productions",
    "promo",        "properties",  "property",    "protection",  "ps",          "pt",
    "pub",          "pw",          "py",          "qa",          "quebec",      "quest",
    "racing",       "radio",       "re",          "realestate",  "realty",      "recipes",
    "red",          "rehab",       "reise",       "reisen",      "ren",         "rent",
    "rentals",      "repair",      "report",      "republican",  "rest",        "restaurant",
    "review",       "reviews",     "rich",        "rip",         "ro",          "rocks",
    "rodeo",        "rs",          "ru",          "ruhr",        "run",         "rw",
    "sa",           "sale",        "salon",       "sarl",        "sb",          "sc",
    "school",       "schule",      "science",     "scot",        "sd",          "se",
    "security",     "services",    "sex",         "sexy",        "sg",          "sh",
    "shiksha",      "shoes",       "shop",        "show",        "si",          "singles",
    "site",         "sj",          "sk",          "ski",         "skin",        "sl",
    "sm",           "sn",          "so",          "soccer",      "social",      "software",
    "solar",        "solutions",   "spa",         "space",       "sport",       "sr",
    "ss",           "st",          "store",       "studio",      "study",       "style",
    "su",           "sucks",       "supplies",    "supply",      "support",     "surf",
    "surgery",      "sv",          "swiss",       "sx",          "sy",          "systems",
    "sz",           "tattoo",      "tax",         "taxi",        "tc",          "td",
    "team",         "tech",        "technology",  "tel",         "tennis",      "tf",
    "tg",           "th",          "theater",     "theatre",     "tickets",     "tienda",
    "tips",         "tires",       "tj",          "tk",          "tl",          "tm",
    "tn",           "to",          "today",       "tokyo",       "tools",       "top",
    "tours",        "town",        "toys",        "tr",          "trade",       "trading",
    "training",     "travel",      "tt",          "tube",        "tv",          "tw",
    "tz",           "ua",          "ug",          "uk",          "um",          "university",
    "uno",          "us",          "uy",          "uz",          "va",          "vacations",
    "vc",           "ve",          "vegas",       "ventures",    "vet",         "vg",
    "vi",           "viajes",      "video",       "villas",      "vin",         "vip",
    "vision",       "vn",          "vodka",       "vote",        "voting",      "voto",
    "voyage",       "vu",          "wales",       "wang",        "watch",       "webcam",
    "website",      "wedding",     "wf",          "wien",        "wiki",        "win",
    "windows",      "wine",        "work",        "works",       "world",       "ws",
    "wtf",          "xxx",         "xyz",         "yahoo",       "ye",          "yoga",
    "youtube",      "yt",          "za",          "zm",          "zone",        "zw",
};

static int cmp_tld(const void *key, const void *elem)
{
    return strcmp((const char *)key, *(const char *const *)elem);
}

bool tld_known(const char *s, size_t n)
{
    char low[25];
    if (n < 2 || n >= sizeof low) return false;
    for (size_t i = 0; i < n; i++) {
        if (!is_alpha((unsigned char)s[i])) return false;
        low[i] = (char)ascii_lower((uint8_t)s[i]);
    }
    low[n] = '\0';
    return bsearch(low, tlds, ARRAY_LEN(tlds), sizeof tlds[0], cmp_tld) != NULL;
}

const char *const *tld_table(size_t *n)
{
    *n = ARRAY_LEN(tlds);
    return tlds;
}
