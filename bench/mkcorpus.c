/* mkcorpus.c: builds a deterministic corpus of shuffled loghub lines with valid personal data
 * injected into a fraction of them, plus a TSV ground truth; knows nothing of piiscan's code. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* ---- random numbers: splitmix64 seeds xoshiro256**, so a seed gives the same bytes anywhere */

typedef struct rng {
    uint64_t s[4];
} rng;

static uint64_t splitmix64(uint64_t *x)
{
    uint64_t z = (*x += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

static uint64_t rotl(uint64_t x, int k)
{
    return (x << k) | (x >> (64 - k));
}

static uint64_t rng_next(rng *r)
{
    uint64_t *s = r->s;
    uint64_t result = rotl(s[1] * 5, 7) * 9;
    uint64_t t = s[1] << 17;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 45);
    return result;
}

static void rng_seed(rng *r, uint64_t seed)
{
    for (int i = 0; i < 4; i++) r->s[i] = splitmix64(&seed);
}

/* Uniform in [0, n); Lemire's multiply-shift, bias below 2^-40 for the small n used here. */
static uint64_t below(rng *r, uint64_t n)
{
    return (uint64_t)(((unsigned __int128)rng_next(r) * n) >> 64);
}

static uint64_t between(rng *r, uint64_t lo, uint64_t hi)
{
    return lo + below(r, hi - lo + 1);
}

/* True with probability pct/100. */
static int chance(rng *r, unsigned pct)
{
    return below(r, 100) < pct;
}

#define PICK(r, arr) ((arr)[below((r), sizeof(arr) / sizeof((arr)[0]))])

/* ---- a bounded string builder for one output line ---- */

typedef struct sb {
    char *p;
    size_t n, cap;
} sb;

static void sb_mem(sb *b, const char *s, size_t n)
{
    if (b->n + n > b->cap) n = b->cap - b->n; /* cannot happen: cap leaves 8 KiB of headroom */
    memcpy(b->p + b->n, s, n);
    b->n += n;
}

static void sb_str(sb *b, const char *s)
{
    sb_mem(b, s, strlen(s));
}

static void sb_ch(sb *b, char c)
{
    if (b->n < b->cap) b->p[b->n++] = c;
}

static size_t fmt_u64(char *out, uint64_t v)
{
    char tmp[24];
    size_t n = 0;
    do {
        tmp[n++] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    for (size_t i = 0; i < n; i++) out[i] = tmp[n - 1 - i];
    return n;
}

static void sb_u64(sb *b, uint64_t v)
{
    char tmp[24];
    sb_mem(b, tmp, fmt_u64(tmp, v));
}

/* v zero-padded to `width` digits. */
static void sb_u64w(sb *b, uint64_t v, int width)
{
    char tmp[24];
    size_t n = fmt_u64(tmp, v);
    for (size_t i = n; i < (size_t)width; i++) sb_ch(b, '0');
    sb_mem(b, tmp, n);
}

static void sb_rand(sb *b, rng *r, const char *set, size_t n)
{
    size_t k = strlen(set);
    for (size_t i = 0; i < n; i++) sb_ch(b, set[below(r, k)]);
}

static void sb_hex4(sb *b, unsigned v, int pad, int upper)
{
    const char *d = upper ? "0123456789ABCDEF" : "0123456789abcdef";
    int started = pad;
    for (int sh = 12; sh >= 0; sh -= 4) {
        unsigned x = (v >> sh) & 15;
        if (x || started || sh == 0) {
            sb_ch(b, d[x]);
            started = 1;
        }
    }
}

static const char DIGITS[] = "0123456789";
static const char ALNUM[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
static const char B32[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
static const char B64URL[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
static const char B64STD[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

static void sb_b64url(sb *b, const unsigned char *in, size_t n)
{
    size_t i = 0;
    for (; i + 3 <= n; i += 3) {
        uint32_t v = (uint32_t)in[i] << 16 | (uint32_t)in[i + 1] << 8 | in[i + 2];
        sb_ch(b, B64URL[v >> 18]);
        sb_ch(b, B64URL[(v >> 12) & 63]);
        sb_ch(b, B64URL[(v >> 6) & 63]);
        sb_ch(b, B64URL[v & 63]);
    }
    if (n - i == 1) {
        uint32_t v = (uint32_t)in[i] << 16;
        sb_ch(b, B64URL[v >> 18]);
        sb_ch(b, B64URL[(v >> 12) & 63]);
    } else if (n - i == 2) {
        uint32_t v = (uint32_t)in[i] << 16 | (uint32_t)in[i + 1] << 8;
        sb_ch(b, B64URL[v >> 18]);
        sb_ch(b, B64URL[(v >> 12) & 63]);
        sb_ch(b, B64URL[(v >> 6) & 63]);
    }
}

/* ---- shared word lists ---- */

static const char *const FIRST[] = {"jane",  "john",   "maria", "wei",   "priya",  "lukas", "sofia",
                                    "ahmed", "olivia", "liam",  "chen",  "fatima", "noah",  "emma",
                                    "diego", "yuki",   "anna",  "marco", "chloe",  "omar"};
static const char *const LAST[] = {"doe",    "smith",  "garcia", "zhang",  "patel",    "muller",
                                   "rossi",  "khan",   "brown",  "nguyen", "kowalski", "silva",
                                   "dubois", "tanaka", "jensen", "murphy", "okafor",   "novak"};
static const char *const MAILDOM[] = {
    "gmail.com",     "outlook.com",      "yahoo.com",   "icloud.com",        "protonmail.com",
    "acme-corp.com", "globex.io",        "initech.net", "umbrella-corp.de",  "web.de",
    "orange.fr",     "btinternet.co.uk", "hooli.fr",    "mail.stark-ind.com"};

static void sb_name(sb *b, rng *r, int cap)
{
    const char *f = PICK(r, FIRST), *l = PICK(r, LAST);
    if (cap) {
        sb_ch(b, (char)(f[0] - 32));
        sb_str(b, f + 1);
        sb_ch(b, ' ');
        sb_ch(b, (char)(l[0] - 32));
        sb_str(b, l + 1);
    } else {
        sb_str(b, f);
        sb_ch(b, '.');
        sb_str(b, l);
    }
}

/* An injector appends context + value to b and reports where the value is (relative to b). */
typedef void (*injector)(sb *b, rng *r, size_t *voff, size_t *vlen);

/* ---- detectors ---- */

static void email_local(sb *b, rng *r)
{
    const char *f = PICK(r, FIRST), *l = PICK(r, LAST);
    switch (below(r, 5)) {
    case 0:
        sb_str(b, f);
        sb_ch(b, '.');
        sb_str(b, l);
        break;
    case 1:
        sb_ch(b, f[0]);
        sb_ch(b, '.');
        sb_str(b, l);
        sb_u64(b, between(r, 1, 99));
        break;
    case 2:
        sb_str(b, f);
        sb_ch(b, '_');
        sb_str(b, l);
        break;
    case 3:
        sb_str(b, f);
        sb_str(b, l);
        sb_u64(b, between(r, 1970, 2005));
        break;
    default:
        sb_str(b, f);
        sb_ch(b, '+');
        sb_str(b, PICK(r, ((const char *const[]){"news", "shop", "work", "git"})));
        break;
    }
}

static void inj_email(sb *b, rng *r, size_t *voff, size_t *vlen)
{
    static const char *const pre[] = {"email=",  "user_email=", "to=<",        "from=<",
                                      "mailto:", "notify ",     "recipient: ", "login "};
    const char *p = PICK(r, pre);
    sb_str(b, p);
    *voff = b->n;
    email_local(b, r);
    sb_ch(b, '@');
    sb_str(b, PICK(r, MAILDOM));
    *vlen = b->n - *voff;
    if (p[strlen(p) - 1] == '<') sb_ch(b, '>');
}

/* Real area codes (NPA 2-9, never N11) so numbering-plan checks pass. */
static const unsigned NPA[] = {201, 202, 206, 212, 213, 214, 303, 305, 310, 312, 404, 408, 415,
                               469, 480, 503, 512, 571, 602, 612, 617, 646, 650, 702, 713, 718,
                               720, 773, 786, 818, 832, 858, 917, 919, 971, 347, 628, 737};

static void inj_phone(sb *b, rng *r, size_t *voff, size_t *vlen)
{
    static const char *const pre[] = {"phone=",         "tel:",         "callback number ",
                                      "contact_phone=", "SMS sent to ", "msisdn=",
                                      "caller_id="};
    sb_str(b, PICK(r, pre));
    *voff = b->n;
    if (chance(r, 55)) { /* NANP */
        unsigned npa = PICK(r, NPA), exch;
        do exch = (unsigned)between(r, 200, 999);
        while (exch % 100 == 11 || exch == 555 || exch == 950 || exch == 958 || exch == 959 ||
               exch == 976);
        unsigned line = (unsigned)below(r, 10000);
        switch (below(r, 6)) {
        case 0:
            sb_ch(b, '(');
            sb_u64(b, npa);
            sb_str(b, ") ");
            sb_u64(b, exch);
            sb_ch(b, '-');
            break;
        case 1:
            sb_u64(b, npa);
            sb_ch(b, '-');
            sb_u64(b, exch);
            sb_ch(b, '-');
            break;
        case 2:
            sb_u64(b, npa);
            sb_ch(b, '.');
            sb_u64(b, exch);
            sb_ch(b, '.');
            break;
        case 3:
            sb_str(b, "+1 ");
            sb_u64(b, npa);
            sb_ch(b, '-');
            sb_u64(b, exch);
            sb_ch(b, '-');
            break;
        case 4:
            sb_str(b, "+1 (");
            sb_u64(b, npa);
            sb_str(b, ") ");
            sb_u64(b, exch);
            sb_ch(b, '-');
            break;
        default:
            sb_str(b, "+1");
            sb_u64(b, npa);
            sb_u64(b, exch);
            break;
        }
        sb_u64w(b, line, 4);
    } else { /* E.164 outside NANP, national plans with random subscriber digits */
        int compact = chance(r, 25);
        const char *sep = compact ? "" : " ";
        switch (below(r, 6)) {
        case 0: /* UK London 20 + 8 digits starting 3, 7 or 8 */
            sb_str(b, "+44");
            sb_str(b, sep);
            sb_str(b, "20");
            sb_str(b, sep);
            sb_ch(b, "378"[below(r, 3)]);
            sb_rand(b, r, DIGITS, 3);
            sb_str(b, sep);
            sb_rand(b, r, DIGITS, 4);
            break;
        case 1: /* UK mobile 7[1-9] + 8 digits */
            sb_str(b, "+44");
            sb_str(b, sep);
            sb_ch(b, '7');
            sb_ch(b, "123456789"[below(r, 9)]);
            sb_rand(b, r, DIGITS, 2);
            sb_str(b, sep);
            sb_rand(b, r, DIGITS, 6);
            break;
        case 2: /* Germany mobile */
            sb_str(b, "+49");
            sb_str(b, sep);
            sb_str(b, PICK(r, ((const char *const[]){"151", "152", "160", "170", "171", "176"})));
            sb_str(b, sep);
            sb_ch(b, "123456789"[below(r, 9)]);
            sb_rand(b, r, DIGITS, 7);
            break;
        case 3: /* France 6/7 mobile: +33 6 12 34 56 78 */
            sb_str(b, "+33");
            sb_str(b, sep);
            sb_ch(b, "67"[below(r, 2)]);
            for (int i = 0; i < 4; i++) {
                sb_str(b, sep);
                sb_rand(b, r, DIGITS, 2);
            }
            break;
        case 4: /* India mobile 6-9 + 9 digits */
            sb_str(b, "+91");
            sb_str(b, sep);
            sb_ch(b, "6789"[below(r, 4)]);
            sb_rand(b, r, DIGITS, 4);
            sb_str(b, sep);
            sb_rand(b, r, DIGITS, 5);
            break;
        default: /* Australia mobile 4xx xxx xxx */
            sb_str(b, "+61");
            sb_str(b, sep);
            sb_ch(b, '4');
            sb_rand(b, r, DIGITS, 2);
            sb_str(b, sep);
            sb_rand(b, r, DIGITS, 3);
            sb_str(b, sep);
            sb_rand(b, r, DIGITS, 3);
            break;
        }
    }
    *vlen = b->n - *voff;
}

static void inj_card(sb *b, rng *r, size_t *voff, size_t *vlen)
{
    static const char *const pre[] = {"card ",         "card_number=", "cc=", "Payment with card ",
                                      "charged card=", "pan: "};
    char d[20];
    int len;
    switch (below(r, 5)) {
    case 0:
    case 1: /* Visa */
        d[0] = '4';
        len = 16;
        for (int i = 1; i < len - 1; i++) d[i] = (char)('0' + below(r, 10));
        break;
    case 2: /* Mastercard 51-55 or 2221-2720 */
        len = 16;
        if (chance(r, 70)) {
            d[0] = '5';
            d[1] = (char)('1' + below(r, 5));
            for (int i = 2; i < len - 1; i++) d[i] = (char)('0' + below(r, 10));
        } else {
            unsigned p = (unsigned)between(r, 2221, 2720);
            for (int i = 3; i >= 0; i--, p /= 10) d[i] = (char)('0' + p % 10);
            for (int i = 4; i < len - 1; i++) d[i] = (char)('0' + below(r, 10));
        }
        break;
    case 3: /* Amex 34/37, 15 digits */
        len = 15;
        d[0] = '3';
        d[1] = chance(r, 50) ? '4' : '7';
        for (int i = 2; i < len - 1; i++) d[i] = (char)('0' + below(r, 10));
        break;
    default: /* Discover 6011 */
        len = 16;
        memcpy(d, "6011", 4);
        for (int i = 4; i < len - 1; i++) d[i] = (char)('0' + below(r, 10));
        break;
    }
    /* Luhn: double every second digit from the right, the check digit excluded. */
    int sum = 0;
    for (int i = len - 2, dbl = 1; i >= 0; i--, dbl ^= 1) {
        int v = d[i] - '0';
        if (dbl) v = v * 2 > 9 ? v * 2 - 9 : v * 2;
        sum += v;
    }
    d[len - 1] = (char)('0' + (10 - sum % 10) % 10);

    sb_str(b, PICK(r, pre));
    *voff = b->n;
    unsigned style = (unsigned)below(r, 100);
    char sep = style < 50 ? ' ' : style < 65 ? '-' : 0;
    static const int g16[] = {4, 8, 12, 99}, g15[] = {4, 10, 99};
    const int *g = len == 15 ? g15 : g16;
    for (int i = 0; i < len; i++) {
        if (sep && i == *g) {
            sb_ch(b, sep);
            g++;
        }
        sb_ch(b, d[i]);
    }
    *vlen = b->n - *voff;
}

/* ISO 7064 mod 97-10 over a string of digits and upper-case letters (A=10 … Z=35). */
static unsigned mod97(const char *s, size_t n)
{
    unsigned m = 0;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (c >= '0' && c <= '9')
            m = (m * 10 + (unsigned)(c - '0')) % 97;
        else
            m = (m * 100 + (unsigned)(c - 'A' + 10)) % 97;
    }
    return m;
}

static void inj_iban(sb *b, rng *r, size_t *voff, size_t *vlen)
{
    static const char *const pre[] = {"iban=", "IBAN ", "payout to IBAN ",
                                      "account_iban=", "refund iban: "};
    char bban[32];
    size_t n = 0;
    const char *cc;
    switch (below(r, 6)) {
    case 0: /* DE: 8-digit bank code + 10-digit account */
        cc = "DE";
        for (; n < 18; n++) bban[n] = (char)('0' + below(r, 10));
        if (bban[0] == '0') bban[0] = '1';
        break;
    case 1: { /* GB: 4-letter bank + 6-digit sort code + 8-digit account */
        cc = "GB";
        memcpy(bban, PICK(r, ((const char *const[]){"NWBK", "BARC", "LOYD", "HBUK", "MIDL"})), 4);
        for (n = 4; n < 18; n++) bban[n] = (char)('0' + below(r, 10));
        break;
    }
    case 2: { /* FR: bank 5 + branch 5 + account 11 + RIB key 2 */
        cc = "FR";
        uint64_t bank = between(r, 10000, 99999), branch = below(r, 100000);
        uint64_t acct = below(r, 100000000000ULL);
        unsigned key = (unsigned)(97 - (89 * bank + 15 * branch + 3 * acct) % 97);
        uint64_t parts[4] = {bank, branch, acct, key};
        int widths[4] = {5, 5, 11, 2};
        for (int k = 0; k < 4; k++) {
            uint64_t v = parts[k];
            for (int i = widths[k] - 1; i >= 0; i--, v /= 10)
                bban[n + (size_t)i] = (char)('0' + v % 10);
            n += (size_t)widths[k];
        }
        break;
    }
    case 3: { /* NL: 4-letter bank + 10-digit account passing the 11-test */
        cc = "NL";
        memcpy(bban, PICK(r, ((const char *const[]){"ABNA", "RABO", "TRIO", "SNSB", "ASNB"})), 4);
        unsigned s, last;
        do {
            s = 0;
            for (int i = 0; i < 9; i++) {
                bban[4 + i] = (char)('0' + below(r, 10));
                s += (unsigned)(bban[4 + i] - '0') * (unsigned)(10 - i);
            }
            last = (11 - s % 11) % 11;
        } while (last == 10 || bban[4] == '0');
        bban[13] = (char)('0' + last);
        n = 14;
        break;
    }
    case 4: { /* BE: 3 bank + 7 account + 2 national check (mod 97 of the first 10, 0 -> 97) */
        cc = "BE";
        uint64_t v = between(r, 1000000000ULL, 9999999999ULL);
        unsigned chk = (unsigned)(v % 97);
        if (!chk) chk = 97;
        for (int i = 9; i >= 0; i--, v /= 10) bban[i] = (char)('0' + v % 10);
        bban[10] = (char)('0' + chk / 10);
        bban[11] = (char)('0' + chk % 10);
        n = 12;
        break;
    }
    default: { /* ES: bank 4 + branch 4 + 2 national control digits + account 10 */
        cc = "ES";
        static const int w[10] = {1, 2, 4, 8, 5, 10, 9, 7, 3, 6};
        char eb[10], acct[10];
        eb[0] = eb[1] = '0';
        for (int i = 2; i < 10; i++) eb[i] = (char)('0' + below(r, 10));
        for (int i = 0; i < 10; i++) acct[i] = (char)('0' + below(r, 10));
        int s1 = 0, s2 = 0;
        for (int i = 0; i < 10; i++) {
            s1 += (eb[i] - '0') * w[i];
            s2 += (acct[i] - '0') * w[i];
        }
        int c1 = 11 - s1 % 11, c2 = 11 - s2 % 11;
        c1 = c1 == 11 ? 0 : c1 == 10 ? 1 : c1;
        c2 = c2 == 11 ? 0 : c2 == 10 ? 1 : c2;
        memcpy(bban, eb + 2, 8);
        bban[8] = (char)('0' + c1);
        bban[9] = (char)('0' + c2);
        memcpy(bban + 10, acct, 10);
        n = 20;
        break;
    }
    }
    /* Check digits: 98 - mod97(BBAN + country + "00"). */
    char tmp[40];
    memcpy(tmp, bban, n);
    tmp[n] = cc[0];
    tmp[n + 1] = cc[1];
    tmp[n + 2] = tmp[n + 3] = '0';
    unsigned check = 98 - mod97(tmp, n + 4);
    char iban[40];
    iban[0] = cc[0];
    iban[1] = cc[1];
    iban[2] = (char)('0' + check / 10);
    iban[3] = (char)('0' + check % 10);
    memcpy(iban + 4, bban, n);
    size_t len = n + 4;

    sb_str(b, PICK(r, pre));
    *voff = b->n;
    int grouped = chance(r, 40); /* the paper "print" form: groups of four */
    for (size_t i = 0; i < len; i++) {
        if (grouped && i && i % 4 == 0) sb_ch(b, ' ');
        sb_ch(b, iban[i]);
    }
    *vlen = b->n - *voff;
}

static void inj_ssn(sb *b, rng *r, size_t *voff, size_t *vlen)
{
    static const char *const pre[] = {
        "ssn=", "SSN: ", "applicant ssn ", "tax_id=", "social_security_number=", "member SSN "};
    unsigned area, group, serial;
    do {
        area = (unsigned)between(r, 1, 898);
        if (area >= 666) area++; /* 001-665, 667-899 */
        group = (unsigned)between(r, 1, 99);
        serial = (unsigned)between(r, 1, 9999);
    } while ((area == 78 && group == 5 && serial == 1120) ||
             (area == 219 && group == 9 && serial == 9999) ||
             (area == 123 && group == 45 && serial == 6789));
    sb_str(b, PICK(r, pre));
    *voff = b->n;
    sb_u64w(b, area, 3);
    sb_ch(b, '-');
    sb_u64w(b, group, 2);
    sb_ch(b, '-');
    sb_u64w(b, serial, 4);
    *vlen = b->n - *voff;
}

static void inj_ipv4(sb *b, rng *r, size_t *voff, size_t *vlen)
{
    static const char *const pre[] = {
        "from ", "client=", "src=", "remote_addr=", "connection from ", "X-Forwarded-For: ",
        "peer "};
    unsigned o1, o2, o3, o4;
    for (;;) {
        o1 = (unsigned)between(r, 1, 223);
        o2 = (unsigned)below(r, 256);
        o3 = (unsigned)below(r, 256);
        o4 = (unsigned)between(r, 1, 254);
        /* not private, loopback, link-local, CGNAT, benchmark or documentation space */
        if (o1 == 10 || o1 == 127 || o1 == 0 || o1 == 100 || o1 == 169 || o1 == 172 || o1 == 192 ||
            o1 == 198)
            continue;
        if (o1 == 203 && o2 == 0 && o3 == 113) continue;
        break;
    }
    sb_str(b, PICK(r, pre));
    *voff = b->n;
    sb_u64(b, o1);
    sb_ch(b, '.');
    sb_u64(b, o2);
    sb_ch(b, '.');
    sb_u64(b, o3);
    sb_ch(b, '.');
    sb_u64(b, o4);
    *vlen = b->n - *voff;
}

static void inj_ipv6(sb *b, rng *r, size_t *voff, size_t *vlen)
{
    /* Real global-unicast allocations (never 2001:db8::/32). */
    static const unsigned pfx[][2] = {{0x2001, 0x4860}, {0x2a00, 0x1450}, {0x2a03, 0x2880},
                                      {0x2606, 0x4700}, {0x2600, 0x1f18}, {0x2a02, 0x8108},
                                      {0x2405, 0x0200}, {0x2c0f, 0xfb50}, {0x2804, 0x14c}};
    static const char *const pre[] = {"from ", "client_ip=", "src=", "addr ", "peer=["};
    unsigned g[8];
    unsigned k = (unsigned)below(r, sizeof(pfx) / sizeof(pfx[0]));
    g[0] = pfx[k][0];
    g[1] = pfx[k][1];
    for (int i = 2; i < 8; i++) g[i] = (unsigned)below(r, 0x10000);
    const char *p = PICK(r, pre);
    sb_str(b, p);
    *voff = b->n;
    int upper = chance(r, 10);
    if (chance(r, 40)) { /* full: eight groups, zero-padded or not */
        int pad = chance(r, 50);
        for (int i = 0; i < 8; i++) {
            if (i) sb_ch(b, ':');
            sb_hex4(b, g[i], pad, upper);
        }
    } else { /* compressed (RFC 5952): a zero run of 2-5 groups written as :: */
        int run = (int)between(r, 2, 5), at = (int)between(r, 2, 8 - run);
        for (int i = at; i < at + run; i++) g[i] = 0;
        for (int i = 0; i < at; i++) {
            if (i) sb_ch(b, ':');
            sb_hex4(b, g[i], 0, upper);
        }
        sb_str(b, "::");
        for (int i = at + run; i < 8; i++) {
            if (i > at + run) sb_ch(b, ':');
            sb_hex4(b, g[i], 0, upper);
        }
    }
    *vlen = b->n - *voff;
    if (p[strlen(p) - 1] == '[') sb_str(b, "]:443");
}

static void inj_mac(sb *b, rng *r, size_t *voff, size_t *vlen)
{
    static const char *const pre[] = {"mac=",        "hwaddr ", "ether ",
                                      "client MAC ", "BSSID ",  "device_mac="};
    unsigned char m[6];
    do
        for (int i = 0; i < 6; i++) m[i] = (unsigned char)below(r, 256);
    while ((m[0] & 0xFC) == 0);
    m[0] &= 0xFC; /* unicast, globally administered */
    char sep = chance(r, 70) ? ':' : '-';
    const char *d = chance(r, 60) ? "0123456789abcdef" : "0123456789ABCDEF";
    sb_str(b, PICK(r, pre));
    *voff = b->n;
    for (int i = 0; i < 6; i++) {
        if (i) sb_ch(b, sep);
        sb_ch(b, d[m[i] >> 4]);
        sb_ch(b, d[m[i] & 15]);
    }
    *vlen = b->n - *voff;
}

static void inj_aws_key(sb *b, rng *r, size_t *voff, size_t *vlen)
{
    static const char *const pre[] = {"aws_access_key_id=", "AccessKeyId: ", "key_id=",
                                      "AWS_ACCESS_KEY_ID=", "using credentials "};
    sb_str(b, PICK(r, pre));
    *voff = b->n;
    sb_str(b, chance(r, 80) ? "AKIA" : "ASIA");
    sb_rand(b, r, B32, 16);
    *vlen = b->n - *voff;
}

static void inj_aws_secret(sb *b, rng *r, size_t *voff, size_t *vlen)
{
    static const char *const pre[] = {"aws_secret_access_key=", "AWS_SECRET_ACCESS_KEY=",
                                      "aws_secret_access_key = ", "\"SecretAccessKey\": \""};
    const char *p = PICK(r, pre);
    sb_str(b, p);
    *voff = b->n;
    sb_rand(b, r, ALNUM, 1);
    sb_rand(b, r, B64STD, 38);
    sb_rand(b, r, ALNUM, 1);
    *vlen = b->n - *voff;
    if (p[strlen(p) - 1] == '"') sb_ch(b, '"');
}

static uint32_t crc32(const char *s, size_t n)
{
    uint32_t c = 0xFFFFFFFFu;
    for (size_t i = 0; i < n; i++) {
        c ^= (unsigned char)s[i];
        for (int k = 0; k < 8; k++) c = (c >> 1) ^ (0xEDB88320u & (0u - (c & 1)));
    }
    return ~c;
}

static void inj_api_token(sb *b, rng *r, size_t *voff, size_t *vlen)
{
    switch (below(r, 3)) {
    case 0: { /* GitHub: ghp_ + 30 random + 6-char base62 CRC32 of the random part */
        sb_str(b, PICK(r, ((const char *const[]){"token=", "GITHUB_TOKEN=", "Authorization: token ",
                                                 "gh auth "})));
        *voff = b->n;
        sb_str(b, chance(r, 80) ? "ghp_" : "gho_");
        size_t at = b->n;
        sb_rand(b, r, ALNUM, 30);
        uint32_t c = crc32(b->p + at, 30);
        static const char b62[] = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
        char t[6];
        for (int i = 5; i >= 0; i--, c /= 62) t[i] = b62[c % 62];
        sb_mem(b, t, 6);
        break;
    }
    case 1: /* Slack bot token */
        sb_str(b, PICK(r, ((const char *const[]){"slack_token=", "SLACK_BOT_TOKEN=", "Bearer "})));
        *voff = b->n;
        sb_str(b, "xoxb-");
        sb_ch(b, "123456789"[below(r, 9)]);
        sb_rand(b, r, DIGITS, 10 + below(r, 3));
        sb_ch(b, '-');
        sb_ch(b, "123456789"[below(r, 9)]);
        sb_rand(b, r, DIGITS, 11 + below(r, 2));
        sb_ch(b, '-');
        sb_rand(b, r, ALNUM, 24);
        break;
    default: /* Google API key */
        sb_str(b,
               PICK(r, ((const char *const[]){"api_key=", "GOOGLE_API_KEY=", "x-goog-api-key: "})));
        *voff = b->n;
        sb_str(b, "AIza");
        sb_rand(b, r, B64URL, 35);
        break;
    }
    *vlen = b->n - *voff;
}

static void inj_jwt(sb *b, rng *r, size_t *voff, size_t *vlen)
{
    static const char *const pre[] = {"Authorization: Bearer ",
                                      "jwt=", "id_token=", "access_token=", "session token "};
    char json[256];
    sb j = {json, 0, sizeof json};
    sb_str(&j, "{\"sub\":\"");
    sb_u64(&j, between(r, 1000000, 9999999999ULL));
    sb_str(&j, "\",\"name\":\"");
    sb_name(&j, r, 1);
    sb_str(&j, "\",\"iat\":");
    sb_u64(&j, between(r, 1600000000, 1780000000));
    sb_ch(&j, '}');
    unsigned char sig[32];
    for (int i = 0; i < 32; i++) sig[i] = (unsigned char)below(r, 256);

    sb_str(b, PICK(r, pre));
    *voff = b->n;
    sb_str(b, "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9."); /* {"alg":"HS256","typ":"JWT"} */
    sb_b64url(b, (const unsigned char *)json, j.n);
    sb_ch(b, '.');
    sb_b64url(b, sig, sizeof sig); /* 43 characters */
    *vlen = b->n - *voff;
}

static void inj_private_key(sb *b, rng *r, size_t *voff, size_t *vlen)
{
    static const char *const kind[] = {"RSA ", "EC ", "OPENSSH ", "", "DSA "};
    static const char *const lead[] = {"MIIEpAIBAAKCAQEA", "MHcCAQEEI", "b3BlbnNzaC1rZXktdjEAAAAA",
                                       "MIIEvQIBADANBgkqhkiG9w0BAQEFAASC", "MIIBuwIBAAKBgQ"};
    unsigned k = (unsigned)below(r, 5);
    sb_str(b, PICK(r, ((const char *const[]){"key=\"", "loaded key ", "private_key: \"",
                                             "ssh key material "})));
    *voff = b->n;
    sb_str(b, "-----BEGIN ");
    sb_str(b, kind[k]);
    sb_str(b, "PRIVATE KEY-----");
    if (chance(r, 70)) { /* a whole block logged as an escaped string */
        sb_str(b, "\\n");
        sb_str(b, lead[k]);
        sb_rand(b, r, B64STD, 64 - strlen(lead[k]));
        sb_str(b, "\\n");
        sb_rand(b, r, B64STD, 64);
        sb_str(b, "\\n-----END ");
        sb_str(b, kind[k]);
        sb_str(b, "PRIVATE KEY-----");
    }
    *vlen = b->n - *voff;
    if (b->p[*voff - 1] == '"') sb_ch(b, '"');
}

static void sb_secret(sb *b, rng *r, int url_safe)
{
    static const char *const word[] = {"Summer", "Winter", "Dragon",    "Sunshine", "Falcon",
                                       "Pa55",   "S3cr3t", "Tr0ub4dor", "Qwerty",   "Maple"};
    if (chance(r, 50)) {
        sb_str(b, PICK(r, word));
        sb_u64(b, between(r, 1, 2026));
        sb_ch(b, url_safe ? "!*-_."[below(r, 5)] : "!#$%*?"[below(r, 6)]);
    } else {
        sb_rand(b, r, ALNUM, 10 + below(r, 7));
        if (chance(r, 50)) sb_ch(b, url_safe ? '!' : "!#$%*?"[below(r, 6)]);
        sb_rand(b, r, ALNUM, 2);
    }
}

static void inj_password(sb *b, rng *r, size_t *voff, size_t *vlen)
{
    if (chance(r, 60)) {
        static const char *const key[] = {
            "password=", "passwd=", "pwd=", "db_password=", "\"password\": \"", "password: "};
        const char *k = PICK(r, key);
        sb_str(b, k);
        *voff = b->n;
        sb_secret(b, r, 0);
        *vlen = b->n - *voff;
        if (k[strlen(k) - 1] == '"') sb_ch(b, '"');
    } else { /* credentials in a URL: the password is the value */
        static const char *const scheme[] = {"https://", "postgres://", "amqp://",
                                             "ftp://",   "redis://",    "mysql://"};
        static const char *const host[] = {"db.internal.acme-corp.com:5432/app",
                                           "mq.globex.io:5672/", "files.initech.net/upload",
                                           "cache-03.hooli.fr:6379", "api.stark-ind.com/v2/sync"};
        sb_str(b, PICK(r, ((const char *const[]){"connecting to ", "url=", "dsn=", "GET "})));
        sb_str(b, PICK(r, scheme));
        sb_str(b, PICK(r, ((const char *const[]){"jdoe", "svc_backup", "deploy", "app_user",
                                                 "m.rossi"})));
        sb_ch(b, ':');
        *voff = b->n;
        sb_secret(b, r, 1);
        *vlen = b->n - *voff;
        sb_ch(b, '@');
        sb_str(b, PICK(r, host));
    }
}

static void inj_url(sb *b, rng *r, size_t *voff, size_t *vlen)
{
    static const char *const host[] = {"shop.acme.io", "www.globex.com", "app.initech.net",
                                       "m.hooli.fr", "checkout.umbrella-corp.de"};
    static const char *const path[] = {
        "/p",      "/product/8842", "/checkout",   "/account/settings",
        "/search", "/cart/add",     "/track/click"};
    static const char *const other[] = {"utm_source=newsletter", "ref=home", "page=2",
                                        "q=running+shoes",       "lang=en",  "utm_campaign=bf24"};
    const char *p =
        PICK(r, ((const char *const[]){"GET ", "referer=", "Referer: ", "redirect to ", "url="}));
    sb_str(b, p);
    *voff = b->n;
    sb_str(b, "https://");
    sb_str(b, PICK(r, host));
    sb_str(b, PICK(r, path));
    sb_ch(b, '?');
    int before = chance(r, 50);
    if (before) {
        sb_str(b, PICK(r, other));
        sb_ch(b, '&');
    }
    switch (below(r, 6)) {
    case 0: /* the e-mail escaped, as in a real query string */
        sb_str(b, "email=");
        email_local(b, r);
        sb_str(b, "%40");
        sb_str(b, PICK(r, MAILDOM));
        break;
    case 1:
        sb_str(b, "user=");
        sb_name(b, r, 0);
        break;
    case 2:
        sb_str(b, "uid=");
        sb_u64(b, between(r, 10000, 99999999));
        break;
    case 3:
        sb_str(b, "session=");
        sb_rand(b, r, "0123456789abcdef", 32);
        break;
    case 4:
        sb_str(b, "user_id=");
        sb_u64(b, between(r, 1000, 9999999));
        break;
    default:
        sb_str(b, "id=");
        sb_u64(b, between(r, 100, 999999));
        sb_str(b, "&token=");
        sb_rand(b, r, ALNUM, 20);
        break;
    }
    if (!before || chance(r, 30)) {
        sb_ch(b, '&');
        sb_str(b, PICK(r, other));
    }
    *vlen = b->n - *voff;
    if (p[0] == 'G') sb_str(b, " HTTP/1.1");
}

static void sb_decimal(sb *b, rng *r, unsigned whole_max, int neg_ok, int decimals)
{
    if (neg_ok && chance(r, 50)) sb_ch(b, '-');
    sb_u64(b, below(r, whole_max));
    sb_ch(b, '.');
    sb_rand(b, r, DIGITS, (size_t)decimals - 1);
    sb_ch(b, "123456789"[below(r, 9)]);
}

static void inj_geo(sb *b, rng *r, size_t *voff, size_t *vlen)
{
    static const char *const pre[] = {"location=", "gps: ", "lat/lon ",
                                      "coords=(",  "geo=",  "last_known_position "};
    const char *p = PICK(r, pre);
    sb_str(b, p);
    *voff = b->n;
    int dec = (int)between(r, 4, 6);
    sb_decimal(b, r, 72, 1, dec);
    sb_str(b, chance(r, 70) ? ", " : ",");
    sb_decimal(b, r, 180, 1, dec);
    *vlen = b->n - *voff;
    if (p[strlen(p) - 1] == '(') sb_ch(b, ')');
}

static const struct detector {
    const char *id;
    injector fn;
} DETECTORS[] = {
    {"email", inj_email},
    {"phone", inj_phone},
    {"credit_card", inj_card},
    {"iban", inj_iban},
    {"us_ssn", inj_ssn},
    {"ipv4", inj_ipv4},
    {"ipv6", inj_ipv6},
    {"mac_address", inj_mac},
    {"aws_access_key", inj_aws_key},
    {"aws_secret_key", inj_aws_secret},
    {"api_token", inj_api_token},
    {"jwt", inj_jwt},
    {"private_key", inj_private_key},
    {"password", inj_password},
    {"url_clickstream", inj_url},
    {"geo_coordinates", inj_geo},
};
#define NDET (sizeof(DETECTORS) / sizeof(DETECTORS[0]))

/* ---- input lines ---- */

typedef struct line {
    const char *p;
    uint32_t len; /* without the ending */
    uint8_t crlf; /* ending is \r\n, else \n */
} line;

typedef struct lines {
    line *v;
    size_t n, cap;
    size_t maxlen;
} lines;

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static char *read_file(const char *path, size_t *len)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) return NULL;
    struct stat st;
    if (fstat(fd, &st) != 0) {
        close(fd);
        return NULL;
    }
    char *buf = malloc((size_t)st.st_size + 1);
    size_t got = 0;
    while (buf && got < (size_t)st.st_size) {
        ssize_t k = read(fd, buf + got, (size_t)st.st_size - got);
        if (k <= 0) {
            if (k < 0 && errno == EINTR) continue;
            break;
        }
        got += (size_t)k;
    }
    close(fd);
    if (!buf || got != (size_t)st.st_size) {
        free(buf);
        return NULL;
    }
    *len = got;
    return buf;
}

static int add_line(lines *L, const char *p, size_t len, int crlf)
{
    if (L->n == L->cap) {
        size_t cap = L->cap ? L->cap * 2 : 4096;
        line *v = realloc(L->v, cap * sizeof *v);
        if (!v) return -1;
        L->v = v;
        L->cap = cap;
    }
    L->v[L->n++] = (line){p, (uint32_t)len, (uint8_t)crlf};
    if (len > L->maxlen) L->maxlen = len;
    return 0;
}

/* Loads every *.log of dir in name order. A last line without an ending takes the file's most
 * common one, so that repeated lines never run together. */
static int load_loghub(const char *dir, lines *L, char ***bufs, size_t *nbufs)
{
    DIR *d = opendir(dir);
    if (!d) {
        fprintf(stderr, "mkcorpus: cannot open %s: %s\n", dir, strerror(errno));
        return -1;
    }
    char **names = NULL;
    size_t nn = 0;
    struct dirent *e;
    while ((e = readdir(d))) {
        size_t k = strlen(e->d_name);
        if (k < 5 || strcmp(e->d_name + k - 4, ".log") != 0) continue;
        char **nv = realloc(names, (nn + 1) * sizeof *nv);
        if (!nv) break;
        names = nv;
        names[nn] = strdup(e->d_name);
        if (names[nn]) nn++;
    }
    closedir(d);
    if (!nn) {
        fprintf(stderr, "mkcorpus: no *.log files in %s\n", dir);
        free(names);
        return -1;
    }
    qsort(names, nn, sizeof *names, cmp_str);
    *bufs = calloc(nn, sizeof **bufs);
    *nbufs = nn;
    int rc = 0;
    for (size_t i = 0; i < nn && *bufs; i++) {
        size_t plen = strlen(dir) + strlen(names[i]) + 2, len = 0;
        char *path = malloc(plen);
        if (!path) {
            rc = -1;
            break;
        }
        memcpy(path, dir, strlen(dir));
        path[strlen(dir)] = '/';
        memcpy(path + strlen(dir) + 1, names[i], strlen(names[i]) + 1);
        char *buf = read_file(path, &len);
        if (!buf) {
            fprintf(stderr, "mkcorpus: cannot read %s: %s\n", path, strerror(errno));
            free(path);
            rc = -1;
            break;
        }
        free(path);
        (*bufs)[i] = buf;
        size_t ncrlf = 0, nlf = 0, start = 0;
        for (size_t k = 0; k < len; k++) {
            if (buf[k] != '\n') continue;
            int crlf = k > start && buf[k - 1] == '\r';
            if (crlf)
                ncrlf++;
            else
                nlf++;
            if (add_line(L, buf + start, k - start - (size_t)crlf, crlf)) return -1;
            start = k + 1;
        }
        if (start < len) {
            size_t k = len;
            while (k > start && buf[k - 1] == '\r') k--;
            if (add_line(L, buf + start, k - start, ncrlf >= nlf)) return -1;
        }
    }
    for (size_t i = 0; i < nn; i++) free(names[i]);
    free(names);
    return rc;
}

/* ---- output ---- */

typedef struct out {
    int fd;
    char *buf;
    size_t n, cap;
    const char *path;
} out;

static int out_flush(out *o)
{
    size_t done = 0;
    while (done < o->n) {
        ssize_t k = write(o->fd, o->buf + done, o->n - done);
        if (k < 0) {
            if (errno == EINTR) continue;
            fprintf(stderr, "mkcorpus: write %s: %s\n", o->path, strerror(errno));
            return -1;
        }
        done += (size_t)k;
    }
    o->n = 0;
    return 0;
}

static int out_mem(out *o, const char *p, size_t n)
{
    if (o->n + n > o->cap && out_flush(o)) return -1;
    if (n > o->cap) { /* larger than the buffer: write it through */
        out big = *o;
        big.buf = (char *)p;
        big.n = n;
        return out_flush(&big);
    }
    memcpy(o->buf + o->n, p, n);
    o->n += n;
    return 0;
}

static int out_open(out *o, const char *path, size_t cap)
{
    o->path = path;
    o->fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (o->fd < 0) {
        fprintf(stderr, "mkcorpus: cannot create %s: %s\n", path, strerror(errno));
        return -1;
    }
    o->buf = malloc(cap);
    o->cap = cap;
    o->n = 0;
    return o->buf ? 0 : -1;
}

static int out_close(out *o)
{
    int rc = out_flush(o);
    if (close(o->fd) != 0) rc = -1;
    free(o->buf);
    return rc;
}

/* ---- arguments ---- */

/* "1G", "64M", "512k" (binary multiples) or plain bytes. */
static int parse_size(const char *s, uint64_t *v)
{
    char *end;
    errno = 0;
    unsigned long long x = strtoull(s, &end, 10);
    if (errno || end == s) return -1;
    uint64_t mul = 1;
    switch (*end) {
    case 'k':
    case 'K':
        mul = 1ULL << 10;
        end++;
        break;
    case 'm':
    case 'M':
        mul = 1ULL << 20;
        end++;
        break;
    case 'g':
    case 'G':
        mul = 1ULL << 30;
        end++;
        break;
    case 't':
    case 'T':
        mul = 1ULL << 40;
        end++;
        break;
    default:
        break;
    }
    if (*end == 'i') end++;
    if (*end == 'B') end++;
    if (*end) return -1;
    *v = (uint64_t)x * mul;
    return 0;
}

static void usage(void)
{
    fprintf(stderr, "usage: mkcorpus --loghub DIR --size BYTES[k|M|G] --seed N --out FILE "
                    "[--truth FILE] [--rate R]\n");
}

int main(int argc, char **argv)
{
    const char *dir = NULL, *outp = NULL, *truthp = NULL;
    uint64_t size = 0, seed = 1;
    double rate = 0.02;
    int have_size = 0;
    for (int i = 1; i < argc; i += 2) { /* every option takes a value */
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
            usage();
            return 0;
        }
        if (!v) {
            usage();
            return 2;
        }
        char *end = NULL;
        if (!strcmp(a, "--loghub"))
            dir = v;
        else if (!strcmp(a, "--out"))
            outp = v;
        else if (!strcmp(a, "--truth"))
            truthp = v;
        else if (!strcmp(a, "--size")) {
            if (parse_size(v, &size)) {
                fprintf(stderr, "mkcorpus: bad --size %s\n", v);
                return 2;
            }
            have_size = 1;
        } else if (!strcmp(a, "--seed")) {
            errno = 0;
            seed = strtoull(v, &end, 0);
            if (errno || *end || end == v) {
                fprintf(stderr, "mkcorpus: bad --seed %s\n", v);
                return 2;
            }
        } else if (!strcmp(a, "--rate")) {
            errno = 0;
            rate = strtod(v, &end);
            if (errno || *end || end == v || !(rate >= 0 && rate <= 1)) {
                fprintf(stderr, "mkcorpus: bad --rate %s (0..1)\n", v);
                return 2;
            }
        } else {
            usage();
            return 2;
        }
    }
    if (!dir || !outp || !have_size) {
        usage();
        return 2;
    }

    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);

    lines L = {0};
    char **bufs = NULL;
    size_t nbufs = 0;
    if (load_loghub(dir, &L, &bufs, &nbufs) || !L.n) return 2;

    rng r;
    rng_seed(&r, seed);
    uint32_t *order = malloc(L.n * sizeof *order);
    size_t cap = L.maxlen + 8192;
    char *scratch = malloc(cap);
    if (!order || !scratch) return 2;
    for (size_t i = 0; i < L.n; i++) order[i] = (uint32_t)i;

    out o, t;
    if (out_open(&o, outp, 8u << 20)) return 2;
    if (truthp && out_open(&t, truthp, 1u << 20)) return 2;

    /* A line receives PII when a 64-bit draw falls below rate * 2^64. */
    uint64_t thresh = rate >= 1.0 ? UINT64_MAX : (uint64_t)(rate * 18446744073709551616.0);
    uint64_t written = 0, lineno = 0, injected_lines = 0, values = 0;
    uint64_t per_det[NDET] = {0};
    size_t pos = L.n;
    int rc = 0;
    for (;;) {
        if (pos == L.n) { /* a fresh seeded permutation for every pass over the lines */
            for (size_t i = L.n - 1; i > 0; i--) {
                size_t j = (size_t)below(&r, i + 1);
                uint32_t x = order[i];
                order[i] = order[j];
                order[j] = x;
            }
            pos = 0;
        }
        const line *ln = &L.v[order[pos++]];
        const char *eol = ln->crlf ? "\r\n" : "\n";
        size_t eol_len = ln->crlf ? 2 : 1;
        if (rng_next(&r) >= thresh) {
            if (written + ln->len + eol_len > size) break;
            if (out_mem(&o, ln->p, ln->len) || out_mem(&o, eol, eol_len)) {
                rc = 2;
                break;
            }
            written += ln->len + eol_len;
            lineno++;
            continue;
        }
        /* Inject: append to the line, or (30 %) replace its tail after a space in its second half
         * by the injected text, as a templated message would. */
        sb b = {scratch, 0, cap};
        size_t keep = ln->len;
        if (chance(&r, 30)) {
            const char *sp = memchr(ln->p + ln->len / 2, ' ', ln->len - ln->len / 2);
            if (sp) keep = (size_t)(sp - ln->p);
        }
        sb_mem(&b, ln->p, keep);
        size_t voff[2], vlen[2];
        unsigned det[2];
        int nval = chance(&r, 15) ? 2 : 1;
        for (int k = 0; k < nval; k++) {
            do det[k] = (unsigned)below(&r, NDET);
            while (k && det[k] == det[0]);
            if (b.n && b.p[b.n - 1] != ' ') sb_ch(&b, ' ');
            DETECTORS[det[k]].fn(&b, &r, &voff[k], &vlen[k]);
        }
        sb_mem(&b, eol, eol_len);
        if (written + b.n > size) break;
        lineno++;
        if (truthp) {
            for (int k = 0; k < nval; k++) {
                char row[128];
                size_t n = fmt_u64(row, written + voff[k]);
                row[n++] = '\t';
                n += fmt_u64(row + n, vlen[k]);
                row[n++] = '\t';
                size_t il = strlen(DETECTORS[det[k]].id);
                memcpy(row + n, DETECTORS[det[k]].id, il);
                n += il;
                row[n++] = '\t';
                n += fmt_u64(row + n, lineno);
                row[n++] = '\n';
                if (out_mem(&t, row, n)) rc = 2;
            }
        }
        for (int k = 0; k < nval; k++) per_det[det[k]]++;
        if (out_mem(&o, b.p, b.n)) rc = 2;
        if (rc) break;
        written += b.n;
        injected_lines++;
        values += (uint64_t)nval;
    }
    if (out_close(&o)) rc = 2;
    if (truthp && out_close(&t)) rc = 2;
    clock_gettime(CLOCK_MONOTONIC, &t1);
    double secs = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
    fprintf(stderr,
            "mkcorpus: %llu bytes, %llu lines, %llu with PII, %llu values, %.2f s (%.0f MB/s)\n",
            (unsigned long long)written, (unsigned long long)lineno,
            (unsigned long long)injected_lines, (unsigned long long)values, secs,
            secs > 0 ? (double)written / secs / 1e6 : 0.0);
    for (size_t i = 0; i < nbufs; i++) free(bufs[i]);
    free(bufs);
    free(L.v);
    free(order);
    free(scratch);
    return rc;
}
