/* mkdb.c: build-time generator of builtin_db.c: compiles the built-in catalogue's Hyperscan
 * expressions (all of them) and writes the database, laid out as Hyperscan scans it, as C with
 * its key. */
#include "pii_internal.h"

#include <hs/hs.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

/* s as a C string literal: octal escapes for anything but plain printable ASCII */
static void c_str(FILE *f, const char *s)
{
    if (!s) {
        fputs("NULL", f);
        return;
    }
    fputs("(char *)\"", f);
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p == '\\' || *p == '"' || *p == '?')
            fprintf(f, "\\%c", *p);
        else if (*p >= 0x20 && *p < 0x7f)
            fputc(*p, f);
        else
            fprintf(f, "\\%03o", *p);
    }
    fputc('"', f);
}

/* One word set's arrays, named <name>_w, _s, _m; nothing for an empty set. */
static void emit_set_data(FILE *f, const struct ctx_set *c, const char *name)
{
    if (!c->n) return;
    fprintf(f, "static const struct ctx_word %s_w[] = {", name);
    for (size_t i = 0; i < c->n; i++) {
        fputs("{", f);
        c_str(f, c->w[i].text);
        fprintf(f, ", %zu},", c->w[i].len);
    }
    fprintf(f, "};\nstatic const uint8_t %s_s[256] = {", name);
    for (int i = 0; i < 256; i++) fprintf(f, "%u,", c->slot[i]);
    fprintf(f, "};\nstatic const uint64_t %s_m[] = {", name);
    for (size_t i = 0; i < c->n_mask; i++) fprintf(f, "0x%llxull,", (unsigned long long)c->mask[i]);
    fputs("};\n", f);
}

static void emit_set(FILE *f, const struct ctx_set *c, const char *name)
{
    if (!c->n) {
        fputs("{0}", f);
        return;
    }
    /* designated: a field added to struct ctx_set must not shift the values into others */
    fprintf(f,
            "{.w = (struct ctx_word *)%s_w, .n = %zu, .slot = (uint8_t *)%s_s, "
            ".mask = (uint64_t *)%s_m, .n_mask = %zu, .sym = %d, .block = NULL}",
            name, c->n, name, name, c->n_mask, c->sym ? 1 : 0);
}

/* The parsed catalogue as C data (struct detector, `fixed`): start-up copies the array and
 * allocates nothing per detector. The text parser made it: one parser for the format. */
static void emit_detectors(FILE *f, const pii_detectors *d)
{
    static const char *const set_names[] = {"ctx", "neg", "fld"};
    for (size_t i = 0; i < d->n; i++) {
        const struct detector *x = &d->v[i];
        const struct ctx_set *sets[] = {&x->ctx, &x->neg, &x->fields};
        for (int k = 0; k < 3; k++) {
            char name[48];
            snprintf(name, sizeof name, "d%zu_%s", i, set_names[k]);
            emit_set_data(f, sets[k], name);
        }
    }
    fprintf(f, "const size_t pii_builtin_detectors_n = %zu;\n", d->n);
    fprintf(f, "const struct detector pii_builtin_detectors[] = {\n");
    for (size_t i = 0; i < d->n; i++) {
        const struct detector *x = &d->v[i];
        fputs("{.id = ", f);
        c_str(f, x->id);
        fputs(", .group = ", f);
        c_str(f, x->group);
        fputs(", .description = ", f);
        c_str(f, x->description);
        fputs(", .origin = ", f);
        c_str(f, x->origin);
        fprintf(f, ", .kind = %d, .expr = ", (int)x->kind);
        c_str(f, x->expr);
        fprintf(f, ", .hs_flags = %uu, .width = %uu, .keysep = %s, .shape = %d, .validator_name = ",
                x->hs_flags, (unsigned)x->width, x->keysep ? "true" : "false", x->shape);
        c_str(f, x->validator_name);
        /* .validate: looked up by name at load (validator_find), the registry's business */
        const struct ctx_set *sets[] = {&x->ctx, &x->neg, &x->fields};
        static const char *const members[] = {"ctx", "neg", "fields"};
        for (int k = 0; k < 3; k++) {
            char name[48];
            snprintf(name, sizeof name, "d%zu_%s", i, set_names[k]);
            fprintf(f, ",\n .%s = ", members[k]);
            emit_set(f, sets[k], name);
        }
        fprintf(f,
                ",\n .ctx_mode = %d, .win_before = %d, .win_after = %d, .ccpa = 0x%xu, "
                ".spi = %d, .risk = %d, .base_conf = %d, .enabled = %d, .builtin = 1, "
                ".credential = %d, .fixed = 1},\n",
                (int)x->ctx_mode, x->win_before, x->win_after, (unsigned)x->ccpa, (int)x->spi,
                (int)x->risk, x->base_conf, (int)x->enabled, (int)x->credential);
    }
    fputs("};\n", f);
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: mkdb OUT.c\n");
        return 2;
    }
    pii_error err = PII_ERROR_INIT;
    pii_detectors *d = NULL;
    pii_engine *e = NULL;
    if (pii_detectors_new(&d, &err) || pii_detectors_load_builtin(d, &err) ||
        pii_engine_compile(d, NULL, &e, &err)) {
        fprintf(stderr, "mkdb: %s: %s\n", err.origin, err.msg);
        return 1;
    }
    char *bytes = NULL;
    size_t len = 0;
    if (e->db && hs_serialize_database((const hs_database_t *)e->db, &bytes, &len) != HS_SUCCESS) {
        fprintf(stderr, "mkdb: cannot serialize the database\n");
        return 1;
    }
    /* The database as hs_deserialize_database_at() lays it out at a 64-byte aligned address:
     * the library scans this image in place (read-only data, paged in on use) instead of
     * copying it to the heap at every start-up. Its bytecode offset depends on the address
     * modulo 64 only, hence _Alignas(64) below. */
    char *image = NULL;
    size_t image_len = 0;
    if (bytes && (hs_serialized_database_size(bytes, len, &image_len) != HS_SUCCESS ||
                  !(image = aligned_alloc(64, (image_len + 63) & ~(size_t)63)) ||
                  hs_deserialize_database_at(bytes, len, (hs_database_t *)image) != HS_SUCCESS)) {
        fprintf(stderr, "mkdb: cannot lay out the database\n");
        return 1;
    }
    char key[33];
    engine_builtin_key(d, key);
    char tmp[4096];
    snprintf(tmp, sizeof tmp, "%s.%ld.tmp", argv[1], (long)getpid());
    FILE *f = fopen(tmp, "w");
    if (!f) {
        perror(tmp);
        return 1;
    }
    fprintf(f,
            "/* generated by scanner/gen/mkdb.c at build time: do not edit */\n"
            "#include \"pii_internal.h\"\n"
            "const char pii_builtin_db_key[] = \"%s\";\n"
            "const size_t pii_builtin_db_len = %zu;\n"
            "_Alignas(64) const unsigned char pii_builtin_db[] = {",
            key, image_len);
    for (size_t i = 0; i < image_len; i++)
        fprintf(f, "%s0x%02x,", i % 16 ? "" : "\n", (unsigned char)image[i]);
    fprintf(f, "0};\n");
    /* the widths Hyperscan measured, so the loader need not ask it again at start-up */
    size_t nw = 0;
    fprintf(f, "const unsigned pii_builtin_widths[] = {");
    for (size_t i = 0; i < d->n; i++) {
        const struct detector *x = &d->v[i];
        if (!x->builtin || (x->kind != FIND_RE && x->kind != FIND_ANCHOR)) continue;
        fprintf(f, "%u,", (unsigned)x->width);
        nw++;
    }
    fprintf(f, "0};\nconst size_t pii_builtin_widths_n = %zu;\n", nw);
    emit_detectors(f, d);
    int bad = ferror(f);
    if (fclose(f) || bad || rename(tmp, argv[1])) {
        perror(argv[1]);
        return 1;
    }
    free(bytes);
    free(image);
    pii_engine_free(e);
    pii_detectors_free(d);
    return 0;
}
