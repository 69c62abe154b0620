/* field.c: structured-field context: the name of the field a value sits in (JSON keys, escaped
 * JSON inside log lines, logfmt, "Key: value", CSV/TSV columns named by a header row), CSV
 * cells proposed as candidates, and the record rule for `combined` sensitivity. Knows detectors
 * only through their field lists; knows nothing of Hyperscan or output.
 *
 * Every look is bounded by PII_MAX_LOOK bytes before a candidate and after its end, except the
 * search for a CSV/TSV row's start (PII_ROW_LOOK): a window guarantees exactly that much, so
 * results do not depend on where windows are cut. */
#define _GNU_SOURCE /* memrchr */
#include "pii_internal.h"

#include <string.h>

static inline uint8_t lower(uint8_t c)
{
    return (c >= 'A' && c <= 'Z') ? (uint8_t)(c | 0x20) : c;
}

static inline bool alpha(uint8_t c)
{
    return (c | 0x20) >= 'a' && (c | 0x20) <= 'z';
}

static inline bool alnum(uint8_t c)
{
    return (c >= '0' && c <= '9') || alpha(c);
}

static inline bool blank(uint8_t c)
{
    return c == ' ' || c == '\t';
}

/* ---- names ----------------------------------------------------------------------------- */

bool field_name_set(struct field_name *out, const uint8_t *s, size_t n)
{
    memset(out, 0, sizeof *out);
    bool letter = false, word_start = true, hard = true;
    uint8_t prev = 0;
    for (size_t i = 0; i < n; i++) {
        uint8_t c = s[i];
        if (!alnum(c)) {
            if (c == ' ' || c == '.' || c == '/') hard = true;
            word_start = true;
            prev = c;
            continue;
        }
        if (out->n == FIELD_NAME_MAX) return false;
        bool camel = c >= 'A' && c <= 'Z' && prev >= 'a' && prev <= 'z';
        if (out->n == 0 || hard) out->hard |= 1ull << out->n;
        if (word_start || camel) out->soft |= 1ull << out->n;
        out->s[out->n++] = (char)lower(c);
        letter = letter || alpha(c);
        word_start = hard = false;
        prev = c;
    }
    return letter;
}

bool field_set_add(struct ctx_set *fields, const char *w, size_t len)
{
    bool suffix = len > 0 && w[0] == '*';
    if (suffix) w++, len--;
    if (!len || len > FIELD_NAME_MAX) return false;
    for (size_t i = 0; i < len; i++)
        if (!alnum((uint8_t)w[i]) && w[i] != '_' && w[i] != '-' && w[i] != '.') return false;
    struct field_name fn;
    if (!field_name_set(&fn, (const uint8_t *)w, len)) return false;
    char buf[FIELD_NAME_MAX + 1];
    buf[0] = '*';
    memcpy(buf + suffix, fn.s, fn.n);
    return ctx_set_add(fields, buf, fn.n + suffix);
}

bool field_name_in(const struct ctx_set *fields, const struct field_name *name)
{
    for (size_t i = 0; i < fields->n; i++) {
        const char *w = fields->w[i].text;
        size_t m = fields->w[i].len;
        bool suffix = w[0] == '*';
        w += suffix, m -= suffix;
        if (m > name->n) continue;
        size_t at = name->n - m;
        uint64_t starts = suffix ? name->soft | name->hard : name->hard;
        if (((starts >> at) & 1) && !memcmp(name->s + at, w, m)) return true;
    }
    return false;
}

/* ---- keys ------------------------------------------------------------------------------ */

static inline bool key_char(uint8_t c)
{
    return alnum(c) || c == '_' || c == '-' || c == '.' || c == '$' || c == '@' || c == '/';
}

/* A byte that ends a value when walking back from inside it. */
static inline bool value_stop(uint8_t c)
{
    return c == '"' || c == '\'' || c == '=' || c == ':' || c == '\n' || c == ',' || c == '{' ||
           c == '[' || c == ';' || c == '&' || c == '?' || c == '\t' || c == '|' || c == '(';
}

/* One past the last value_stop byte of buf[from, to), 0 when there is none; buf is readable
 * from lo. Every candidate of a detector with fields walks back up to 64 bytes for it (most
 * IPv4 addresses of a log are in running text): 16 bytes a step. */
static size_t last_stop(const uint8_t *buf, size_t lo, size_t from, size_t to)
{
#if defined(__SSE2__)
    while (to > from && to - lo >= 16) {
        __m128i v = _mm_loadu_si128((const __m128i *)(buf + to - 16));
#define EQ(c) _mm_cmpeq_epi8(v, _mm_set1_epi8(c))
        __m128i m = _mm_or_si128(
            _mm_or_si128(_mm_or_si128(EQ('"'), EQ('\'')), _mm_or_si128(EQ('='), EQ(':'))),
            _mm_or_si128(_mm_or_si128(EQ('\n'), EQ(',')), _mm_or_si128(EQ('{'), EQ('['))));
        m = _mm_or_si128(
            m, _mm_or_si128(_mm_or_si128(EQ(';'), EQ('&')), _mm_or_si128(EQ('?'), EQ('\t'))));
        m = _mm_or_si128(m, _mm_or_si128(EQ('|'), EQ('(')));
#undef EQ
        unsigned bits = (unsigned)_mm_movemask_epi8(m);
        if (to - from < 16) bits &= ~0u << (16 - (to - from)); /* bytes before from */
        if (bits) return to - 16 + (size_t)(31 - __builtin_clz(bits)) + 1;
        if (to - from <= 16) return 0;
        to -= 16;
    }
#else
    (void)lo;
#endif
    for (; to > from; to--)
        if (value_stop(buf[to - 1])) return to;
    return 0;
}

/* The bytes [*ks, *ke) of the key naming the value at vs (field_key before normalising);
 * at most FIELD_NAME_MAX of them, so the name fits whenever it has a letter. */
static bool key_span(const uint8_t *buf, size_t lo, size_t hi, size_t vs, size_t *ks_out,
                     size_t *ke_out)
{
    if (vs < lo || vs > hi) return false;
    size_t floor = vs - lo > PII_MAX_LOOK ? vs - PII_MAX_LOOK : lo;
    /* 1. back to where the value starts (a value's prefix: "Dr. ", "+", a quote) */
    size_t lim = vs - floor > 64 ? vs - 64 : floor;
    /* the byte just before a 64-byte walk may still be the stop (not before floor) */
    size_t p = last_stop(buf, lo, lim > floor ? lim - 1 : floor, vs);
    if (!p) return false;
    uint8_t c = buf[p - 1];
    if (c == '"' || c == '\'') {
        p--;
        if (p > floor && buf[p - 1] == '\\') p--; /* \"key\":\"value\" */
        while (p > floor && blank(buf[p - 1])) p--;
        if (p > floor && buf[p - 1] == '[') { /* the first element of an array */
            p--;
            while (p > floor && blank(buf[p - 1])) p--;
        }
        if (p == floor) return false;
        c = buf[p - 1];
    } else {
        /* unquoted: spaces only between the separator and the value ("ts=1 level=info card
         * 4539…" does not put the card in field "level"). Checked from the value back (its
         * own bytes, then spaces, then the separator; no tab between: a tab is a stop), which
         * stops early at running text's first space. */
        size_t q = vs;
        while (q > p && buf[q - 1] != ' ') q--;
        while (q > p && buf[q - 1] == ' ') q--;
        if (q != p) return false;
    }
    if (c != ':' && c != '=') return false;
    p--;
    if (p > floor) {
        uint8_t b = buf[p - 1];
        if (c == ':' && b == ':') return false; /* a::b, IPv6 */
        if (c == '=' && (b == '=' || b == '!' || b == '<' || b == '>')) return false;
        if (c == '=' && b == ':') p--; /* := */
    }
    size_t sp = 0;
    while (p > floor && blank(buf[p - 1]) && sp < 8) p--, sp++;
    bool quoted = false;
    if (p > floor && (buf[p - 1] == '"' || buf[p - 1] == '\'')) {
        quoted = true;
        p--;
        if (p > floor && buf[p - 1] == '\\') p--;
    }
    size_t e = p;
    while (p > floor && e - p <= FIELD_NAME_MAX && key_char(buf[p - 1])) p--;
    if (p == e || e - p > FIELD_NAME_MAX) return false;
    /* "Date of Birth: …", "customer name: …": up to three more words of letters, unquoted */
    size_t ks = p;
    for (int w = 0; w < 3 && !quoted; w++) {
        if (p < floor + 2 || buf[p - 1] != ' ' || !alpha(buf[p - 2])) break;
        size_t q = p - 1;
        while (q > floor && alpha(buf[q - 1]) && e - q < FIELD_NAME_MAX) q--;
        if (q > floor && !blank(buf[q - 1]) && buf[q - 1] != '"' && buf[q - 1] != '{' &&
            buf[q - 1] != ',' && buf[q - 1] != '\n')
            break;
        ks = p = q;
    }
    *ks_out = ks;
    *ke_out = e;
    return true;
}

bool field_key(const uint8_t *buf, size_t lo, size_t hi, size_t vs, struct field_name *out)
{
    size_t ks, ke;
    return key_span(buf, lo, hi, vs, &ks, &ke) && field_name_set(out, buf + ks, ke - ks);
}

/* ---- CSV ------------------------------------------------------------------------------- */

void field_hdr_reset(struct field_hdr *h)
{
    h->tried = h->ok = h->cells = false;
    h->ncols = 0;
}

/* Delimiters outside double quotes in s[0..n). */
static size_t count_delims(const uint8_t *s, size_t n, uint8_t d)
{
    size_t k = 0;
    bool q = false;
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '"')
            q = !q;
        else if (s[i] == d && !q)
            k++;
    }
    return k;
}

static bool header_cell(struct field_hdr *h, const uint8_t *s, size_t n)
{
    while (n && blank(*s)) s++, n--;
    while (n && blank(s[n - 1])) n--;
    if (n >= 2 && s[0] == '"' && s[n - 1] == '"') s++, n -= 2;
    if (!n || n > FIELD_NAME_MAX || !(alpha(s[0]) || s[0] == '_')) return false;
    size_t letters = 0, digits = 0;
    for (size_t i = 0; i < n; i++) {
        uint8_t c = s[i];
        if (alpha(c))
            letters++;
        else if (c >= '0' && c <= '9')
            digits++;
        else if (c != ' ' && c != '_' && c != '-' && c != '.' && c != '#' && c != '/')
            return false; /* '=', ':', '{' …: a log or JSON line, not a header */
    }
    if (digits > letters || h->ncols == FIELD_MAX_COLS) return false;
    return field_name_set(&h->col[h->ncols++], s, n);
}

void field_hdr_detect(struct field_hdr *h, const struct pii_engine *e, const uint8_t *buf,
                      size_t len, bool final)
{
    h->tried = true;
    /* decided by the first PII_SEGMENT_HEAD bytes alone, whatever the first window holds, so
     * chunk sizes and segments (pii_scan_segment_head) agree */
    if (len > PII_SEGMENT_HEAD) {
        len = PII_SEGMENT_HEAD;
        final = false;
    }
    size_t off = len >= 3 && !memcmp(buf, "\xef\xbb\xbf", 3) ? 3 : 0; /* UTF-8 BOM */
    size_t cap = len - off < 4096 ? len - off : 4096;
    const uint8_t *s = buf + off, *nl = memchr(s, '\n', cap);
    if (!nl && !(final && len - off <= 4096)) return;
    size_t n = nl ? (size_t)(nl - s) : len - off;
    if (n && s[n - 1] == '\r') n--;
    static const uint8_t delims[] = {',', '\t', ';', '|'};
    uint8_t d = 0;
    size_t best = 0;
    for (size_t i = 0; i < sizeof delims; i++) {
        size_t k = count_delims(s, n, delims[i]);
        if (k > best) best = k, d = delims[i];
    }
    if (!best || best >= FIELD_MAX_COLS) return;
    /* the second line, when it is here, has as many cells */
    if (nl) {
        const uint8_t *l2 = nl + 1, *end = buf + len, *nl2 = memchr(l2, '\n', (size_t)(end - l2));
        if (nl2 && count_delims(l2, (size_t)(nl2 - l2), d) != best) return;
    }
    h->ncols = 0;
    bool q = false;
    size_t cs = 0;
    for (size_t i = 0; i <= n; i++) {
        if (i < n && s[i] == '"') q = !q;
        if (i == n || (s[i] == d && !q)) {
            if (!header_cell(h, s + cs, i - cs)) {
                h->ncols = 0;
                return;
            }
            cs = i + 1;
        }
    }
    h->delim = d;
    h->ok = true;
    for (size_t c = 0; c < h->ncols; c++) {
        size_t k = 0;
        for (size_t i = 0; i < e->n_det && k < FIELD_COL_DETS; i++) {
            const struct detector *det = &e->det[i];
            if (det->kind != FIND_ANCHOR || !det->fields.n) continue;
            /* cell validators take the cell as their span; the others find their value after a
             * label, so the cell's start stands in for the end of one */
            if (field_name_in(&det->fields, &h->col[c]))
                h->col_det[c][k++] =
                    (uint32_t)i | (validator_cells(det->validate) ? 0 : FIELD_AFTER_LABEL);
        }
        for (size_t j = k; j < FIELD_COL_DETS; j++) h->col_det[c][j] = UINT32_MAX;
        h->cells = h->cells || k;
    }
}

/* Calls fn for each cell of the line starting at buf[ls] that starts within PII_ROW_LOOK of
 * it: column index, content span (quotes and blanks trimmed). Stops when fn returns false. */
struct cell_walk {
    const struct field_hdr *h;
    struct cand_vec *out;
    size_t from, to;
    bool oom;
};

static void line_cells(struct cell_walk *w, const uint8_t *buf, size_t len, size_t ls)
{
    const struct field_hdr *h = w->h;
    size_t p = ls;
    /* a cell counts when its line starts less than PII_ROW_LOOK before it, as in csv_column */
    for (size_t col = 0; col < h->ncols && p < len && p - ls < PII_ROW_LOOK; col++) {
        size_t cs = p, ce;
        bool q = false;
        while (p < len && buf[p] != '\n' && (q || buf[p] != h->delim)) {
            if (buf[p] == '"') q = !q;
            p++;
        }
        ce = p;
        if (h->col_det[col][0] != UINT32_MAX) {
            size_t a = cs, z = ce;
            if (z > a && buf[z - 1] == '\r') z--;
            while (a < z && blank(buf[a])) a++;
            while (z > a && blank(buf[z - 1])) z--;
            if (z - a >= 2 && buf[a] == '"' && buf[z - 1] == '"') a++, z--;
            if (z > a && a >= w->from && a < w->to && z - a <= PII_MAX_LOOK) {
                for (size_t k = 0; k < FIELD_COL_DETS && h->col_det[col][k] != UINT32_MAX; k++) {
                    uint32_t d = h->col_det[col][k];
                    bool ok = (d & FIELD_AFTER_LABEL)
                                  ? cand_push(w->out, d & ~FIELD_AFTER_LABEL, a, a, a)
                                  : cand_push(w->out, d, a, z, a);
                    if (ok) w->out->v[w->out->n - 1].flags = V_CELL;
                    if (!ok) {
                        w->oom = true;
                        return;
                    }
                }
            }
        }
        if (p >= len || buf[p] == '\n') break;
        p++;
    }
}

bool field_cells(const struct field_hdr *h, const uint8_t *buf, size_t len, uint64_t base,
                 size_t from, size_t to, struct cand_vec *out)
{
    if (!h->cells) return true;
    if (to > len) to = len;
    struct cell_walk w = {.h = h, .out = out, .from = from, .to = to};
    /* lines starting up to PII_ROW_LOOK before `from` may have cells in [from, to) */
    size_t p = from >= PII_ROW_LOOK - 1 ? from - (PII_ROW_LOOK - 1) : 0;
    if (p == 0 && base != 0) p = 1; /* buf[0] may be mid-line */
    if (p > 0 && buf[p - 1] != '\n') {
        const uint8_t *nl = memchr(buf + p, '\n', to - p);
        if (!nl) return true;
        p = (size_t)(nl - buf) + 1;
    }
    while (p < to && !w.oom) {
        if (base + p != 0) line_cells(&w, buf, len, p); /* offset 0 is the header */
        const uint8_t *nl = memchr(buf + p, '\n', to - p);
        if (!nl) break;
        p = (size_t)(nl - buf) + 1;
    }
    return !w.oom;
}

/* The CSV column of the value at buf[vs], when its line starts within PII_ROW_LOOK. */
static bool csv_column(const struct field_hdr *h, const uint8_t *buf, size_t lo, uint64_t base,
                       size_t vs, size_t *col)
{
    size_t floor = vs - lo > PII_ROW_LOOK ? vs - PII_ROW_LOOK : lo;
    const uint8_t *nl = vs > floor ? memrchr(buf + floor, '\n', vs - floor) : NULL;
    if (!nl) return false; /* no newline in reach (or the header, at offset 0) */
    size_t ls = (size_t)(nl - buf) + 1;
    size_t k = count_delims(buf + ls, vs - ls, h->delim);
    if (k >= h->ncols) return false;
    *col = k;
    return true;
}

bool field_in(const struct field_hdr *h, const struct ctx_set *fields, const uint8_t *buf,
              size_t lo, size_t hi, uint64_t base, size_t vs, bool *named)
{
    *named = true;
    size_t ks, ke;
    if (key_span(buf, lo, hi, vs, &ks, &ke)) {
        /* Most keys in front of a value are not the detector's (every IPv4 address of a log
         * asks): an entry is a suffix of the normalised name, so it ends with the key's last
         * letter or digit; that is decided before normalising. The key names a field when it
         * has a letter (field_name_set). */
        size_t i = ke;
        while (i > ks && !alnum(buf[i - 1])) i--;
        bool letter = i > ks && alpha(buf[i - 1]);
        for (size_t j = ks; !letter && j < i; j++) letter = alpha(buf[j]);
        if (letter) {
            uint8_t last = lower(buf[i - 1]);
            for (size_t k = 0; k < fields->n; k++)
                if ((uint8_t)fields->w[k].text[fields->w[k].len - 1] == last) {
                    struct field_name key;
                    field_name_set(&key, buf + ks, ke - ks);
                    return field_name_in(fields, &key);
                }
            return false;
        }
    }
    size_t col;
    if (h->ok && csv_column(h, buf, lo, base, vs, &col)) return field_name_in(fields, &h->col[col]);
    *named = false;
    return false;
}

/* ---- the record rule for `combined` sensitivity ----------------------------------------- */

/* A key word and its length (known at compile time: the record rule compares every word of a
 * record with the lists below). */
struct key_word {
    const char *s;
    size_t n;
};
#define K(w)                                                                                       \
    {                                                                                              \
        w, sizeof w - 1                                                                            \
    }

/* What completes an account, card or log-in: its security code, a password or a credential
 * (Cal. Civ. Code 1798.140(ae)(1)(B)). Normalised like field names. */
static const struct key_word credential_keys[] = {
    K("cvv"),
    K("cvv2"),
    K("cvc"),
    K("cvc2"),
    K("csc"),
    K("cvn"),
    K("cid"),
    K("securitycode"),
    K("cardcode"),
    K("cardverificationcode"),
    K("pin"),
    K("password"),
    K("passwd"),
    K("pwd"),
    K("pass"),
    K("passphrase"),
    K("secret"),
    K("token"),
    K("accesstoken"),
    K("authtoken"),
    K("apikey"),
    K("secretkey"),
    K("secretaccesskey"),
    K("privatekey"),
    K("otp"),
    K("bearer"),
};

/* What a credential completes: an account, card or log-in. */
static const struct key_word account_keys[] = {
    K("user"),     K("username"),      K("login"),      K("email"),       K("account"),
    K("acct"),     K("accountnumber"), K("card"),       K("cardnumber"),  K("cc"),
    K("ccnum"),    K("ccnumber"),      K("creditcard"), K("cardno"),      K("pan"),
    K("iban"),     K("uid"),           K("userid"),     K("accesskeyid"), K("awsaccesskeyid"),
    K("clientid"),
};
#undef K

/* A short numeric code after "cvv 123": the security-code words need no separator. */
static bool short_code_key(const struct field_name *k)
{
    return k->n <= 4 && k->s[0] == 'c'; /* cvv, cvv2, cvc, cvc2, csc, cvn, cid */
}

static bool key_listed(const struct key_word *list, size_t n, const struct field_name *k)
{
    for (size_t i = 0; i < n; i++) {
        size_t m = list[i].n;
        if (m > k->n) continue;
        size_t at = k->n - m;
        if (((k->hard | k->soft) >> at & 1) && !memcmp(k->s + at, list[i].s, m)) return true;
    }
    return false;
}

/* A key at buf[i..] (a word start) followed by its separator and a non-empty value. */
static inline bool word_byte(uint8_t c)
{
    return alnum(c) || c == '_' || c == '-';
}

/* One past the run of word_byte()s from i (at most FIELD_NAME_MAX), before z; buf is readable
 * to hi. wide: the first 16 bytes as one mask when they may be read (most keys and words are
 * shorter: the byte loop's exit was a coin toss). */
static inline size_t word_end(const uint8_t *buf, size_t i, size_t z, size_t hi, bool wide)
{
    size_t e = i;
#if defined(__SSE2__)
    if (wide && hi - i >= 16) {
        __m128i v = _mm_loadu_si128((const __m128i *)(buf + i)), d, l;
        ascii_x16(v, &d, &l);
        __m128i w = _mm_or_si128(d, l);
        w = _mm_or_si128(w, _mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8('_')),
                                         _mm_cmpeq_epi8(v, _mm_set1_epi8('-'))));
        unsigned k = (unsigned)__builtin_ctz(~(unsigned)_mm_movemask_epi8(w)); /* 0-16 */
        if (k < 16) return z - i < k ? z : i + k;
        e = i + 16;
    }
#else
    (void)hi, (void)wide;
#endif
    while (e < z && e - i < FIELD_NAME_MAX && word_byte(buf[e])) e++;
    return e < z ? e : z;
}

static bool key_value_at(const uint8_t *buf, size_t i, size_t z, size_t hi, bool wide,
                         const struct key_word *list, size_t n, bool credential_side, size_t own_s,
                         size_t own_e)
{
    size_t e = word_end(buf, i, z, hi, wide);
    if (e == i) return false;
    size_t p = e;
    while (p < z && (buf[p] == '"' || buf[p] == '\'' || buf[p] == '\\')) p++;
    while (p < z && blank(buf[p])) p++;
    bool sep = p < z && (buf[p] == '=' || buf[p] == ':');
    /* most words are neither a key nor a short code: decide that before normalising */
    if (!sep && (!credential_side || p == e || e - i > 8)) return false;
    /* without one only a security-code word (cvv, cvc, csc, cid: short_code_key) or "bearer"
     * counts: buf[i] is a letter, its word's first */
    if (!sep && (buf[i] | 0x20) != 'c' && (buf[i] | 0x20) != 'b') return false;
    struct field_name k;
    if (!field_name_set(&k, buf + i, e - i) || !key_listed(list, n, &k)) return false;
    if (!sep) {
        /* "cvv 123", "Bearer eyJ…" */
        if (!credential_side || p == e) return false;
        if (short_code_key(&k)) {
            size_t d = p;
            while (d < z && buf[d] >= '0' && buf[d] <= '9') d++;
            return d - p >= 3 && d - p <= 4 && (d == z || !alnum(buf[d]));
        }
        return k.n == 6 && !memcmp(k.s, "bearer", 6) && p < z && alnum(buf[p]);
    }
    p++;
    while (p < z && (blank(buf[p]) || buf[p] == '"' || buf[p] == '\'' || buf[p] == '\\')) p++;
    size_t vs = p;
    if (vs >= own_s && vs < own_e) return false; /* the finding's own key */
    while (p < z && !blank(buf[p]) && buf[p] != '"' && buf[p] != '\'' && buf[p] != '&' &&
           buf[p] != ',' && buf[p] != ';' && buf[p] != '}')
        p++;
    if (p == vs) return false;
    bool masked = true; /* "****", "xxx", "null" are no credential */
    for (size_t j = vs; j < p; j++) masked = masked && (buf[j] == '*' || lower(buf[j]) == 'x');
    if (p - vs == 4 && !memcmp(buf + vs, "null", 4)) masked = true;
    return !masked;
}

/* scheme://user:password@host: both halves at once. */
static bool url_userinfo(const uint8_t *buf, size_t a, size_t z)
{
    for (size_t i = a; i + 3 <= z; i++) {
        /* every combined finding's record is searched: memchr to each ':' */
        const uint8_t *c = memchr(buf + i, ':', z - 2 - i);
        if (!c) break;
        i = (size_t)(c - buf);
        if (buf[i + 1] != '/' || buf[i + 2] != '/') continue;
        size_t p = i + 3, colon = 0;
        while (p < z && p - i < PII_MAX_LOOK && !blank(buf[p]) && buf[p] != '/' && buf[p] != '@' &&
               buf[p] != '"')
            colon = buf[p] == ':' && !colon ? p : colon, p++;
        if (p < z && buf[p] == '@' && colon > i + 3 && p > colon + 1) return true;
    }
    return false;
}

#if defined(__SSE2__)
/* Bit k: p[k] is a letter / a letter or a digit (alpha() and alnum() on 16 bytes). */
static inline void classes16(const uint8_t *p, unsigned *letter, unsigned *word)
{
    __m128i isd, isl;
    ascii_x16(_mm_loadu_si128((const __m128i *)p), &isd, &isl);
    *letter = (unsigned)_mm_movemask_epi8(isl);
    *word = (unsigned)_mm_movemask_epi8(_mm_or_si128(isd, isl));
}
#endif

/* The key-value pairs of the record [a, z) outside the finding's own bytes [start, end): each
 * word start (a letter not after a letter or digit; a itself counts) is tried as a key. The
 * straightforward version, and the one for what the 16-byte steps leave. */
static bool record_keys(const uint8_t *buf, size_t a, size_t from, size_t z, size_t start,
                        size_t end, const struct key_word *list, size_t n, bool credential)
{
    for (size_t i = from; i < z; i++) {
        if (i >= start && i < end) {
            i = end - 1; /* not the finding's own bytes */
            continue;
        }
        if (!alpha(buf[i]) || (i > a && alnum(buf[i - 1]))) continue;
        if (key_value_at(buf, i, z, z, false, list, n, !credential, start, end)) return true;
    }
    return false;
}

bool field_record_sensitive(const uint8_t *buf, size_t lo, size_t hi, size_t start, size_t end,
                            bool credential)
{
    size_t a = start - lo > PII_MAX_LOOK ? start - PII_MAX_LOOK : lo;
    size_t z = hi - end > PII_MAX_LOOK ? end + PII_MAX_LOOK : hi;
    const uint8_t *nl = start > a ? memrchr(buf + a, '\n', start - a) : NULL;
    if (nl) a = (size_t)(nl - buf) + 1;
    nl = memchr(buf + end, '\n', z - end);
    if (nl) z = (size_t)(nl - buf);
    if (url_userinfo(buf, a, z)) return true;
    const struct key_word *list = credential ? account_keys : credential_keys;
    size_t n = credential ? ARRAY_LEN(account_keys) : ARRAY_LEN(credential_keys);
    size_t i = a;
#if defined(__SSE2__)
    /* A record is up to 512 bytes of which a few dozen start a word: the word starts of 16
     * bytes at once as a bit mask (a test per byte was a mispredicted branch every few bytes,
     * 140 per call) */
    bool prev = false; /* a itself may start a word, whatever precedes it */
    for (; z - i >= 16; i += 16) {
        unsigned letter, word;
        classes16(buf + i, &letter, &word);
        unsigned m = letter & ~((word << 1) | (prev ? 1u : 0u)) & 0xffffu;
        prev = (word >> 15) & 1;
        /* not the finding's own bytes */
        if (i + 16 > start && i < end) {
            size_t s0 = start > i ? start - i : 0, e0 = end - i < 16 ? end - i : 16;
            m &= ~(((1u << e0) - 1) & ~((1u << s0) - 1));
        }
        for (; m; m &= m - 1)
            if (key_value_at(buf, i + (size_t)__builtin_ctz(m), z, hi, true, list, n, !credential,
                             start, end))
                return true;
    }
#endif
    return record_keys(buf, a, i, z, start, end, list, n, credential);
}

/* The straightforward field_record_sensitive(), for the tests. */
bool field_record_sensitive_ref(const uint8_t *buf, size_t lo, size_t hi, size_t start, size_t end,
                                bool credential)
{
    size_t a = start - lo > PII_MAX_LOOK ? start - PII_MAX_LOOK : lo;
    size_t z = hi - end > PII_MAX_LOOK ? end + PII_MAX_LOOK : hi;
    for (size_t i = start; i > a; i--)
        if (buf[i - 1] == '\n') {
            a = i;
            break;
        }
    const uint8_t *nl = memchr(buf + end, '\n', z - end);
    if (nl) z = (size_t)(nl - buf);
    if (url_userinfo(buf, a, z)) return true;
    const struct key_word *list = credential ? account_keys : credential_keys;
    size_t n = credential ? ARRAY_LEN(account_keys) : ARRAY_LEN(credential_keys);
    return record_keys(buf, a, a, z, start, end, list, n, credential);
}
