/* test_patterns.c: the pattern-file loader: every column's errors name file:line, a bad file
 * adds nothing, user detectors scan, selection by id and group. */
#include "hslib.h"
#include "pii_internal.h"
#include "testutil.h"

#include <criterion/criterion.h>
#include <criterion/parameterized.h>
#include <hs/hs.h>
#include <string.h>

#define ROW(id, find, ctx) id "\tcustom\t" find "\t-\t" ctx "\t32,8\tA\tno\tmedium\t80\tdesc\n"

/* Criterion re-executes its workers, so parameters hold their bytes, not pointers. */
struct bad_case {
    char text[200];
    char origin[16];
    char msg[32];
};

ParameterizedTestParameters(patterns, bad_files_name_their_line)
{
    static struct bad_case cases[] = {
        {"# c\n" ROW("ok", "re:/EMP-[0-9]{6}/", "-") "x\ty\n", "my.tsv:3", "columns"},
        {ROW("a", "re:/EMP-[0-9]+/", "-"), "my.tsv:1", "upper length bound"},
        {ROW("a", "re:/EMP-(/", "-"), "my.tsv:1", "bad expression"},
        {ROW("a", "re:/x?/", "-"), "my.tsv:1", "empty"},
        {ROW("a", "re:/EMP/q", "-"), "my.tsv:1", "flag"},
        {ROW("a", "EMP", "-"), "my.tsv:1", "re:, anchor: or shape:"},
        {ROW("a", "shape:blob", "-"), "my.tsv:1", "unknown shape"},
        {ROW("a", "anchor:/EMP/", "-"), "my.tsv:1", "needs a validator"},
        {ROW("a", "re:/EMP/", "required:"), "my.tsv:1", "no context word"},
        {ROW("a", "re:/EMP/", "-") ROW("a", "re:/EMQ/", "-"), "my.tsv:2", "duplicate"},
        {ROW("email", "re:/EMP/", "-"), "my.tsv:1", "duplicate"},
        {ROW("bad id!", "re:/EMP/", "-"), "my.tsv:1", "bad detector id"},
        {"a\tg\tre:/EMP/\tnope\t-\t8\tA\tno\tlow\t80\n", "my.tsv:1", "unknown validator"},
        {"a\tg\tre:/EMP/\t-\t-\t999\tA\tno\tlow\t80\n", "my.tsv:1", "window"},
        {"a\tg\tre:/EMP/\t-\t-\t8\tZ\tno\tlow\t80\n", "my.tsv:1", "letters A-L"},
        {"a\tg\tre:/EMP/\t-\t-\t8\tA;L\tno\tlow\t80\n", "my.tsv:1", "spi column"},
        {"a\tg\tre:/EMP/\t-\t-\t8\tA\tmaybe\tlow\t80\n", "my.tsv:1", "spi must be"},
        {"a\tg\tre:/EMP/\t-\t-\t8\tA\tno\tsevere\t80\n", "my.tsv:1", "risk must be"},
        {"a\tg\tre:/EMP/\t-\t-\t8\tA\tno\tlow\t101\n", "my.tsv:1", "confidence"},
        {"a\tg\tre:/EMP/\t-\t\t8\tA\tno\tlow\t80\n", "my.tsv:1", "empty column 5 (context)"},
        {ROW("a", "re:/emp{KEYSEP}/", "-"), "my.tsv:1", "{KEYSEP} is for anchor:"},
    };
    return cr_make_param_array(struct bad_case, cases, sizeof cases / sizeof *cases);
}

ParameterizedTest(struct bad_case *c, patterns, bad_files_name_their_line)
{
    pii_detectors *d = NULL;
    pii_error err = PII_ERROR_INIT;
    cr_assert_eq(pii_detectors_new(&d, &err), PII_OK);
    cr_assert_eq(pii_detectors_load_builtin(d, &err), PII_OK);
    size_t before = pii_detectors_count(d);
    cr_assert_eq(pii_detectors_load_mem(d, c->text, strlen(c->text), "my.tsv", &err),
                 PII_ERR_PATTERN, "accepted: %s", c->text);
    cr_expect_str_eq(err.origin, c->origin);
    cr_expect(strstr(err.msg, c->msg), "message '%s' lacks '%s'", err.msg, c->msg);
    cr_expect_eq(pii_detectors_count(d), before, "a bad file must add nothing");
    pii_detectors_free(d);
}

Test(patterns, builtin_catalogue_has_the_contract_ids)
{
    static const char *ids[] = {
        "email",       "phone",       "credit_card",     "iban",           "us_ssn",    "ipv4",
        "ipv6",        "mac_address", "aws_access_key",  "aws_secret_key", "api_token", "jwt",
        "private_key", "password",    "url_clickstream", "geo_coordinates"};
    const pii_engine *e = t_engine(NULL);
    for (size_t i = 0; i < sizeof ids / sizeof *ids; i++) {
        bool found = false;
        for (size_t k = 0; k < pii_engine_detector_count(e); k++) {
            pii_detector_info info;
            cr_assert(pii_engine_detector(e, k, &info));
            if (!strcmp(info.id, ids[i])) found = true;
        }
        cr_expect(found, "missing detector %s", ids[i]);
    }
}

Test(patterns, user_detector_scans_with_context)
{
    pii_detectors *d = NULL;
    pii_error err = PII_ERROR_INIT;
    cr_assert_eq(pii_detectors_new(&d, &err), PII_OK);
    const char *text = ROW("employee_id", "re:/EMP-[0-9]{6}/", "required:employee|staff")
        ROW("ticket", "re:/TCK-[0-9]{2,8}/i", "-");
    cr_assert_eq(pii_detectors_load_mem(d, text, strlen(text), "my.tsv", &err), PII_OK, "%s",
                 err.msg);
    pii_engine *e = NULL;
    cr_assert_eq(pii_engine_compile(d, NULL, &e, &err), PII_OK, "%s", err.msg);
    const char *s = "employee EMP-123456\nand EMP-654321\nopened tck-42 ok\n";
    struct tfinds f = t_scan(e, s, strlen(s), 0, 0);
    cr_assert_eq(f.n, 2);
    cr_expect_str_eq(f.v[0].match, "EMP-123456"); /* the second has no context word */
    cr_expect_str_eq(f.v[1].detector, "ticket");
    cr_expect_str_eq(f.v[1].match, "tck-42"); /* variable width: start of match found */
    t_free(&f);
    pii_engine_free(e);
    pii_detectors_free(d);
}

Test(patterns, select_by_id_group_and_exclude)
{
    pii_detectors *d = NULL;
    pii_error err = PII_ERROR_INIT;
    cr_assert_eq(pii_detectors_new(&d, &err), PII_OK);
    cr_assert_eq(pii_detectors_load_builtin(d, &err), PII_OK);
    cr_expect_eq(pii_detectors_select(d, "email,nosuch", 0, &err), PII_ERR_ARG);
    cr_expect(strstr(err.msg, "nosuch"));
    cr_assert_eq(pii_detectors_select(d, "network,email", 0, &err), PII_OK);
    cr_assert_eq(pii_detectors_select(d, "ipv6", 1, &err), PII_OK);
    pii_engine *e = NULL;
    cr_assert_eq(pii_engine_compile(d, NULL, &e, &err), PII_OK);
    size_t n = pii_engine_detector_count(e);
    cr_expect_eq(n, 3, "ipv4, mac_address, email, and not ipv6 (%zu)", n);
    pii_engine_free(e);
    pii_detectors_free(d);
}

Test(patterns, context_words_are_whole_words)
{
    pii_detectors *d = NULL;
    pii_error err = PII_ERROR_INIT;
    cr_assert_eq(pii_detectors_new(&d, &err), PII_OK);
    const char *text = ROW("lic", "re:/L[0-9]{7}/", "required:lic|ss#|date of birth");
    cr_assert_eq(pii_detectors_load_mem(d, text, strlen(text), "t", &err), PII_OK);
    pii_engine *e = NULL;
    cr_assert_eq(pii_engine_compile(d, NULL, &e, &err), PII_OK);
    const char *s = "duplicate L1234567\nLIC: L7654321\nss# L1111111\nDate_of-Birth L2222222\n"
                    "lic\nL3333333\n";
    struct tfinds f = t_scan(e, s, strlen(s), 0, 0);
    cr_expect_eq(f.n, 3);
    cr_expect_eq(t_count(&f, NULL, "L1234567"), 0, "'lic' inside 'duplicate' is not context");
    cr_expect_eq(t_count(&f, NULL, "L3333333"), 0, "context does not cross lines");
    t_free(&f);
    pii_engine_free(e);
    pii_detectors_free(d);
}

/* An empty or comment-only file into an empty set adds nothing (found by fuzz_patterns:
 * the append did memcpy to a NULL array, undefined even for 0 bytes). */
Test(patterns, empty_file_into_empty_set)
{
    static const char *const texts[] = {"", "# only a comment\n", "\n\n# x\n\n"};
    for (size_t i = 0; i < ARRAY_LEN(texts); i++) {
        pii_detectors *d = NULL;
        pii_error err = PII_ERROR_INIT;
        cr_assert_eq(pii_detectors_new(&d, &err), PII_OK);
        cr_expect_eq(pii_detectors_load_mem(d, texts[i], strlen(texts[i]), "e.tsv", &err), PII_OK,
                     "%s", err.msg);
        cr_expect_eq(pii_detectors_load_mem(d, NULL, 0, "e.tsv", &err), PII_OK, "%s", err.msg);
        cr_expect_eq(pii_detectors_count(d), 0);
        pii_detectors_free(d);
    }
}

/* The built-in Hyperscan database is compiled at build time; user patterns compile at start.
 * Both paths must find the same. */
Test(patterns, embedded_database_and_compiled_agree)
{
    pii_error err = PII_ERROR_INIT;
    pii_detectors *a = NULL, *b = NULL;
    cr_assert_eq(pii_detectors_new(&a, &err), PII_OK);
    cr_assert_eq(pii_detectors_load_builtin(a, &err), PII_OK);
    cr_assert_eq(pii_detectors_new(&b, &err), PII_OK);
    cr_assert_eq(pii_detectors_load_builtin(b, &err), PII_OK);
    const char *row = ROW("ticket", "re:/TCK-[0-9]{4}/", "-");
    cr_assert_eq(pii_detectors_load_mem(b, row, strlen(row), "my.tsv", &err), PII_OK);
    pii_engine *ea = NULL, *eb = NULL;
    cr_assert_eq(pii_engine_compile(a, NULL, &ea, &err), PII_OK);
    cr_assert_eq(pii_engine_compile(b, NULL, &eb, &err), PII_OK);
    cr_expect(engine_used_builtin_db(ea), "the catalogue alone loads the embedded database");
    cr_expect(!engine_used_builtin_db(eb), "a user expression needs compiling");

    const char *s = "mail jane@acme.io key AKIA2E3MNOPQ7RSTUVWX password=hunter2x TCK-1234 "
                    "Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2ln https://a.io/?uid=7\n";
    struct tfinds fa = t_scan(ea, s, strlen(s), 0, 0), fb = t_scan(eb, s, strlen(s), 0, 0);
    cr_assert_eq(fa.n + 1, fb.n, "%zu vs %zu", fa.n, fb.n);
    cr_expect_eq(t_count(&fb, "ticket", "TCK-1234"), 1);
    for (size_t i = 0, j = 0; i < fa.n; i++, j++) {
        if (!strcmp(fb.v[j].detector, "ticket")) j++;
        cr_expect_str_eq(fa.v[i].detector, fb.v[j].detector);
        cr_expect_eq(fa.v[i].offset, fb.v[j].offset);
        cr_expect_eq(fa.v[i].length, fb.v[j].length);
    }
    t_free(&fa);
    t_free(&fb);

    /* a subset still uses it, and disabled detectors stay silent */
    cr_assert_eq(pii_detectors_select(a, "email", 0, &err), PII_OK);
    pii_engine *ec = NULL;
    cr_assert_eq(pii_engine_compile(a, NULL, &ec, &err), PII_OK);
    cr_expect(engine_used_builtin_db(ec));
    struct tfinds fc = t_scan(ec, s, strlen(s), 0, 0);
    cr_expect_eq(fc.n, 1);
    cr_expect_eq(t_count(&fc, "email", NULL), 1);
    t_free(&fc);
    pii_engine_free(ea);
    pii_engine_free(eb);
    pii_engine_free(ec);
    pii_detectors_free(a);
    pii_detectors_free(b);
}

/* The built-in expressions' widths come from the table mkdb wrote (start-up skips
 * hs_expression_info): each must be what Hyperscan says. */
Test(patterns, builtin_width_table_matches_hyperscan)
{
    pii_detectors *d = NULL;
    pii_error err = PII_ERROR_INIT;
    cr_assert_eq(pii_detectors_new(&d, &err), PII_OK);
    cr_assert_eq(pii_detectors_load_builtin(d, &err), PII_OK, "%s", err.msg);
    cr_assert_gt(pii_builtin_widths_n, 0, "the build embeds the width table");
    size_t k = 0;
    for (size_t i = 0; i < d->n; i++) {
        const struct detector *x = &d->v[i];
        if (x->kind != FIND_RE && x->kind != FIND_ANCHOR) continue;
        hs_expr_info_t *info = NULL;
        hs_compile_error_t *cerr = NULL;
        const struct hslib *hsl = hslib_get(NULL, &err);
        cr_assert(hsl, "%s", err.msg);
        cr_assert_eq(hsl->expression_info(x->expr, x->hs_flags, &info, &cerr), HS_SUCCESS, "%s",
                     x->id);
        unsigned w = info->min_width == info->max_width ? info->min_width : 0;
        free(info);
        cr_expect_eq(x->width, w, "%s: width %u, Hyperscan says %u", x->id, x->width, w);
        k++;
    }
    cr_expect_eq(k, pii_builtin_widths_n);
    pii_detectors_free(d);
}

extern const char pii_builtin_patterns[];
extern const size_t pii_builtin_patterns_len;

static void expect_same_set(const struct ctx_set *a, const struct ctx_set *b, const char *id,
                            const char *what)
{
    cr_assert_eq(a->n, b->n, "%s %s: %zu words, parsed %zu", id, what, a->n, b->n);
    for (size_t i = 0; i < a->n; i++) {
        cr_expect_eq(a->w[i].len, b->w[i].len, "%s %s word %zu", id, what, i);
        cr_expect_str_eq(a->w[i].text, b->w[i].text, "%s %s word %zu", id, what, i);
    }
    if (!a->n) return;
    cr_expect_eq(a->n_mask, b->n_mask, "%s %s", id, what);
    cr_expect_eq(a->sym, b->sym, "%s %s: a word starts with a symbol", id, what);
    cr_expect(!memcmp(a->slot, b->slot, 256), "%s %s slots", id, what);
    cr_expect(!memcmp(a->mask, b->mask, a->n_mask * sizeof *a->mask), "%s %s masks", id, what);
}

static void expect_same_str(const char *a, const char *b, const char *id, const char *what)
{
    if (!a || !b)
        cr_expect(a == b, "%s %s: %s vs %s", id, what, a ? a : "NULL", b ? b : "NULL");
    else
        cr_expect_str_eq(a, b, "%s %s", id, what);
}

/* The catalogue mkdb wrote as C data is, field by field, what the text parser makes of the
 * embedded pattern files (the build-time table must not drift from the format). */
Test(patterns, builtin_table_is_the_parsed_catalogue)
{
    cr_assert_gt(pii_builtin_detectors_n, 0, "the build embeds the detector table");
    pii_detectors *t = NULL, *p = NULL;
    pii_error err = PII_ERROR_INIT;
    cr_assert_eq(pii_detectors_new(&t, &err), PII_OK);
    cr_assert_eq(pii_detectors_new(&p, &err), PII_OK);
    cr_assert_eq(pii_detectors_load_builtin(t, &err), PII_OK, "%s", err.msg);
    cr_assert_eq(
        pii_detectors_load_mem(p, pii_builtin_patterns, pii_builtin_patterns_len, "text", &err),
        PII_OK, "%s: %s", err.origin, err.msg);
    cr_assert_eq(t->n, p->n);
    for (size_t i = 0; i < t->n; i++) {
        const struct detector *a = &t->v[i], *b = &p->v[i];
        const char *id = b->id;
        cr_expect(a->fixed && a->builtin && !b->fixed);
        expect_same_str(a->id, b->id, id, "id");
        expect_same_str(a->group, b->group, id, "group");
        expect_same_str(a->description, b->description, id, "description");
        expect_same_str(a->origin, b->origin, id, "origin");
        expect_same_str(a->expr, b->expr, id, "expr");
        expect_same_str(a->validator_name, b->validator_name, id, "validator");
        cr_expect(a->validate == b->validate, "%s validate", id);
        cr_expect_eq(a->kind, b->kind, "%s", id);
        cr_expect_eq(a->hs_flags, b->hs_flags, "%s", id);
        cr_expect_eq(a->width, b->width, "%s", id);
        cr_expect_eq(a->keysep, b->keysep, "%s keysep", id);
        cr_expect_eq(a->shape, b->shape, "%s", id);
        cr_expect_eq(a->ctx_mode, b->ctx_mode, "%s", id);
        cr_expect_eq(a->win_before, b->win_before, "%s", id);
        cr_expect_eq(a->win_after, b->win_after, "%s", id);
        cr_expect_eq(a->ccpa, b->ccpa, "%s", id);
        cr_expect_eq(a->spi, b->spi, "%s", id);
        cr_expect_eq(a->risk, b->risk, "%s", id);
        cr_expect_eq(a->base_conf, b->base_conf, "%s", id);
        cr_expect_eq(a->enabled, b->enabled, "%s", id);
        cr_expect_eq(a->credential, b->credential, "%s", id);
        expect_same_set(&a->ctx, &b->ctx, id, "context");
        expect_same_set(&a->neg, &b->neg, id, "negative context");
        expect_same_set(&a->fields, &b->fields, id, "fields");
    }
    /* a table copy is shared, and loading it twice is a duplicate like the text */
    cr_expect_eq(pii_detectors_load_builtin(t, &err), PII_ERR_PATTERN);
    cr_expect(strstr(err.msg, "duplicate detector id"), "%s", err.msg);
    pii_detectors_free(t);
    pii_detectors_free(p);
}

/* The email validator reads its anchor at the '@' (the built-in `@|%40|\u0040`) or one byte
 * later, at the domain's first character (the form it took before): a user detector written
 * either way finds the same address. */
Test(patterns, email_validator_takes_either_anchor)
{
    static const char *const finds[] = {"anchor:/@|%40/", "anchor:/@[A-Za-z0-9]|%40[A-Za-z0-9]/"};
    for (size_t k = 0; k < 2; k++) {
        pii_detectors *d = NULL;
        pii_error err = PII_ERROR_INIT;
        cr_assert_eq(pii_detectors_new(&d, &err), PII_OK);
        char text[256];
        snprintf(text, sizeof text,
                 "mail_at\tcustom\t%s\temail\t-\t32,8\tA\tno\tmedium\t80\tdesc\n", finds[k]);
        cr_assert_eq(pii_detectors_load_mem(d, text, strlen(text), "my.tsv", &err), PII_OK, "%s",
                     err.msg);
        pii_engine *e = NULL;
        cr_assert_eq(pii_engine_compile(d, NULL, &e, &err), PII_OK, "%s", err.msg);
        const char *s = "to bob@acme.io and q=ann%40mail.example.org, not x@ y@-z.io\n";
        struct tfinds f = t_scan(e, s, strlen(s), 0, 0);
        cr_assert_eq(f.n, 2, "%s: %zu findings", finds[k], f.n);
        cr_expect_str_eq(f.v[0].match, "bob@acme.io");
        cr_expect_str_eq(f.v[1].match, "ann%40mail.example.org");
        t_free(&f);
        pii_engine_free(e);
        pii_detectors_free(d);
    }
}

/* Every anchor end of `expr` in s[0, n), ascending, as a Hyperscan database of it alone gives
 * them; with keysep, completed by keysep_end as the scanner does (duplicates dropped). */
struct ends {
    const uint8_t *s;
    size_t n, k, v[4096];
    bool keysep;
};

static int on_end(unsigned id, unsigned long long from, unsigned long long to, unsigned flags,
                  void *user)
{
    (void)id, (void)from, (void)flags;
    struct ends *e = user;
    size_t end = (size_t)to;
    if (e->keysep && !(end = keysep_end(e->s, e->n, end))) return 0;
    for (size_t i = 0; i < e->k; i++)
        if (e->v[i] == end) return 0;
    cr_assert_lt(e->k, sizeof e->v / sizeof *e->v);
    e->v[e->k++] = end;
    return 0;
}

static int cmp_size(const void *a, const void *b)
{
    size_t x = *(const size_t *)a, y = *(const size_t *)b;
    return x < y ? -1 : x > y;
}

static void anchor_ends(const char *expr, bool keysep, const uint8_t *s, size_t n, struct ends *e)
{
    pii_error err = PII_ERROR_INIT;
    const struct hslib *hsl = hslib_get(NULL, &err);
    cr_assert(hsl, "%s", err.msg);
    hs_database_t *db = NULL;
    hs_compile_error_t *cerr = NULL;
    unsigned flags = HS_FLAG_CASELESS, id = 0;
    cr_assert_eq(hsl->compile_multi(&expr, &flags, &id, 1, HS_MODE_BLOCK, NULL, &db, &cerr),
                 HS_SUCCESS, "%s: %s", expr, cerr ? cerr->message : "?");
    hs_scratch_t *scr = NULL;
    cr_assert_eq(hs_alloc_scratch(db, &scr), HS_SUCCESS);
    *e = (struct ends){.s = s, .n = n, .keysep = keysep};
    cr_assert_eq(hs_scan(db, (const char *)s, (unsigned)n, 0, scr, on_end, e), HS_SUCCESS);
    qsort(e->v, e->k, sizeof *e->v, cmp_size);
    hs_free_scratch(scr);
    hs_free_database(db);
}

/* {KEYSEP} hands Hyperscan only the separator's first byte and keysep_end the rest: the anchors
 * must be exactly those of the expression written out, `\\?["']?\s{0,3}[:=]`, on text made of
 * little but names, quotes, backslashes, white space and separators (and other branches of
 * the expression, `://`, pass through unchanged). */
Test(patterns, keysep_gives_the_anchors_of_the_written_out_separator)
{
    static const char *const toks[] = {"user", "username", "LOGIN", "\"",   "'",  "\\",
                                       " ",    "  ",       "\t",    "\r\n", ":",  "=",
                                       "//",   "x",        "\v",    "\f",   "us", "er"};
    enum { N = 200000 };
    uint8_t *s = malloc(N + 16);
    uint64_t x = 0x2545f4914f6cdd1dull;
    for (size_t i = 0; i < N;) {
        x ^= x << 13, x ^= x >> 7, x ^= x << 17;
        const char *t = toks[(x >> 11) % (sizeof toks / sizeof *toks)];
        memcpy(s + i, t, strlen(t));
        i += strlen(t);
    }
    static const char *const names = "(user(_?name)?|login)";
    char old[128], with[128];
    snprintf(old, sizeof old, "%s\\\\?[\"']?\\s{0,3}[:=]|:\\/\\/", names);
    snprintf(with, sizeof with, "%s%s|:\\/\\/", names, KEYSEP_EXPR);
    size_t total = 0;
    for (size_t off = 0; off < N; off += 2000) { /* 100 pieces: window ends cut separators */
        struct ends *a = malloc(sizeof *a), *b = malloc(sizeof *b);
        anchor_ends(old, false, s + off, 2000, a);
        anchor_ends(with, true, s + off, 2000, b);
        cr_assert_eq(a->k, b->k, "piece at %zu: %zu anchors written out, %zu with {KEYSEP}", off,
                     a->k, b->k);
        for (size_t i = 0; i < a->k; i++)
            cr_assert_eq(a->v[i], b->v[i], "piece at %zu: anchor %zu", off, i);
        total += a->k;
        free(a);
        free(b);
    }
    cr_expect_gt(total, 1000, "the text must hold many anchors (%zu)", total);
    free(s);
}

/* keysep_end case by case: where the anchor ends, or 0 */
Test(patterns, keysep_end_completes_the_separator)
{
    static const struct {
        const char *s;
        size_t end, want;
    } cases[] = {
        {"user=x", 5, 5},      {"user:x", 5, 5},      {"user\":\"x\"", 5, 6}, {"user' = x", 5, 7},
        {"user\\\":\"", 5, 7}, {"user\\ =", 5, 7},    {"user\\=", 5, 6},      {"user   :", 5, 8},
        {"user    :", 5, 0},   {"user\t\r\n=", 5, 8}, {"user x", 5, 0},       {"user\"", 5, 0},
        {"user\" x:", 5, 0},   {"user\\\\=", 5, 0},   {"a://b", 4, 4},        {"Mr. A", 5, 5},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        const uint8_t *b = (const uint8_t *)cases[i].s;
        cr_expect_eq(keysep_end(b, strlen(cases[i].s), cases[i].end), cases[i].want, "case %zu", i);
    }
}
