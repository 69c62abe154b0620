/* test_hook.c: the pre-commit hook end to end (issue 6): --pre-commit on fixtures, inline
 * allow markers, suggestions (each one scanned back as a test value), real git commits
 * through install-hook, `git --staged` against the index, the real pre-commit tool
 * (try-repo, offline), baselines and the repository config. */
#define _GNU_SOURCE
#include "testutil.h"

#include <criterion/criterion.h>
#include <libgen.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

/* Synthetic values: valid shapes and checksums, none of them a documented test value. */
#define REAL_SSN   "536-22-8841"
#define REAL_CARD  "4539 1488 0343 6467"
#define REAL_EMAIL "jane.doe@acme-corp.com"
#define REAL_LINE  "name=Jane ssn=" REAL_SSN " card=" REAL_CARD " mail=" REAL_EMAIL "\n"
#define TEST_LINE  "name=Test ssn=987-65-4321 card=4111 1111 1111 1111 mail=user@example.com\n"

static char *dir;
static char repo[600];

/* Runs a shell command in `cwd` (NULL: the temp dir); stdout and stderr into *out (may be
 * NULL). Returns the exit status. */
__attribute__((format(printf, 3, 4))) static int sh(char **out, const char *cwd, const char *fmt,
                                                    ...)
{
    char cmd[8192];
    int k = snprintf(cmd, sizeof cmd, "cd '%s' && ( ", cwd ? cwd : dir);
    va_list ap;
    va_start(ap, fmt);
    k += vsnprintf(cmd + k, sizeof cmd - (size_t)k, fmt, ap);
    va_end(ap);
    snprintf(cmd + k, sizeof cmd - (size_t)k, " ) 2>&1");
    FILE *p = popen(cmd, "r");
    cr_assert(p, "popen");
    char *buf = NULL;
    size_t len = 0;
    FILE *m = open_memstream(&buf, &len);
    char b[4096];
    size_t n;
    while ((n = fread(b, 1, sizeof b, p)) > 0) fwrite(b, 1, n, m);
    fclose(m);
    int st = pclose(p);
    if (out)
        *out = buf;
    else
        free(buf);
    return WIFEXITED(st) ? WEXITSTATUS(st) : 128;
}

static void put(const char *rel, const char *text)
{
    char p[1024];
    snprintf(p, sizeof p, "%s/%s", repo, rel);
    t_write(p, text, strlen(text));
}

static void setup(void)
{
    dir = t_tmpdir();
    snprintf(repo, sizeof repo, "%s/repo", dir);
    /* nothing of the user's: git and pre-commit configuration and caches live in the temp dir */
    setenv("HOME", dir, 1);
    char pc[700];
    snprintf(pc, sizeof pc, "%s/pre-commit-cache", dir);
    setenv("PRE_COMMIT_HOME", pc, 1);
    setenv("GIT_CONFIG_NOSYSTEM", "1", 1);
    setenv("GIT_AUTHOR_NAME", "Test", 1);
    setenv("GIT_AUTHOR_EMAIL", "test@example.com", 1);
    setenv("GIT_COMMITTER_NAME", "Test", 1);
    setenv("GIT_COMMITTER_EMAIL", "test@example.com", 1);
    unsetenv("PIISCAN_FINGERPRINT_KEY");
    char bin[1024];
    snprintf(bin, sizeof bin, "%s", PII_BIN);
    char path[4096];
    snprintf(path, sizeof path, "%s:%s", dirname(bin),
             getenv("PATH") ? getenv("PATH") : "/usr/bin:/bin");
    setenv("PATH", path, 1);
    cr_assert_eq(sh(NULL, NULL,
                    "git init -q repo && cd repo && mkdir -p tests/data && "
                    "echo '# fixtures' > README && git add README && "
                    "git commit -qm init"),
                 0);
}

static void teardown(void)
{
    t_rmrf(dir);
    free(dir);
}

TestSuite(hook, .init = setup, .fini = teardown, .timeout = 120);

/* ---- --pre-commit FILE ------------------------------------------------------------------ */

Test(hook, precommit_blocks_real_values_and_names_replacements)
{
    put("tests/data/users.txt", REAL_LINE);
    char *out;
    int rc = sh(&out, repo, "piiscan --pre-commit tests/data/users.txt");
    cr_expect_eq(rc, 1, "%s", out);
    cr_expect(strstr(out, "tests/data/users.txt:1:15: error: us_ssn 53*******41 -> replace with "
                          "987-65-4320"),
              "%s", out);
    cr_expect(strstr(out, "error: credit_card 45***************67 -> replace with "
                          "4111 1111 1111 1111"),
              "%s", out);
    cr_expect(strstr(out, "error: email ja******************om -> replace with user@example.com"),
              "%s", out);
    /* "name=Jane": a given name in a named field is a person_name finding too */
    cr_expect(strstr(out, "tests/data/users.txt:1:6: error: person_name ****"), "%s", out);
    cr_expect(strstr(out, "4 findings block this commit"), "%s", out);
    /* raw values never leave the process */
    cr_expect_null(strstr(out, REAL_SSN));
    cr_expect_null(strstr(out, "4539 1488"));
    cr_expect_null(strstr(out, REAL_EMAIL));
    free(out);
}

Test(hook, precommit_test_values_are_notes)
{
    put("tests/data/fake.txt", TEST_LINE);
    char *out;
    cr_expect_eq(sh(&out, repo, "piiscan --pre-commit tests/data/fake.txt"), 0, "%s", out);
    cr_expect(strstr(out, "note: us_ssn 98*******21 is a documented test value"), "%s", out);
    cr_expect(strstr(out, "nothing blocks this commit; 3 notes"), "%s", out);
    free(out);
}

Test(hook, precommit_risk_threshold)
{
    put("tests/data/ip.txt", "client 173.234.31.186 connected\n");
    char *out;
    cr_expect_eq(sh(&out, repo, "piiscan --pre-commit tests/data/ip.txt"), 0, "%s", out);
    cr_expect(strstr(out, "below the threshold medium) -> replace with 192.0.2.1"), "%s", out);
    free(out);
    cr_expect_eq(sh(NULL, repo, "piiscan --pre-commit --risk-threshold low tests/data/ip.txt"), 1);
    put("tests/data/ssn.txt", "ssn " REAL_SSN "\n");
    cr_expect_eq(sh(NULL, repo, "piiscan --pre-commit --risk-threshold high tests/data/ssn.txt"),
                 1);
}

Test(hook, precommit_gzip_fixture_is_scanned_inside)
{
    char p[1024];
    snprintf(p, sizeof p, "%s/tests/data/users.txt.gz", repo);
    t_gzip(p, REAL_LINE, strlen(REAL_LINE));
    char *out;
    cr_expect_eq(sh(&out, repo, "piiscan --pre-commit tests/data/users.txt.gz"), 1, "%s", out);
    cr_expect(strstr(out, "users.txt.gz:1:15: error: us_ssn"), "%s", out);
    free(out);
}

/* ---- inline allow ----------------------------------------------------------------------- */

Test(hook, inline_allow_same_line_and_next_line)
{
    put("tests/data/a.txt", "ssn=" REAL_SSN " # piiscan:allow us_ssn synthetic, generated\n"
                            "// piiscan:allow-next-line\n"
                            "mail " REAL_EMAIL " card " REAL_CARD "\n"
                            "<!-- piiscan:allow email reason here -->\n"
                            "other " REAL_EMAIL "\n");
    char *out;
    cr_expect_eq(sh(&out, repo, "piiscan --pre-commit tests/data/a.txt"), 1, "%s", out);
    cr_expect(strstr(out, "allowed: us_ssn 53*******41 (synthetic, generated)"), "%s", out);
    cr_expect(strstr(out, "a.txt:3:6: allowed: email"), "%s", out);
    cr_expect(strstr(out, "a.txt:3:34: allowed: credit_card"), "%s", out);
    /* the marker before line 5 is not alone on its line: not an allow-next-line, and a
     * plain allow covers only its own line */
    cr_expect(strstr(out, "a.txt:5:7: error: email"), "%s", out);
    free(out);
}

Test(hook, inline_allow_is_counted_and_exit_zero_when_all_allowed)
{
    put("a.txt", "ssn=" REAL_SSN " /* piiscan:allow */\n");
    char *out;
    cr_expect_eq(sh(&out, repo, "piiscan a.txt"), 0, "all findings allowed: exit 0 (%s)", out);
    json_t *recs = t_jsonl(out, strlen(out));
    json_t *f[2], *s[1];
    cr_assert_eq(t_records(recs, "finding", f, 2), 1);
    cr_expect(json_is_true(json_object_get(f[0], "allowed")));
    cr_assert_eq(t_records(recs, "summary", s, 1), 1);
    cr_expect_eq(json_integer_value(json_object_get(s[0], "allowed")), 1);
    cr_expect_eq(json_integer_value(json_object_get(s[0], "findings")), 1, "never hidden");
    json_decref(recs);
    free(out);
    cr_expect_eq(sh(&out, repo, "piiscan --format summary a.txt"), 0);
    cr_expect(strstr(out, "allowed          1"), "%s", out);
    free(out);
    /* audits ignore the markers */
    cr_expect_eq(sh(NULL, repo, "piiscan --no-inline-allow a.txt >/dev/null"), 1);
}

Test(hook, inline_allow_for_another_detector_does_not_cover)
{
    put("a.txt", "ssn=" REAL_SSN " # piiscan:allow email,phone not this one\n"
                 "x piiscan:allowed " REAL_SSN "\n");
    char *out;
    cr_expect_eq(sh(&out, repo, "piiscan --pre-commit a.txt"), 1, "%s", out);
    cr_expect(strstr(out, "a.txt:1:5: error: us_ssn"), "%s", out);
    cr_expect(strstr(out, "a.txt:2:19: error: us_ssn"), "%s", out);
    free(out);
}

Test(hook, inline_allow_is_the_same_for_every_chunk_size)
{
    /* the marker sits 200 bytes after the match: within PII_ALLOW_LOOK, wherever chunks cut */
    char text[2048];
    int n =
        snprintf(text, sizeof text, "ssn=%s %0200d piiscan:allow\nssn=%s\n", REAL_SSN, 0, REAL_SSN);
    put("a.txt", text);
    for (int c = 1; c <= 4096; c *= 4) {
        char *out;
        sh(&out, repo, "piiscan --chunk-size %d a.txt | grep -c '\"allowed\":true'", c);
        cr_expect_eq(strtol(out, NULL, 10), 1, "chunk %d: %s", c, out);
        free(out);
    }
    (void)n;
}

/* ---- suggestions ------------------------------------------------------------------------ */

/* Each real-looking value gets a suggestion; the line with the suggestion in its place is
 * scanned again: it must give a finding of the same detector that is a test value. */
Test(hook, every_suggestion_is_a_recognised_test_value)
{
    static const struct {
        const char *det, *prefix, *value;
    } cases[] = {
        {"us_ssn", "ssn ", "536-22-8841"},
        {"us_ssn", "ssn ", "536 22 8841"},
        {"us_ssn", "ssn: ", "536228841"},
        {"credit_card", "card ", "4539 1488 0343 6467"},
        {"credit_card", "card ", "4539-1488-0343-6467"},
        {"credit_card", "card ", "5425233430109903"},
        {"credit_card", "card ", "376258419372107"},
        {"email", "mail ", "jane.doe@acme-corp.com"},
        {"phone", "tel ", "(415) 867-5309"},
        {"phone", "tel ", "+1 415-867-5309"},
        {"phone", "tel ", "415.867.5309"},
        {"phone", "tel ", "+44 20 7123 4567"},
        {"ipv4", "ip ", "173.234.31.186"},
        {"ipv6", "ip ", "2a00:1450:4001:82a::200e"},
        {"mac_address", "mac ", "3c:22:fb:12:9a:0e"},
        {"mac_address", "mac ", "3C-22-FB-12-9A-0E"},
        {"iban", "iban ", "DE44500105175407324931"},
        {"iban", "iban ", "GB33 BUKB 2020 1555 5555 55"},
        {"aws_access_key", "key ", "AKIAZ3MZVQ2XJ7PLWGTE"},
        {"aws_secret_key", "aws_secret_access_key = ", "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"},
    };
    size_t checked = 0;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char line[512];
        snprintf(line, sizeof line, "%s%s\n", cases[i].prefix, cases[i].value);
        put("s.txt", line);
        char *out;
        sh(&out, repo, "piiscan --pre-commit --risk-threshold low --detectors %s s.txt",
           cases[i].det);
        char *s = strstr(out, "-> replace with ");
        cr_expect(s, "%s: no suggestion: %s", cases[i].value, out);
        if (!s) {
            free(out);
            continue;
        }
        s += strlen("-> replace with ");
        s[strcspn(s, "\n")] = 0;
        snprintf(line, sizeof line, "%s%s\n", cases[i].prefix, s);
        free(out);
        put("s.txt", line);
        sh(&out, repo, "piiscan --detectors %s s.txt", cases[i].det);
        json_t *recs = t_jsonl(out, strlen(out));
        json_t *f[4];
        size_t n = t_records(recs, "finding", f, 4);
        cr_expect_eq(n, 1, "%s: the suggestion in '%s' is found once (%s)", cases[i].det, line,
                     out);
        if (n == 1) {
            cr_expect_str_eq(json_string_value(json_object_get(f[0], "detector")), cases[i].det);
            cr_expect(json_is_true(json_object_get(f[0], "test_value")),
                      "%s: '%s' is not a test value", cases[i].det, line);
            cr_expect_eq(json_integer_value(json_object_get(f[0], "length")),
                         (json_int_t)strlen(line) - (json_int_t)strlen(cases[i].prefix) - 1,
                         "the whole suggestion is the finding");
            checked++;
        }
        json_decref(recs);
        free(out);
    }
    cr_expect_eq(checked, sizeof cases / sizeof cases[0]);
}

/* ---- real git commits through install-hook ---------------------------------------------- */

static int commit(const char *rel, const char *text, char **out)
{
    put(rel, text);
    return sh(out, repo, "git add '%s' && git commit -qm fixture", rel);
}

Test(hook, install_hook_real_commits)
{
    char *out;
    cr_assert_eq(sh(&out, repo, "piiscan install-hook"), 0, "%s", out);
    free(out);
    cr_expect_neq(commit("tests/data/users.txt", REAL_LINE, &out), 0, "blocked");
    cr_expect(strstr(out, "error: us_ssn") && strstr(out, "error: credit_card") &&
                  strstr(out, "error: email"),
              "%s", out);
    free(out);
    sh(NULL, repo, "git reset -q && rm -f tests/data/users.txt");

    /* the same fixture gzipped */
    char p[1024];
    snprintf(p, sizeof p, "%s/tests/data/users.txt.gz", repo);
    t_gzip(p, REAL_LINE, strlen(REAL_LINE));
    cr_expect_neq(sh(&out, repo, "git add tests/data/users.txt.gz && git commit -qm gz"), 0, "%s",
                  out);
    cr_expect(strstr(out, "users.txt.gz:1:15: error: us_ssn"), "%s", out);
    free(out);
    sh(NULL, repo, "git reset -q && rm -f tests/data/users.txt.gz");

    /* test values, and an inline allow, pass */
    cr_expect_eq(commit("tests/data/fake.txt", TEST_LINE, &out), 0, "%s", out);
    free(out);
    cr_expect_eq(commit("tests/data/allowed.txt",
                        "ssn=" REAL_SSN " # piiscan:allow us_ssn synthetic\n", &out),
                 0, "%s", out);
    free(out);
    cr_expect_eq(sh(&out, repo, "git log --oneline | wc -l"), 0);
    cr_expect_eq(strtol(out, NULL, 10), 3, "init + two fixtures: %s", out);
    free(out);
}

Test(hook, install_hook_keeps_a_foreign_hook)
{
    put(".git/hooks/pre-commit", "#!/bin/sh\necho mine\n");
    char *out;
    cr_expect_eq(sh(&out, repo, "piiscan install-hook"), 2);
    cr_expect(strstr(out, "not piiscan's"), "%s", out);
    free(out);
    cr_expect_eq(sh(&out, repo, "cat .git/hooks/pre-commit"), 0);
    cr_expect(strstr(out, "echo mine"), "%s", out);
    free(out);
    cr_expect_eq(sh(NULL, repo,
                    "piiscan install-hook --force && grep -q 'git --staged' "
                    ".git/hooks/pre-commit"),
                 0);
    cr_expect_eq(sh(NULL, repo, "piiscan install-hook"), 0, "its own hook is replaced");
}

Test(hook, staged_scan_reads_the_index_not_the_working_tree)
{
    /* an unstaged edit that adds PII does not affect the staged scan */
    put("tests/data/a.txt", "clean\n");
    sh(NULL, repo, "git add tests/data/a.txt");
    put("tests/data/a.txt", "clean\n" REAL_LINE);
    char *out;
    cr_expect_eq(sh(&out, repo, "piiscan git --staged"), 0, "%s", out);
    free(out);
    /* the working copy is clean, the index copy is not */
    put("tests/data/b.txt", REAL_LINE);
    sh(NULL, repo, "git add tests/data/b.txt");
    put("tests/data/b.txt", "clean\n");
    cr_expect_eq(sh(&out, repo, "piiscan git --staged"), 1, "%s", out);
    cr_expect(strstr(out, "tests/data/b.txt:1:15: error: us_ssn"), "%s", out);
    free(out);
    /* from a subdirectory too: paths stay relative to the top level */
    cr_expect_eq(sh(&out, repo, "cd tests && piiscan git --staged --format jsonl"), 1, "%s", out);
    cr_expect(strstr(out, "\"path\":\"tests/data/b.txt\""), "%s", out);
    free(out);
}

Test(hook, staged_scan_only_added_lines_unless_all_lines)
{
    sh(NULL, repo,
       "printf 'ssn " REAL_SSN "\\n' > old.txt && git add old.txt && "
       "git commit -q --no-verify -m old");
    sh(NULL, repo, "printf 'ssn " REAL_SSN "\\nclean addition\\n' > old.txt && git add old.txt");
    char *out;
    cr_expect_eq(sh(&out, repo, "piiscan git --staged"), 0, "old lines are not scanned: %s", out);
    free(out);
    cr_expect_eq(sh(&out, repo, "piiscan git --staged --all-lines"), 1, "%s", out);
    free(out);
    sh(NULL, repo,
       "printf 'mail " REAL_EMAIL "\\nssn " REAL_SSN "\\nclean addition\\n' > old.txt"
       " && git add old.txt");
    cr_expect_eq(sh(&out, repo, "piiscan git --staged"), 1, "%s", out);
    cr_expect(strstr(out, "old.txt:1:6: error: email"), "%s", out);
    cr_expect_null(strstr(out, "us_ssn"), "%s", out);
    free(out);
}

/* How many times `needle` occurs in s. */
static size_t count(const char *s, const char *needle)
{
    size_t n = 0;
    for (const char *p = s; (p = strstr(p, needle)); p += strlen(needle)) n++;
    return n;
}

/* A base commit, then staged edits that exercise the staged diff's text: hunks with several
 * ranges, lines added at the start and the end, a last line without a newline, CRLF lines, a
 * whitespace-only change, a path with a space and a newline, and a gzipped fixture. */
static void stage_edge_cases(void)
{
    char base[2048], next[2048];
    size_t b = 0, n = 0;
    n += (size_t)snprintf(next + n, sizeof next - n, "first mail %s\n", REAL_EMAIL);
    for (int i = 1; i <= 30; i++) {
        const char *old = i == 20 ? "old ssn " REAL_SSN : "line";
        b += (size_t)snprintf(base + b, sizeof base - b, "%s %d\n", old, i);
        if (i == 1)
            n += (size_t)snprintf(next + n, sizeof next - n, "ssn %s\n", REAL_SSN);
        else if (i == 15)
            n += (size_t)snprintf(next + n, sizeof next - n, "mail %s\n", REAL_EMAIL);
        else if (i == 30)
            n += (size_t)snprintf(next + n, sizeof next - n, "card %s\n", REAL_CARD);
        else
            n += (size_t)snprintf(next + n, sizeof next - n, "%s %d\n", old, i);
    }
    put("multi.txt", base);
    put("nonl.txt", "a\nb\nc");
    put("crlf.txt", "x\r\ny\r\n");
    put("ws.txt", "ws line  \nssn " REAL_SSN "\n");
    cr_assert_eq(sh(NULL, repo, "git add -A && git commit -q --no-verify -m base"), 0);
    put("multi.txt", next);
    put("nonl.txt", "a\nb\nc " REAL_SSN);
    put("crlf.txt", "x\r\nssn " REAL_SSN "\r\ny\r\n");
    put("ws.txt", "ws line\nssn " REAL_SSN "\n");
    put("sp ace\nnl.txt", "ssn " REAL_SSN "\n");
    char p[1024];
    snprintf(p, sizeof p, "%s/data.gz", repo);
    t_gzip(p, REAL_LINE, strlen(REAL_LINE));
    cr_assert_eq(sh(NULL, repo, "git add -A"), 0);
}

/* What `git --staged` reports on stage_edge_cases(), line by line. */
static const char *const edge_findings[] = {
    "multi.txt:1:12: error: email",         "multi.txt:2:5: error: us_ssn",
    "multi.txt:16:6: error: email",         "multi.txt:31:6: error: credit_card",
    "nonl.txt:3:3: error: us_ssn",          "crlf.txt:2:5: error: us_ssn",
    "sp ace\\x0anl.txt:1:5: error: us_ssn", "data.gz:1:15: error: us_ssn",
    "data.gz:1:6: error: person_name",      "data.gz:1:32: error: credit_card",
    "data.gz:1:57: error: email",
};

static void expect_edge_findings(const char *out)
{
    for (size_t i = 0; i < sizeof edge_findings / sizeof edge_findings[0]; i++)
        cr_expect_eq(count(out, edge_findings[i]), 1, "%s in: %s", edge_findings[i], out);
    /* unchanged lines are not reported: the old SSN on line 21, ws.txt's second line */
    cr_expect_eq(count(out, "multi.txt:21:"), 0, "%s", out);
    cr_expect_eq(count(out, "ws.txt"), 0, "%s", out);
    cr_expect(strstr(out, "11 findings block this commit"), "%s", out);
}

Test(hook, staged_diff_edge_cases_line_numbers)
{
    stage_edge_cases();
    char *out;
    cr_expect_eq(sh(&out, repo, "GIT_TRACE='%s/trace' piiscan git --staged", dir), 1, "%s", out);
    expect_edge_findings(out);
    free(out);
    /* one git diff; the gzipped fixture, binary to git, is the only blob read through cat-file */
    cr_expect_eq(sh(&out, NULL, "cat trace"), 0);
    cr_expect_eq(count(out, "built-in: git diff "), 1, "%s", out);
    cr_expect_eq(count(out, "built-in: git cat-file --batch"), 1, "%s", out);
    free(out);
    /* text files only: one git process in all */
    cr_assert_eq(sh(NULL, repo, "git rm -q --cached data.gz && rm -f '%s/trace'", dir), 0);
    cr_expect_eq(sh(&out, repo, "GIT_TRACE='%s/trace' piiscan git --staged", dir), 1, "%s", out);
    cr_expect_eq(count(out, "data.gz"), 0, "%s", out);
    free(out);
    cr_expect_eq(sh(&out, NULL, "cat trace"), 0);
    cr_expect_eq(count(out, "built-in: git"), 1, "%s", out);
    free(out);
    /* --all-lines: the unchanged lines too, still from the one diff */
    cr_expect_eq(sh(NULL, NULL, "rm -f trace"), 0);
    cr_expect_eq(sh(&out, repo, "GIT_TRACE='%s/trace' piiscan git --staged --all-lines", dir), 1,
                 "%s", out);
    cr_expect_eq(count(out, "multi.txt:21:9: error: us_ssn"), 1, "%s", out);
    cr_expect_eq(count(out, "ws.txt:2:5: error: us_ssn"), 1, "%s", out);
    free(out);
    cr_expect_eq(sh(&out, NULL, "cat trace"), 0);
    cr_expect_eq(count(out, "built-in: git"), 1, "%s", out);
    free(out);
}

/* The user's git configuration and environment change what `git diff` prints; none of it may
 * change what is scanned. Each setting is compared with the plain run. */
Test(hook, staged_diff_ignores_user_diff_settings)
{
    stage_edge_cases();
    /* a gitlink (a submodule's commit) and a textconv driver that fails if it is ever run */
    cr_assert_eq(sh(NULL, repo,
                    "git update-index --add --cacheinfo "
                    "160000,1111111111111111111111111111111111111111,sub && "
                    "echo '*.txt diff=fail' > .git/info/attributes && "
                    "git config diff.fail.textconv false"),
                 0);
    char *ref;
    cr_expect_eq(sh(&ref, repo, "piiscan git --staged"), 1, "%s", ref);
    expect_edge_findings(ref);
    static const char *const env[] = {
        "GIT_DIFF_OPTS=-u1",
        "GIT_EXTERNAL_DIFF=false",
        "GIT_CONFIG_COUNT=1 GIT_CONFIG_KEY_0=diff.noprefix GIT_CONFIG_VALUE_0=true",
        "GIT_CONFIG_COUNT=1 GIT_CONFIG_KEY_0=diff.mnemonicPrefix GIT_CONFIG_VALUE_0=true",
        "GIT_CONFIG_COUNT=1 GIT_CONFIG_KEY_0=color.ui GIT_CONFIG_VALUE_0=always",
        "GIT_CONFIG_COUNT=1 GIT_CONFIG_KEY_0=diff.external GIT_CONFIG_VALUE_0=false",
        "GIT_CONFIG_COUNT=1 GIT_CONFIG_KEY_0=diff.suppressBlankEmpty GIT_CONFIG_VALUE_0=true",
        "GIT_CONFIG_COUNT=1 GIT_CONFIG_KEY_0=diff.submodule GIT_CONFIG_VALUE_0=log",
        "GIT_CONFIG_COUNT=1 GIT_CONFIG_KEY_0=diff.context GIT_CONFIG_VALUE_0=0",
        "GIT_CONFIG_COUNT=1 GIT_CONFIG_KEY_0=diff.relative GIT_CONFIG_VALUE_0=true",
        "GIT_CONFIG_COUNT=1 GIT_CONFIG_KEY_0=core.quotePath GIT_CONFIG_VALUE_0=false",
        "GIT_CONFIG_COUNT=1 GIT_CONFIG_KEY_0=diff.algorithm GIT_CONFIG_VALUE_0=patience",
    };
    for (size_t i = 0; i < sizeof env / sizeof env[0]; i++) {
        char *out;
        cr_expect_eq(sh(&out, repo, "env %s piiscan git --staged", env[i]), 1, "%s: %s", env[i],
                     out);
        cr_expect_str_eq(out, ref, "%s", env[i]);
        free(out);
    }
    free(ref);
}

/* A type change shows as two sections in the diff (the old symbolic link deleted, the file
 * added); a mode-only change has no text at all. Both once made the staged diff unreadable
 * or were read from the wrong section. */
Test(hook, staged_diff_type_and_mode_changes)
{
    put("target.txt", "target\n");
    put("mode.txt", "mail " REAL_EMAIL "\n");
    cr_assert_eq(sh(NULL, repo,
                    "ln -s target.txt link && git add -A && "
                    "git commit -q --no-verify -m base && rm link && chmod +x mode.txt"),
                 0);
    put("link", "now a file: ssn " REAL_SSN "\n");
    put("z.txt", "after: ssn " REAL_SSN "\n");
    cr_assert_eq(sh(NULL, repo, "git add -A"), 0);
    char *out;
    cr_expect_eq(sh(&out, repo, "piiscan git --staged"), 1, "%s", out);
    cr_expect_eq(count(out, "link:1:17: error: us_ssn"), 1, "%s", out);
    cr_expect_eq(count(out, "z.txt:1:12: error: us_ssn"), 1, "%s", out);
    cr_expect_eq(count(out, "mode.txt"), 0, "no line is added: %s", out);
    free(out);
    cr_expect_eq(sh(&out, repo, "piiscan git --staged --all-lines"), 1, "%s", out);
    cr_expect_eq(count(out, "mode.txt:1:6: error: email"), 1, "%s", out);
    free(out);
    /* and the other way: a file that becomes a symbolic link holds nothing to scan */
    cr_assert_eq(sh(NULL, repo,
                    "git commit -q --no-verify -m more && rm z.txt && ln -s target.txt z.txt && "
                    "git add -A"),
                 0);
    cr_expect_eq(sh(&out, repo, "piiscan git --staged --all-lines"), 0, "%s", out);
    free(out);
}

/* An allow marker on an unchanged line covers the added line after it: the file is scanned
 * whole, only the findings are limited to the added lines. */
Test(hook, staged_diff_keeps_the_context_of_unchanged_lines)
{
    put("a.txt", "// piiscan:allow-next-line\nold\n");
    cr_assert_eq(sh(NULL, repo, "git add -A && git commit -q --no-verify -m base"), 0);
    put("a.txt", "// piiscan:allow-next-line\nmail " REAL_EMAIL "\n");
    cr_assert_eq(sh(NULL, repo, "git add -A"), 0);
    char *out;
    cr_expect_eq(sh(&out, repo, "piiscan git --staged"), 0, "%s", out);
    cr_expect_eq(count(out, "a.txt:2:6: allowed: email"), 1, "%s", out);
    free(out);
}

/* ---- the pre-commit framework ----------------------------------------------------------- */

Test(hook, pre_commit_framework_try_repo)
{
    /* a local hook repository holding only .pre-commit-hooks.yaml: nothing is downloaded */
    char *out;
    int rc = sh(&out, NULL,
                "mkdir hooks && cp '%s/.pre-commit-hooks.yaml' hooks/ && cd hooks && git init -q "
                "&& git add . && git commit -qm hooks",
                PII_SOURCE_DIR);
    cr_assert_eq(rc, 0, "%s", out);
    free(out);
    /* the manifest is valid for the installed pre-commit, without a deprecation warning */
    rc = sh(&out, NULL, "pre-commit validate-manifest hooks/.pre-commit-hooks.yaml");
    cr_expect_eq(rc, 0, "%s", out);
    cr_expect_null(strstr(out, "WARNING"), "%s", out);
    free(out);
    put("tests/data/users.txt", REAL_LINE);
    sh(NULL, repo, "git add tests/data/users.txt");
    rc = sh(&out, repo, "pre-commit try-repo ../hooks piiscan");
    cr_expect_eq(rc, 1, "%s", out);
    cr_expect(strstr(out, "tests/data/users.txt:1:15: error: us_ssn"), "%s", out);
    free(out);
    /* gzipped */
    sh(NULL, repo, "git rm -q --cached tests/data/users.txt && rm tests/data/users.txt");
    char p[1024];
    snprintf(p, sizeof p, "%s/tests/data/users.txt.gz", repo);
    t_gzip(p, REAL_LINE, strlen(REAL_LINE));
    sh(NULL, repo, "git add tests/data/users.txt.gz");
    rc = sh(&out, repo, "pre-commit try-repo ../hooks piiscan");
    cr_expect_eq(rc, 1, "%s", out);
    cr_expect(strstr(out, "users.txt.gz:1:15: error: us_ssn"), "%s", out);
    free(out);
    /* test values pass */
    sh(NULL, repo, "git rm -q --cached tests/data/users.txt.gz && rm tests/data/users.txt.gz");
    put("tests/data/fake.txt", TEST_LINE);
    sh(NULL, repo, "git add tests/data/fake.txt");
    rc = sh(&out, repo, "pre-commit try-repo ../hooks piiscan");
    cr_expect_eq(rc, 0, "%s", out);
    cr_expect(strstr(out, "Passed"), "%s", out);
    free(out);
}

/* ---- baseline --------------------------------------------------------------------------- */

Test(hook, baseline_lets_recorded_values_through)
{
    char *out;
    sh(NULL, repo,
       "printf 'ssn " REAL_SSN "\\n' > tests/data/old.txt && git add . && "
       "git commit -q --no-verify -m old");
    cr_assert_eq(sh(&out, repo, "piiscan baseline create"), 0, "%s", out);
    free(out);
    char *b1;
    cr_assert_eq(sh(&b1, repo, "cat .piiscan-baseline.json"), 0);
    cr_expect(strstr(b1, "\"path\": \"tests/data/old.txt\", \"detector\": \"us_ssn\""), "%s", b1);
    cr_expect_null(strstr(b1, REAL_SSN), "no raw value in the baseline");
    cr_expect_null(strstr(b1, "\"line\""), "no line numbers in the baseline");
    /* lines added above the value: no churn; byte-identical update */
    sh(NULL, repo, "printf 'new first line\\nssn " REAL_SSN "\\n' > tests/data/old.txt");
    cr_expect_eq(sh(&out, repo, "piiscan --pre-commit tests/data/old.txt"), 0, "%s", out);
    cr_expect(strstr(out, "allowed: us_ssn 53*******41 (in the baseline)"), "%s", out);
    free(out);
    cr_assert_eq(sh(NULL, repo, "piiscan baseline update"), 0);
    char *b2;
    sh(&b2, repo, "cat .piiscan-baseline.json");
    cr_expect_str_eq(b1, b2, "update with the same findings rewrites the same bytes");
    free(b1);
    free(b2);
    cr_expect_eq(sh(&out, repo, "piiscan baseline audit"), 0, "%s", out);
    cr_expect(strstr(out, "baselined tests/data/old.txt:2:5: us_ssn 53*******41"), "%s", out);
    free(out);
    /* the hook never writes it; a commit with the baseline passes */
    cr_assert_eq(sh(NULL, repo, "piiscan install-hook && git add . && git commit -qm moved"), 0);
    /* a new value is not covered */
    sh(NULL, repo, "printf 'mail " REAL_EMAIL "\\n' >> tests/data/old.txt && git add .");
    cr_expect_eq(sh(&out, repo, "git commit -qm more"), 1, "%s", out);
    free(out);
    cr_expect_eq(sh(&out, repo, "piiscan baseline audit"), 1, "a new finding: %s", out);
    cr_expect(strstr(out, "new       tests/data/old.txt:3:6: email"), "%s", out);
    free(out);
    cr_expect_eq(sh(&out, repo, "piiscan baseline create"), 2, "create does not overwrite");
    free(out);
}

/* ---- repository config ------------------------------------------------------------------ */

Test(hook, repo_config)
{
    put(".piiscan.json",
        "{\"risk_threshold\": \"high\", \"exclude_paths\": [\"tests/golden/\"],"
        " \"allow_values\": [\"support@acme-corp.com\"],"
        " \"allow_patterns\": [\"^noreply@\"], \"exclude_detectors\": [\"ipv4\"]}");
    sh(NULL, repo, "mkdir tests/golden");
    put("tests/golden/g.txt", REAL_LINE);
    put("tests/data/a.txt", "mail support@acme-corp.com noreply@acme-corp.com x@acme-corp.com "
                            "ip 173.234.31.186\n");
    char *out;
    cr_expect_eq(sh(&out, repo, "piiscan --pre-commit tests/golden/g.txt tests/data/a.txt"), 0,
                 "%s", out);
    cr_expect(strstr(out, "a.txt:1:6: allowed: email su*****************om (allowed by "
                          ".piiscan.json)"),
              "%s", out);
    cr_expect(strstr(out, "allowed: email no*****************om"), "%s", out);
    cr_expect(strstr(out, "note: email x@***********om (risk medium, below the threshold high)"),
              "%s", out);
    cr_expect_null(strstr(out, "ipv4"), "%s", out);
    cr_expect_null(strstr(out, "golden"), "excluded: %s", out);
    free(out);
    /* a scan of the repository root reads it too; a scan of a file elsewhere does not */
    sh(&out, repo,
       "piiscan . | grep -c -e '\"detector\":\"ipv4\"' -e 'finding.*golden' -e '\\.git/'");
    cr_expect_eq(strtol(out, NULL, 10), 0, "%s", out);
    free(out);
    sh(&out, repo, "piiscan tests/data/a.txt | grep -c '\"detector\":\"ipv4\"'");
    cr_expect_eq(strtol(out, NULL, 10), 1, "%s", out);
    free(out);
    put(".piiscan.json", "{\"exclude_path\": []}");
    cr_expect_eq(sh(&out, repo, "piiscan --pre-commit tests/data/a.txt"), 2);
    cr_expect(strstr(out, "unknown key 'exclude_path'"), "%s", out);
    free(out);
}
