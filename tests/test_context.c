/* test_context.c: context word sets: every word found whatever its first byte or case, at most
 * 64 words, copies independent of their source, an empty set matching nothing. */
#include "pii_internal.h"

#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

/* 64 words over 64 distinct first bytes (26 letters in both cases of the input, digits,
 * symbols): the most slots a set can need. */
static void fill(struct ctx_set *s, char words[64][8])
{
    static const char firsts[] = "abcdefghijklmnopqrstuvwxyz0123456789#$%&*+/<=>?@^~"
                                 "ABCDEFGHIJKLMN";
    for (int i = 0; i < 64; i++) {
        snprintf(words[i], 8, "%cw%02d", firsts[i], i);
        cr_assert(ctx_set_add(s, words[i], strlen(words[i])), "word %d", i);
    }
}

static bool found(const struct ctx_set *s, const char *word)
{
    char line[64];
    int n = snprintf(line, sizeof line, "%s 4242", word);
    size_t start = (size_t)n - 4;
    return context_has(s, (const uint8_t *)line, 0, (size_t)n, start, (size_t)n, 32, 0);
}

Test(context, every_word_any_first_byte_any_case)
{
    struct ctx_set s = {0};
    char words[64][8];
    fill(&s, words);
    cr_expect(!ctx_set_add(&s, "more", 4), "at most 64 words");
    for (int i = 0; i < 64; i++) {
        cr_expect(found(&s, words[i]), "%s", words[i]);
        char up[8];
        memcpy(up, words[i], sizeof up);
        for (char *c = up; *c; c++)
            if (*c >= 'a' && *c <= 'z') *c = (char)(*c - 32);
        cr_expect(found(&s, up), "%s (upper case)", up);
    }
    cr_expect(!found(&s, "zz99"), "not a word of the set");
    cr_expect(!found(&s, "xaw00"), "whole words only");

    struct ctx_set c;
    cr_assert(ctx_set_copy(&c, &s));
    ctx_set_release(&s);
    for (int i = 0; i < 64; i++) cr_expect(found(&c, words[i]), "copy: %s", words[i]);
    ctx_set_release(&c);

    /* a copy is one block; adding to it still works */
    struct ctx_set two = {0}, t2;
    cr_assert(ctx_set_add(&two, "Card", 4) && ctx_set_add(&two, "iban", 4));
    cr_assert(ctx_set_copy(&t2, &two));
    cr_assert(ctx_set_add(&t2, "ssn", 3));
    cr_expect(found(&t2, "card") && found(&t2, "IBAN") && found(&t2, "ssn"));
    cr_expect(!found(&two, "ssn"), "the source is unchanged");
    ctx_set_release(&two);
    ctx_set_release(&t2);

    struct ctx_set empty = {0};
    cr_expect(!found(&empty, "aw00"));
    cr_assert(ctx_set_copy(&c, &empty));
    cr_expect(!c.slot, "an empty set allocates nothing");
    ctx_set_release(&c);
}
