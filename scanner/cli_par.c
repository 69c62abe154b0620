/* cli_par.c: scanning with -j threads and output identical to one thread: a bounded queue of
 * inputs taken by a fixed pool of workers, each input cut into segments that any worker may
 * match (pii_scan_segment) and that its producer joins in order (pii_join), and records
 * released to the sinks in input order. */
#define _GNU_SOURCE
#include "cli.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define BINARY_SNIFF 8192
#define SEG_DEFAULT  (1u << 20)
#define SEG_BUDGET   (12u << 20) /* segment buffers one producer may hold */
/* Records all inputs together may buffer while waiting for their turn, per thread; past it,
 * an input that is not the oldest waits (memory stays bounded however many finish early). */
#define EV_BUDGET_PER_THR (8u << 20)
#define TASKS_PER_THR     8 /* inputs queued or waiting for output, per thread */

/* ---- records: what the sinks receive, applied at once or buffered until the input's turn -- */

enum ev_kind { EV_INPUT, EV_FINDING, EV_ERROR, EV_SKIPPED, EV_BYTES, EV_SOURCE, EV_END };

struct ev {
    enum ev_kind kind;
    pii_finding f; /* EV_FINDING: match and normalized are arena offsets */
    size_t s[3];   /* path, member, message: arena offsets, SIZE_MAX for NULL */
    uint64_t n[3]; /* EV_BYTES: bytes; EV_SOURCE: members, compressed, expanded */
};

struct evbuf {
    struct ev *v;
    size_t n, cap;
    char *arena;
    size_t alen, acap;
};

/* One entry of the output order: an input to scan, or records of the walk itself. */
struct task {
    struct task *next_order; /* output order */
    struct task *next_q;     /* work queue / free list */
    char *name;              /* how the input is reported */
    int fd;                  /* -1: open `name` in the worker */
    bool work;               /* false: only records of the walk */
    bool done;
    struct evbuf ev;
};

struct seg;

struct worker {
    struct par *p;
    pthread_t th;
    pii_scanner *sc;
    pii_join *join;
    struct seg *ring; /* segments this worker produces, reused across inputs */
    size_t n_ring;
};

struct found {
    pii_finding f;
    size_t match_off, norm_off, reason_off;
};

struct seg {
    uint8_t *buf;
    size_t cap, len, from, to;
    struct found *fv;
    size_t nf, capf;
    char *arena;
    size_t alen, acap;
    pii_segment_info info;
    pii_status st;
    pii_error err;
    int state; /* SEG_FREE … SEG_DONE */
    struct seg *next_q;
    struct worker *scanner_of;      /* who ran it (for its scanner) */
    const struct member_head *head; /* the member's first bytes (pii_scan_segment_head) */
};

/* The first bytes of a member: what a streaming pass learns from a stream's start. */
struct member_head {
    uint8_t b[PII_SEGMENT_HEAD];
    size_t len;
    bool final;
};

enum { SEG_FREE, SEG_QUEUED, SEG_RUNNING, SEG_DONE };

struct par {
    struct run *r;
    unsigned n_thr;
    size_t seg_size;
    struct worker *w;
    size_t n_w;
    /* work: inputs and segments, one lock */
    pthread_mutex_t qlock;
    pthread_cond_t qcond;
    struct task *q_head, *q_tail;
    size_t q_n;
    struct seg *s_head, *s_tail;
    bool stop;
    size_t buffered; /* bytes of records buffered by all inputs (olock) */
    size_t active;   /* inputs being scanned by pool workers (qlock) */
    /* output order, another lock */
    pthread_mutex_t olock;
    pthread_cond_t ocond;
    struct task *o_head, *o_tail;
    struct task *free_tasks;
    size_t alive;
    size_t max_alive;
};

static pii_status fail(pii_error *err, pii_status code, const char *msg)
{
    if (err) {
        err->code = code;
        snprintf(err->msg, sizeof err->msg, "%s", msg);
    }
    return code;
}

static pii_status err_nomem(pii_error *err)
{
    return fail(err, PII_ERR_NOMEM, "out of memory");
}

static bool par_broken(struct par *p)
{
    return p->r->out_broken;
}

/* ---- applying records to the sinks (olock held) ---------------------------------------- */

static void apply(struct par *p, enum ev_kind k, const pii_finding *f, const char *path,
                  const char *member, const char *msg, const uint64_t *n)
{
    struct run *r = p->r;
    switch (k) {
    case EV_INPUT: {
        struct input_stats *in = run_input_new(r, path);
        r->files++;
        r->cur = in;
        r->cur_path = in ? in->path : path;
        break;
    }
    case EV_FINDING:
        r->cur_member = member ? member : "";
        sink_finding(r, f);
        r->cur_member = "";
        break;
    case EV_ERROR:
        sink_error(r, path, member, msg);
        break;
    case EV_SKIPPED:
        sink_skipped(r, path, member, msg);
        break;
    case EV_BYTES:
        sink_bytes(r, member, n[0]);
        break;
    case EV_SOURCE:
        r->members += n[0];
        r->compressed_bytes += n[1];
        r->expanded_bytes += n[2];
        break;
    case EV_END:
        r->cur = NULL;
        r->cur_path = NULL;
        break;
    }
}

static bool arena_add(char **a, size_t *len, size_t *cap, const void *s, size_t n, size_t *off)
{
    if (*len + n + 1 > *cap) {
        size_t nc = *cap ? *cap * 2 : 4096;
        while (nc < *len + n + 1) nc *= 2;
        char *na = realloc(*a, nc);
        if (!na) return false;
        *a = na;
        *cap = nc;
    }
    if (n) memcpy(*a + *len, s, n);
    (*a)[*len + n] = 0;
    *off = *len;
    *len += n + 1;
    return true;
}

static bool ev_push(struct evbuf *b, enum ev_kind k, const pii_finding *f, const char *path,
                    const char *member, const char *msg, const uint64_t *n)
{
    if (b->n == b->cap) {
        size_t nc = b->cap ? b->cap * 2 : 64;
        struct ev *nv = realloc(b->v, nc * sizeof *nv);
        if (!nv) return false;
        b->v = nv;
        b->cap = nc;
    }
    struct ev *e = &b->v[b->n];
    memset(e, 0, sizeof *e);
    e->kind = k;
    const char *strs[3] = {path, member, msg};
    for (int i = 0; i < 3; i++) {
        e->s[i] = SIZE_MAX;
        if (strs[i] &&
            !arena_add(&b->arena, &b->alen, &b->acap, strs[i], strlen(strs[i]), &e->s[i]))
            return false;
    }
    if (f) {
        size_t mo, no, ro = 0;
        if (!arena_add(&b->arena, &b->alen, &b->acap, f->match, f->length, &mo) ||
            !arena_add(&b->arena, &b->alen, &b->acap, f->normalized, f->normalized_len, &no) ||
            (f->allow_reason_len &&
             !arena_add(&b->arena, &b->alen, &b->acap, f->allow_reason, f->allow_reason_len, &ro)))
            return false;
        e->f = *f;
        e->f.match = (const uint8_t *)(uintptr_t)mo;
        e->f.normalized = (const char *)(uintptr_t)no;
        e->f.allow_reason = (const char *)(uintptr_t)ro;
    }
    if (n) memcpy(e->n, n, sizeof e->n);
    b->n++;
    return true;
}

static size_t ev_bytes(const struct evbuf *b)
{
    return b->alen + b->n * sizeof(struct ev);
}

static void ev_replay(struct par *p, struct evbuf *b)
{
    for (size_t i = 0; i < b->n; i++) {
        struct ev *e = &b->v[i];
        const char *s[3];
        for (int k = 0; k < 3; k++) s[k] = e->s[k] == SIZE_MAX ? NULL : b->arena + e->s[k];
        pii_finding f = e->f;
        if (e->kind == EV_FINDING) {
            f.match = (const uint8_t *)b->arena + (uintptr_t)e->f.match;
            f.normalized = b->arena + (uintptr_t)e->f.normalized;
            f.allow_reason = f.allow_reason_len ? b->arena + (uintptr_t)e->f.allow_reason : NULL;
        }
        apply(p, e->kind, &f, s[0], s[1], s[2], e->n);
    }
    p->buffered -= ev_bytes(b);
    b->n = b->alen = 0;
}

/* A record of task t: to the sinks now when t is the oldest input not yet released, else
 * buffered; an input that buffers too much waits for its turn (memory stays bounded). */
static void emit_locked(struct par *p, struct task *t, enum ev_kind k, const pii_finding *f,
                        const char *path, const char *member, const char *msg, const uint64_t *n)
{
    if (p->o_head == t) {
        apply(p, k, f, path, member, msg, n);
        return;
    }
    size_t before = ev_bytes(&t->ev);
    if (!ev_push(&t->ev, k, f, path, member, msg, n)) {
        /* out of memory: wait for the turn, then apply directly */
        while (p->o_head != t) pthread_cond_wait(&p->ocond, &p->olock);
        p->buffered += ev_bytes(&t->ev) - before;
        ev_replay(p, &t->ev);
        apply(p, k, f, path, member, msg, n);
        return;
    }
    p->buffered += ev_bytes(&t->ev) - before;
    if (p->buffered > (size_t)p->n_thr * EV_BUDGET_PER_THR)
        while (p->o_head != t) pthread_cond_wait(&p->ocond, &p->olock);
}

static void emit(struct par *p, struct task *t, enum ev_kind k, const pii_finding *f,
                 const char *path, const char *member, const char *msg, const uint64_t *n)
{
    pthread_mutex_lock(&p->olock);
    emit_locked(p, t, k, f, path, member, msg, n);
    pthread_mutex_unlock(&p->olock);
}

/* Marks t finished and releases every finished input at the head of the order. */
static void task_done(struct par *p, struct task *t)
{
    pthread_mutex_lock(&p->olock);
    t->done = true;
    while (p->o_head && p->o_head->done) {
        struct task *h = p->o_head;
        ev_replay(p, &h->ev);
        p->o_head = h->next_order;
        if (!p->o_head) p->o_tail = NULL;
        free(h->name);
        h->name = NULL;
        /* a recycled task keeps small buffers, not what a finding-heavy input grew */
        if (h->ev.acap > (1u << 20) || h->ev.cap * sizeof(struct ev) > (1u << 20)) {
            free(h->ev.v);
            free(h->ev.arena);
            h->ev = (struct evbuf){0};
        }
        h->next_q = p->free_tasks;
        p->free_tasks = h;
        p->alive--;
        /* the new head's buffered records go out before the ones it emits from now on */
        if (p->o_head) ev_replay(p, &p->o_head->ev);
    }
    pthread_cond_broadcast(&p->ocond);
    pthread_mutex_unlock(&p->olock);
}

/* A new entry at the end of the output order (waits while too many are alive). */
static struct task *task_new(struct par *p, const char *name, int fd, bool work)
{
    pthread_mutex_lock(&p->olock);
    while (p->alive >= p->max_alive) pthread_cond_wait(&p->ocond, &p->olock);
    struct task *t = p->free_tasks;
    if (t)
        p->free_tasks = t->next_q;
    else
        t = calloc(1, sizeof *t);
    if (t) {
        t->name = strdup(name);
        if (!t->name) {
            t->next_q = p->free_tasks;
            p->free_tasks = t;
            t = NULL;
        }
    }
    if (t) {
        t->fd = fd;
        t->work = work;
        t->done = false;
        t->next_order = t->next_q = NULL;
        t->ev.n = t->ev.alen = 0;
        if (p->o_tail)
            p->o_tail->next_order = t;
        else
            p->o_head = t;
        p->o_tail = t;
        p->alive++;
    }
    pthread_mutex_unlock(&p->olock);
    return t;
}

/* ---- segments -------------------------------------------------------------------------- */

static int seg_collect(const pii_finding *f, void *user)
{
    struct seg *s = user;
    if (s->nf == s->capf) {
        size_t nc = s->capf ? s->capf * 2 : 256;
        struct found *nv = realloc(s->fv, nc * sizeof *nv);
        if (!nv) return 1;
        s->fv = nv;
        s->capf = nc;
    }
    struct found *d = &s->fv[s->nf];
    d->reason_off = 0;
    if (!arena_add(&s->arena, &s->alen, &s->acap, f->match, f->length, &d->match_off) ||
        !arena_add(&s->arena, &s->alen, &s->acap, f->normalized, f->normalized_len, &d->norm_off) ||
        (f->allow_reason_len && !arena_add(&s->arena, &s->alen, &s->acap, f->allow_reason,
                                           f->allow_reason_len, &d->reason_off)))
        return 1;
    d->f = *f; /* its pointers are into the segment's buffer: the arena's copies are used */
    s->nf++;
    return 0;
}

static void seg_scan(struct worker *w, struct seg *s)
{
    s->nf = s->alen = 0;
    s->err = (pii_error)PII_ERROR_INIT;
    if (s->head) pii_scan_segment_head(w->sc, s->head->b, s->head->len, s->head->final);
    s->st =
        pii_scan_segment(w->sc, s->buf, s->len, s->from, s->to, seg_collect, s, &s->info, &s->err);
    if (s->st == PII_STOP) s->st = err_nomem(&s->err);
}

/* Runs one queued segment if there is one (qlock held; released while scanning). */
static bool help_one(struct worker *w)
{
    struct par *p = w->p;
    struct seg *s = p->s_head;
    if (!s) return false;
    p->s_head = s->next_q;
    if (!p->s_head) p->s_tail = NULL;
    s->state = SEG_RUNNING;
    pthread_mutex_unlock(&p->qlock);
    seg_scan(w, s);
    pthread_mutex_lock(&p->qlock);
    s->state = SEG_DONE;
    pthread_cond_broadcast(&p->qcond);
    return true;
}

static void seg_submit(struct worker *w, struct seg *s, bool inline_scan)
{
    struct par *p = w->p;
    if (inline_scan || p->n_thr <= 1) {
        seg_scan(w, s);
        s->state = SEG_DONE;
        return;
    }
    pthread_mutex_lock(&p->qlock);
    s->state = SEG_QUEUED;
    s->next_q = NULL;
    if (p->s_tail)
        p->s_tail->next_q = s;
    else
        p->s_head = s;
    p->s_tail = s;
    pthread_cond_signal(&p->qcond);
    pthread_mutex_unlock(&p->qlock);
}

static void seg_wait(struct worker *w, struct seg *s)
{
    struct par *p = w->p;
    /* under the lock even when it looks done: its results were written by another thread */
    pthread_mutex_lock(&p->qlock);
    while (s->state != SEG_DONE)
        if (!help_one(w)) pthread_cond_wait(&p->qcond, &p->qlock);
    pthread_mutex_unlock(&p->qlock);
}

/* ---- one member: segments out, findings joined back in order ----------------------------- */

struct member_ctx {
    struct worker *w;
    struct task *t;
    const char *member;
    size_t first, n; /* in-flight segments: ring[first .. first+n) */
    struct member_head head;
    pii_status scan_st;
    pii_error scan_err;
};

/* Waits for the oldest in-flight segment, joins and emits its findings, frees it. */
static void member_release(struct member_ctx *m)
{
    struct worker *w = m->w;
    struct seg *s = &w->ring[m->first];
    seg_wait(w, s);
    if (m->scan_st == PII_OK && s->st != PII_OK) {
        m->scan_st = s->st;
        m->scan_err = s->err;
    }
    if (m->scan_st == PII_OK) {
        pii_join_segment_begin(w->join, s->from);
        /* one lock for the segment's findings, not one per finding */
        pthread_mutex_lock(&w->p->olock);
        for (size_t i = 0; i < s->nf && !par_broken(w->p); i++) {
            pii_finding f = s->fv[i].f;
            f.match = (const uint8_t *)s->arena + s->fv[i].match_off;
            f.normalized = s->arena + s->fv[i].norm_off;
            f.allow_reason = f.allow_reason_len ? s->arena + s->fv[i].reason_off : NULL;
            if (pii_join_finding(w->join, &f))
                emit_locked(w->p, m->t, EV_FINDING, &f, NULL, m->member, NULL, NULL);
        }
        pthread_mutex_unlock(&w->p->olock);
        pii_join_segment_end(w->join, s->to, &s->info);
    }
    s->state = SEG_FREE;
    m->first = (m->first + 1) % w->n_ring;
    m->n--;
}

static struct seg *member_slot(struct member_ctx *m)
{
    struct worker *w = m->w;
    if (m->n == w->n_ring) member_release(m);
    struct seg *s = &w->ring[(m->first + m->n) % w->n_ring];
    if (!s->buf) {
        s->cap = w->p->seg_size + PII_SEGMENT_BEFORE + PII_SEGMENT_AFTER;
        s->buf = malloc(s->cap);
        if (!s->buf) return NULL;
    }
    return s;
}

/* Scans one member whose first read already happened (b, len, st); returns the read status. */
static pii_status scan_member(struct worker *w, struct task *t, pii_source *src,
                              const pii_member *mb, bool *have_input, bool *skipped_whole,
                              pii_error *rerr)
{
    struct par *p = w->p;
    struct member_ctx m = {.w = w, .t = t, .member = mb->name};
    const size_t S = p->seg_size;
    struct seg *cur = member_slot(&m);
    if (!cur) {
        emit(p, t, EV_ERROR, NULL, t->name, mb->name, "out of memory", NULL);
        return PII_OK;
    }
    cur->len = cur->from = 0;
    pii_status st = PII_OK;
    bool sniffed = false;
    uint64_t bytes = 0;
    for (;;) {
        const void *b = NULL;
        size_t len = 0;
        st = pii_source_read(src, &b, &len, rerr);
        const uint8_t *q = b;
        while (!st && len) {
            size_t room = cur->cap - cur->len, k = len < room ? len : room;
            memcpy(cur->buf + cur->len, q, k);
            cur->len += k;
            bytes += k;
            q += k;
            len -= k;
            if (cur->len < cur->cap) break;
            /* full: [from, from + S) is a segment with all its look-ahead */
            if (!sniffed) {
                sniffed = true;
                if (!p->r->o->binary && memchr(cur->buf, 0, BINARY_SNIFF)) goto binary;
                if (!*have_input) {
                    emit(p, t, EV_INPUT, NULL, t->name, NULL, NULL, NULL);
                    *have_input = true;
                }
                pii_join_begin(w->join);
            }
            cur->to = cur->from + S;
            if (cur->from == 0) { /* the member's first segment: its head, more follows */
                m.head.len = cur->len < PII_SEGMENT_HEAD ? cur->len : PII_SEGMENT_HEAD;
                memcpy(m.head.b, cur->buf, m.head.len);
                m.head.final = false;
            }
            cur->head = &m.head;
            size_t keep_from = cur->to > PII_SEGMENT_BEFORE ? cur->to - PII_SEGMENT_BEFORE : 0;
            m.n++;
            seg_submit(w, cur, false);
            struct seg *next = member_slot(&m);
            if (!next) {
                st = err_nomem(rerr);
                break;
            }
            next->len = cur->len - keep_from;
            memcpy(next->buf, cur->buf + keep_from, next->len);
            next->from = cur->to - keep_from;
            cur = next;
            if (par_broken(p)) break;
        }
        if (st || par_broken(p)) break;
    }
    /* the tail: whatever was read, also before a read error */
    if (!sniffed) {
        size_t sn = cur->len < BINARY_SNIFF ? cur->len : BINARY_SNIFF;
        if (!p->r->o->binary && memchr(cur->buf, 0, sn)) goto binary;
        if (!*have_input) {
            emit(p, t, EV_INPUT, NULL, t->name, NULL, NULL, NULL);
            *have_input = true;
        }
        pii_join_begin(w->join);
    }
    cur->to = cur->len;
    if (cur->from == 0) { /* the whole member is this one segment */
        m.head.len = cur->len < PII_SEGMENT_HEAD ? cur->len : PII_SEGMENT_HEAD;
        memcpy(m.head.b, cur->buf, m.head.len);
        m.head.final = cur->len <= PII_SEGMENT_HEAD;
    }
    cur->head = &m.head;
    m.n++;
    seg_submit(w, cur, true);
    while (m.n) member_release(&m);
    emit(p, t, EV_BYTES, NULL, NULL, mb->name, NULL, (uint64_t[3]){bytes, 0, 0});
    if (m.scan_st && m.scan_st != PII_STOP)
        emit(p, t, EV_ERROR, NULL, t->name, mb->name,
             m.scan_err.msg[0] ? m.scan_err.msg : pii_status_str(m.scan_st), NULL);
    return st;
binary:
    emit(p, t, EV_SKIPPED, NULL, t->name, mb->name, "binary", NULL);
    if (mb->depth == 0) *skipped_whole = true;
    while (m.n) member_release(&m);
    /* the rest of a binary member is not read (the next member skips it) */
    return st;
}

/* Scans every member of one input. */
static void scan_task(struct worker *w, struct task *t)
{
    struct par *p = w->p;
    int fd = t->fd;
    bool opened = false;
    if (fd < 0) {
        fd = open(t->name, O_RDONLY | O_CLOEXEC | O_NOCTTY);
        if (fd < 0) {
            char msg[300];
            snprintf(msg, sizeof msg, "cannot open: %s", strerror(errno));
            emit(p, t, EV_ERROR, NULL, t->name, NULL, msg, NULL);
            return;
        }
        opened = true;
        posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL);
    }
    pii_source *src = NULL;
    pii_error err = PII_ERROR_INIT;
    if (pii_source_open_fd(fd, t->name, &p->r->o->src, &src, &err)) {
        emit(p, t, EV_ERROR, NULL, t->name, NULL, err.msg, NULL);
        if (opened) close(fd);
        return;
    }
    bool have_input = false, skipped_whole = false;
    const pii_member *m;
    while (!par_broken(p)) {
        pii_status st = pii_source_next_member(src, &m, &err);
        if (st == PII_END) break;
        if (st < 0) {
            emit(p, t, EV_ERROR, NULL, t->name, pii_source_error_member(src), err.msg, NULL);
            if (st == PII_ERR_NOMEM) break;
            continue;
        }
        if (m->skip) {
            emit(p, t, EV_SKIPPED, NULL, t->name, m->name, m->skip, NULL);
            continue;
        }
        pii_error rerr = PII_ERROR_INIT;
        st = scan_member(w, t, src, m, &have_input, &skipped_whole, &rerr);
        if (st < 0)
            emit(p, t, EV_ERROR, NULL, t->name, pii_source_error_member(src), rerr.msg, NULL);
    }
    /* an archive with nothing readable in it was still an input (not a skipped one) */
    if (!have_input && !skipped_whole) emit(p, t, EV_INPUT, NULL, t->name, NULL, NULL, NULL);
    pii_source_stats ss;
    pii_source_stats_get(src, &ss);
    emit(p, t, EV_SOURCE, NULL, NULL, NULL, NULL,
         (uint64_t[3]){ss.members, ss.compressed_bytes, ss.expanded_bytes});
    emit(p, t, EV_END, NULL, NULL, NULL, NULL, NULL);
    pii_source_free(src);
    if (opened) close(fd);
}

/* ---- the pool ---------------------------------------------------------------------------- */

static void *worker_main(void *arg)
{
    struct worker *w = arg;
    struct par *p = w->p;
    pthread_mutex_lock(&p->qlock);
    for (;;) {
        if (help_one(w)) continue; /* segments first: they hold memory and an input's turn */
        struct task *t = p->q_head;
        if (t) {
            p->q_head = t->next_q;
            if (!p->q_head) p->q_tail = NULL;
            p->q_n--;
            p->active++;
            pthread_cond_broadcast(&p->qcond);
            pthread_mutex_unlock(&p->qlock);
            if (!par_broken(p)) scan_task(w, t);
            task_done(p, t);
            pthread_mutex_lock(&p->qlock);
            if (--p->active == 0) pthread_cond_broadcast(&p->qcond);
            continue;
        }
        /* an input still being read queues segments for idle workers: stay until none is */
        if (p->stop && p->active == 0) break;
        pthread_cond_wait(&p->qcond, &p->qlock);
    }
    pthread_mutex_unlock(&p->qlock);
    return NULL;
}

static bool worker_init(struct par *p, struct worker *w, const pii_scan_opts *so, pii_error *err)
{
    w->p = p;
    if (pii_scanner_new(p->r->eng, so, &w->sc, err) || pii_join_new(p->r->eng, &w->join, err))
        return false;
    size_t per = p->seg_size + PII_SEGMENT_BEFORE + PII_SEGMENT_AFTER;
    size_t n = p->n_thr + 2, budget = SEG_BUDGET / per;
    if (n > budget) n = budget;
    if (n < 2) n = 2;
    if (p->n_thr <= 1) n = 2; /* one thread: the segment being read and the one being scanned */
    w->ring = calloc(n, sizeof *w->ring);
    w->n_ring = n;
    if (!w->ring) {
        err_nomem(err);
        return false;
    }
    return true;
}

static void worker_release(struct worker *w)
{
    for (size_t i = 0; i < w->n_ring; i++) {
        free(w->ring[i].buf);
        free(w->ring[i].fv);
        free(w->ring[i].arena);
    }
    free(w->ring);
    pii_join_free(w->join);
    pii_scanner_free(w->sc);
}

bool par_start(struct run *r, unsigned threads, size_t seg_size, const pii_scan_opts *so,
               pii_error *err)
{
    struct par *p = calloc(1, sizeof *p);
    if (!p) return err_nomem(err) == PII_OK;
    r->par = p;
    p->r = r;
    p->n_thr = threads ? threads : 1;
    p->seg_size = seg_size ? seg_size : SEG_DEFAULT;
    if (p->seg_size < BINARY_SNIFF) p->seg_size = BINARY_SNIFF;
    p->max_alive = (size_t)p->n_thr * TASKS_PER_THR;
    pthread_mutex_init(&p->qlock, NULL);
    pthread_cond_init(&p->qcond, NULL);
    pthread_mutex_init(&p->olock, NULL);
    pthread_cond_init(&p->ocond, NULL);
    /* one thread: the walking thread scans with worker 0 and there is no pool thread */
    p->n_w = p->n_thr;
    p->w = calloc(p->n_w, sizeof *p->w);
    if (!p->w) return err_nomem(err) == PII_OK;
    for (size_t i = 0; i < p->n_w; i++)
        if (!worker_init(p, &p->w[i], so, err)) return false;
    if (p->n_thr > 1)
        for (size_t i = 0; i < p->n_w; i++)
            if (pthread_create(&p->w[i].th, NULL, worker_main, &p->w[i]) != 0) {
                p->n_w = i;
                fail(err, PII_ERR_NOMEM, "cannot start a thread");
                return false;
            }
    return true;
}

void par_input(struct run *r, const char *name, int fd)
{
    struct par *p = r->par;
    struct task *t = task_new(p, name, fd, true);
    if (!t) {
        sink_error(r, name, NULL, "out of memory");
        return;
    }
    if (p->n_thr <= 1) { /* one thread: the walking thread scans */
        scan_task(&p->w[0], t);
        task_done(p, t);
        return;
    }
    pthread_mutex_lock(&p->qlock);
    t->next_q = NULL;
    if (p->q_tail)
        p->q_tail->next_q = t;
    else
        p->q_head = t;
    p->q_tail = t;
    p->q_n++;
    pthread_cond_signal(&p->qcond);
    pthread_mutex_unlock(&p->qlock);
}

void par_record(struct run *r, bool skipped, const char *path, const char *member, const char *msg)
{
    struct par *p = r->par;
    if (!p) {
        if (skipped)
            sink_skipped(r, path, member, msg);
        else
            sink_error(r, path, member, msg);
        return;
    }
    struct task *t = task_new(p, path, -1, false);
    if (!t) {
        sink_error(r, path, NULL, "out of memory");
        return;
    }
    emit(p, t, skipped ? EV_SKIPPED : EV_ERROR, NULL, path, member, msg, NULL);
    task_done(p, t);
}

void par_finish(struct run *r)
{
    struct par *p = r->par;
    if (!p) return;
    pthread_mutex_lock(&p->qlock);
    p->stop = true;
    pthread_cond_broadcast(&p->qcond);
    pthread_mutex_unlock(&p->qlock);
    if (p->n_thr > 1)
        for (size_t i = 0; i < p->n_w; i++) pthread_join(p->w[i].th, NULL);
    for (size_t i = 0; i < p->n_thr && p->w; i++) worker_release(&p->w[i]);
    free(p->w);
    while (p->free_tasks) {
        struct task *t = p->free_tasks;
        p->free_tasks = t->next_q;
        free(t->ev.v);
        free(t->ev.arena);
        free(t);
    }
    pthread_mutex_destroy(&p->qlock);
    pthread_cond_destroy(&p->qcond);
    pthread_mutex_destroy(&p->olock);
    pthread_cond_destroy(&p->ocond);
    free(p);
    r->par = NULL;
}
