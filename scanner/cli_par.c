/* cli_par.c: scanning with -j threads and output identical to one thread: the walking thread
 * scans while there is little to do, then a pool of -j - 1 threads and the walker take whole
 * inputs from a bounded queue; an input is cut into segments that any thread may match
 * (pii_scan_segment) and that its reader joins in order (pii_join), the segments of successive
 * archive members in flight together; records reach the sinks in input order. */
#define _GNU_SOURCE
#include "cli.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <unistd.h>

#define BINARY_SNIFF 8192
#define SEG_DEFAULT  (1u << 20)
#define SEG_BUDGET   (12u << 20) /* segment buffers one reader may hold */
/* Records all inputs together may buffer while waiting for their turn, per thread; past it,
 * an input that is not the oldest waits (memory stays bounded however many finish early). */
#define EV_BUDGET_PER_THR (8u << 20)
/* Inputs queued or waiting for their turn, per thread: enough small files that a thread never
 * runs dry while the walker is off the CPU (on a loaded machine, for milliseconds): 64 of 4 KB
 * are ~1.5 ms of work; 256 ran no faster and touched 500 more pages (bench/RESULTS.md) */
#define TASKS_PER_THR 64
/* Record buffers that finished inputs keep for the next ones, in all */
#define KEPT_MAX (4u << 20)
/* Records a reader keeps behind segments still being matched (skipped members, errors)
 * before it waits for those segments: bounded however many members an archive skips. */
#define AFTER_MAX (64u << 10)
/* Threads start only when there is enough to share: the first inputs are scanned by the
 * walking thread itself until INLINE_INPUTS inputs or INLINE_BYTES bytes were scanned, or an
 * input has a second segment (or an archive a second member) to hand over. A one-line file or
 * a commit's handful of small files then costs no thread start. Measured here: creating and
 * joining a thread 25 us, one 4 KB file 35-45 us of CPU, 1 MiB about 3 ms; so the pool could
 * save at most half of 1-3 ms below these limits, and a sleeping thread woken on a busy machine
 * costs milliseconds. */
#define INLINE_INPUTS 32u
#define INLINE_BYTES  (1u << 20)
#define PUSH_BATCH    8u  /* inputs the walker queues under one lock */
#define TAKE_MAX      16u /* inputs a thread takes from the queue under one lock */

/* ---- records: what the sinks receive, applied at once or buffered until the input's turn -- */

enum ev_kind {
    EV_INPUT,
    EV_FINDING,
    EV_ERROR,
    EV_SKIPPED,
    EV_BYTES,
    EV_SOURCE,
    EV_END,
    EV_MEMBER_END, /* a reader's marker: the member's scan error, if any, goes here */
    EV_COUNT,      /* findings counted, not kept (sink_counts_only): n = {detector,
                    * categories, count | allowed << 32} */
    EV_DATA,       /* --redact: bytes of the copy (the message, n[0] bytes long) */
};

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
    struct par_dir *dir;     /* and relative to this directory, as name + base */
    size_t base;
    /* a regular file as the walk's readdir said, on a local file system: no fstat, a short
     * read is its end (PII_SOURCE_REGULAR_FILE) */
    bool regular;
    bool done;
    struct evbuf ev;
    size_t kept; /* capacity of ev counted in par.kept while on the free list */
};

/* The first bytes of a member: what a streaming pass learns from a stream's start. */
struct member_head {
    uint8_t b[PII_SEGMENT_HEAD];
    size_t len;
    bool final;
};

struct found {
    pii_finding f;
    size_t match_off, norm_off, reason_off;
};

/* A finding the sinks only count (par.counts_only): what the join and the tally read of it,
 * a fifth of a struct found (a segment of logs has thousands). */
struct bare {
    uint64_t offset; /* in the segment's buffer */
    uint32_t det, length;
    pii_category ccpa;
    uint32_t allowed;
};

enum { SEG_FREE, SEG_QUEUED, SEG_RUNNING, SEG_DONE };

struct seg {
    uint8_t *buf;
    size_t cap, len, from, to;
    struct found *fv; /* its findings, or (par.counts_only) bv */
    struct bare *bv;
    size_t nf, capf, capb;
    char *arena;
    size_t alen, acap;
    pii_segment_info info;
    pii_status st;
    pii_error err;
    int state;   /* SEG_FREE … SEG_DONE */
    bool pooled; /* handed to the pool (seg_submit): its state and results are another thread's */
    struct seg *next_q;
    bool first;              /* its member's first segment: the join starts there */
    char *member;            /* its member's name chain (a copy: the source moves on) */
    size_t member_cap;       /* of `member` */
    struct member_head head; /* its member's first bytes (pii_scan_segment_head) */
    struct evbuf after;      /* records the reader emitted after it, released with it */
};

/* The findings of one segment, counted by detector and categories in order of first
 * appearance, when the sinks only count them (sink_counts_only): a few records per segment
 * instead of one per finding, and no copy of their values. */
struct tally_group {
    uint32_t det, ccpa, n, allowed; /* n < 2^32: a segment holds fewer findings than bytes */
};

struct tally {
    struct tally_group *g;
    size_t n, cap;
    uint32_t *last; /* [detectors]: 1 + the index in g of the detector's newest group, 0: none */
};

/* A thread that scans: worker 0 is the walking thread's, the others are the pool's. */
struct worker {
    struct par *p;
    pthread_t th;
    bool running; /* th was started */
    pii_scanner *sc;
    pii_join *join;
    struct seg *ring; /* segments this worker reads into, reused across inputs */
    size_t n_ring;
    struct seg **fifo;  /* [n_ring] those in flight, a circular queue (struct reader) */
    struct seg **spare; /* [n_ring] the others, the last freed on top (its pages are warm) */
    size_t n_spare;
    uint64_t bytes;      /* read by this worker (the walker's decides when the pool starts) */
    struct evbuf before; /* its reader's records with no segment in flight (struct reader) */
    pii_source *src;     /* reused input after input: its buffers are allocated once */
    struct evbuf stage;  /* its reader's records gathered without olock (struct reader) */
    struct tally tally;  /* a segment's findings counted (par.counts_only) */
    struct redactor red; /* --redact: its reader's member's copy */
};

struct par {
    struct run *r;
    unsigned n_thr;
    size_t seg_size;
    pii_scan_opts so;
    struct worker *w; /* [n_thr] */
    bool pool_on;     /* the pool runs (set by the walker before the threads start) */
    bool pool_failed; /* it could not start: the walker scans everything */
    unsigned n_inline;
    struct task *pend_head, *pend_tail; /* inputs the walker has yet to queue (one lock for some) */
    size_t n_pend;
    /* work: inputs and segments, one lock */
    pthread_mutex_t qlock;
    pthread_cond_t qcond;
    struct task *q_head, *q_tail;
    _Atomic size_t q_n; /* inputs queued (written under qlock) */
    struct seg *s_head, *s_tail;
    bool stop;
    size_t active; /* inputs being scanned from the queue (qlock) */
    /* output order, another lock */
    pthread_mutex_t olock;
    pthread_cond_t ocond;
    /* the oldest input not released: read without olock by its own scanning thread, which
     * alone can release it (so once it sees itself here, it stays here) */
    struct task *_Atomic o_head;
    struct task *o_tail;
    struct task *free_tasks;
    size_t buffered; /* bytes of records buffered by all inputs (olock) */
    /* a thread applies records to the sinks, outside olock (set and cleared under it): the
     * others hand theirs over and go on (drain_locked), none waits for the sinks */
    bool sinking;
    struct evbuf spare;    /* an emptied record buffer kept by the sinks' side (olock) */
    size_t budget;         /* for `buffered`, past which an input waits for its turn */
    size_t kept;           /* capacity of the buffers of tasks on the free list (olock) */
    _Atomic size_t alive;  /* entries of the output order (written under olock) */
    _Atomic bool w_asleep; /* the walker sleeps until `alive` is down to half */
    size_t max_alive;
    bool counts_only; /* the sinks only count findings: segments tally theirs (struct tally) */
    /* --redact: each detector's id, the token its findings become (the reader copies each
     * segment, cli_redact.c); NULL: no copy */
    const char **redact_ids;
    bool no_direct;  /* a test hook: plain files are read through the source (read_direct) */
    size_t take_max; /* a test hook: inputs taken at once whatever the queue's length (0: by it) */
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

/* ---- applying records to the sinks (by the thread that owns them: p->sinking) ---------- */

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
    case EV_MEMBER_END: /* resolved by the reader before it gets here */
        break;
    case EV_DATA:
        sink_data(r, msg, (size_t)n[0]);
        break;
    case EV_COUNT:
        r->cur_member = member ? member : "";
        sink_count(r, (size_t)n[0], (pii_category)n[1], n[2] & 0xffffffffu, n[2] >> 32);
        r->cur_member = "";
        break;
    }
    progress_publish(r, k == EV_END);
}

static bool arena_add(char **a, size_t *len, size_t *cap, const void *s, size_t n, size_t *off)
{
    char *na = grow_array(*a, cap, *len + n + 1, 1, 1024);
    if (!na) return false;
    *a = na;
    if (n) memcpy(*a + *len, s, n);
    (*a)[*len + n] = 0;
    *off = *len;
    *len += n + 1;
    return true;
}

static bool ev_push(struct evbuf *b, enum ev_kind k, const pii_finding *f, const char *path,
                    const char *member, const char *msg, const uint64_t *n)
{
    struct ev *nv = grow_array(b->v, &b->cap, b->n + 1, sizeof *nv, 16);
    if (!nv) return false;
    b->v = nv;
    struct ev *e = &b->v[b->n];
    memset(e, 0, sizeof *e);
    e->kind = k;
    const char *strs[3] = {path, member, msg};
    for (int i = 0; i < 3; i++) {
        e->s[i] = SIZE_MAX;
        size_t len = i == 2 && k == EV_DATA ? (size_t)n[0] : strs[i] ? strlen(strs[i]) : 0;
        if (strs[i] && !arena_add(&b->arena, &b->alen, &b->acap, strs[i], len, &e->s[i]))
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

/* Record i of b, its pointers back into b's arena. */
static const struct ev *ev_get(const struct evbuf *b, size_t i, pii_finding *f, const char *s[3])
{
    const struct ev *e = &b->v[i];
    for (int k = 0; k < 3; k++) s[k] = e->s[k] == SIZE_MAX ? NULL : b->arena + e->s[k];
    *f = e->f;
    if (e->kind == EV_FINDING) {
        f->match = (const uint8_t *)b->arena + (uintptr_t)e->f.match;
        f->normalized = b->arena + (uintptr_t)e->f.normalized;
        f->allow_reason = f->allow_reason_len ? b->arena + (uintptr_t)e->f.allow_reason : NULL;
    }
    return e;
}

/* The records of b to the sinks, in order; b is emptied (by the thread that owns the sinks:
 * p->sinking). */
static void ev_apply(struct par *p, struct evbuf *b)
{
    for (size_t i = 0; i < b->n; i++) {
        pii_finding f;
        const char *s[3];
        const struct ev *e = ev_get(b, i, &f, s);
        apply(p, e->kind, &f, s[0], s[1], s[2], e->n);
    }
    b->n = b->alen = 0;
}

/* The records of src after those of dst; src is emptied. false: out of memory (both as they
 * were). */
static bool ev_append(struct evbuf *dst, struct evbuf *src)
{
    if (!dst->n) { /* the common case: the buffers change hands */
        struct evbuf t = *dst;
        *dst = *src;
        *src = t;
        src->n = src->alen = 0;
        return true;
    }
    struct ev *nv = grow_array(dst->v, &dst->cap, dst->n + src->n, sizeof *nv, 16);
    if (!nv) return false;
    dst->v = nv;
    char *na = grow_array(dst->arena, &dst->acap, dst->alen + src->alen + 1, 1, 1024);
    if (!na) return false;
    dst->arena = na;
    memcpy(dst->arena + dst->alen, src->arena, src->alen);
    for (size_t i = 0; i < src->n; i++) {
        struct ev *e = &dst->v[dst->n + i];
        *e = src->v[i];
        for (int k = 0; k < 3; k++)
            if (e->s[k] != SIZE_MAX) e->s[k] += dst->alen;
        if (e->kind == EV_FINDING) {
            e->f.match = (const uint8_t *)((uintptr_t)e->f.match + dst->alen);
            e->f.normalized = (const char *)((uintptr_t)e->f.normalized + dst->alen);
            if (e->f.allow_reason_len)
                e->f.allow_reason = (const char *)((uintptr_t)e->f.allow_reason + dst->alen);
        }
    }
    dst->n += src->n;
    dst->alen += src->alen;
    src->n = src->alen = 0;
    return true;
}

static void ev_free(struct evbuf *b)
{
    free(b->v);
    free(b->arena);
    *b = (struct evbuf){0};
}

/* Applies, in order, the records of the oldest inputs and releases those that are done, until
 * the oldest is one still being scanned with nothing buffered (olock held; released while
 * applying). One thread at a time does this (p->sinking); another that finds it busy leaves its
 * records to it. true: the walker may be waiting for the releases (walker_wake, once olock is
 * released). */
static bool drain_locked(struct par *p)
{
    if (p->sinking) return false;
    p->sinking = true;
    bool released = false;
    for (;;) {
        struct task *h = p->o_head;
        if (!h) break;
        if (h->ev.n) { /* its buffered records, out of the lock (its thread may add more) */
            struct evbuf b = h->ev;
            h->ev = p->spare;
            p->spare = (struct evbuf){0};
            size_t bytes = ev_bytes(&b);
            pthread_mutex_unlock(&p->olock);
            ev_apply(p, &b);
            pthread_mutex_lock(&p->olock);
            p->buffered -= bytes;
            p->spare = b; /* emptied; only the applying thread touches spare */
            continue;
        }
        if (!h->done) break;
        p->o_head = h->next_order;
        if (!p->o_head) p->o_tail = NULL;
        free(h->name);
        h->name = NULL;
        /* a recycled task keeps its buffers while all those kept stay small */
        h->kept = h->ev.acap + h->ev.cap * sizeof(struct ev);
        if (p->kept + h->kept > KEPT_MAX) {
            ev_free(&h->ev);
            h->kept = 0;
        }
        p->kept += h->kept;
        h->next_q = p->free_tasks;
        p->free_tasks = h;
        size_t alive = atomic_fetch_sub(&p->alive, 1) - 1;
        released = released || alive <= p->max_alive / 2;
    }
    p->sinking = false;
    /* inputs waiting for their turn (budget, out of memory) or for the sinks */
    pthread_cond_broadcast(&p->ocond);
    return released;
}

/* Waits until t is the oldest input and owns the sinks, everything before it applied
 * (olock held). */
static void own_sinks_locked(struct par *p, struct task *t)
{
    for (;;) {
        while (p->o_head != t || p->sinking) pthread_cond_wait(&p->ocond, &p->olock);
        if (!t->ev.n) break;
        drain_locked(p); /* its own buffered records first */
    }
    p->sinking = true;
}

/* Gives up the sinks and applies what waits (olock held). */
static bool disown_sinks_locked(struct par *p)
{
    p->sinking = false;
    return drain_locked(p);
}

/* A record of task t (olock held), after its others: buffered, then applied in its turn by
 * whichever thread drains; an input that buffers too much waits for its turn (memory stays
 * bounded). The oldest input never waits here, so it always progresses, and every input
 * older than one that waits is the oldest or is being scanned (the queue is taken in order).
 * true: wake the walker (walker_wake, once olock is released). */
static bool emit_locked(struct par *p, struct task *t, enum ev_kind k, const pii_finding *f,
                        const char *path, const char *member, const char *msg, const uint64_t *n)
{
    size_t before = ev_bytes(&t->ev);
    if (!ev_push(&t->ev, k, f, path, member, msg, n)) {
        /* out of memory: in its turn, straight to the sinks */
        p->buffered += ev_bytes(&t->ev) - before;
        own_sinks_locked(p, t);
        pthread_mutex_unlock(&p->olock);
        apply(p, k, f, path, member, msg, n);
        pthread_mutex_lock(&p->olock);
        return disown_sinks_locked(p);
    }
    p->buffered += ev_bytes(&t->ev) - before;
    bool released = drain_locked(p);
    if (p->buffered > p->budget)
        while (p->o_head != t) pthread_cond_wait(&p->ocond, &p->olock);
    return released;
}

/* Marks t finished and releases every finished input at the head of the order (olock held).
 * true: the walker may be waiting for that (walker_wake, once olock is released). */
static bool task_done_locked(struct par *p, struct task *t)
{
    t->done = true;
    return drain_locked(p);
}

/* The walker sleeps on qcond (it also takes work); it set w_asleep before it last looked at
 * `alive`, and `alive` went down before this looks at w_asleep: one of them sees the other. */
static void walker_wake(struct par *p, bool released)
{
    if (released && atomic_load(&p->w_asleep)) {
        pthread_mutex_lock(&p->qlock);
        pthread_cond_broadcast(&p->qcond);
        pthread_mutex_unlock(&p->qlock);
    }
}

/* A record of the walk itself (t's only one), and t is done. */
static void emit_done(struct par *p, struct task *t, enum ev_kind k, const char *path,
                      const char *member, const char *msg)
{
    pthread_mutex_lock(&p->olock);
    bool released = emit_locked(p, t, k, NULL, path, member, msg, NULL);
    released = task_done_locked(p, t) || released;
    pthread_mutex_unlock(&p->olock);
    walker_wake(p, released);
}

static void task_done(struct par *p, struct task *t)
{
    pthread_mutex_lock(&p->olock);
    bool released = task_done_locked(p, t);
    pthread_mutex_unlock(&p->olock);
    walker_wake(p, released);
}

/* ---- directories: files opened relative to them ---------------------------------------- */

struct par_dir {
    int fd;
    _Atomic unsigned refs;
    bool whole_reads; /* on a local file system: see whole_reads_fs */
};

/* Whether a read of a regular file on the file system of fd returns less than asked only at
 * the file's end, so that PII_SOURCE_REGULAR_FILE may take a short read as the end: true of
 * the local disk and memory file systems, not promised by network or FUSE ones (a FUSE daemon
 * with direct_io returns what it likes), where the end is still asked for: nothing is lost
 * for the system call saved. */
static bool whole_reads_fs(int fd)
{
    struct statfs sf;
    if (fstatfs(fd, &sf) != 0) return false;
    switch ((unsigned long)sf.f_type) {
    case 0xEF53UL:     /* ext2, ext3, ext4 */
    case 0x58465342UL: /* xfs */
    case 0x9123683EUL: /* btrfs */
    case 0x01021994UL: /* tmpfs */
    case 0x858458F6UL: /* ramfs */
    case 0xF2F52010UL: /* f2fs */
    case 0x2FC12FC1UL: /* zfs */
    case 0x794C7630UL: /* overlayfs (containers) */
        return true;
    default:
        return false;
    }
}

/* Directories kept open at once: beyond, files are opened by their whole path (a tree of many
 * small directories would otherwise hold one descriptor per queued input). */
#define DIRS_MAX 64u
static _Atomic unsigned dirs_open;

struct par_dir *par_dir_new(int fd)
{
    if (atomic_fetch_add(&dirs_open, 1) >= DIRS_MAX) {
        atomic_fetch_sub(&dirs_open, 1);
        return NULL;
    }
    struct par_dir *d = malloc(sizeof *d);
    if (d) d->fd = fcntl(fd, F_DUPFD_CLOEXEC, 0);
    if (!d || d->fd < 0) {
        free(d);
        atomic_fetch_sub(&dirs_open, 1);
        return NULL;
    }
    atomic_init(&d->refs, 1);
    d->whole_reads = whole_reads_fs(d->fd);
    return d;
}

void par_dir_put(struct par_dir *d)
{
    if (d && atomic_fetch_sub(&d->refs, 1) == 1) {
        close(d->fd);
        free(d);
        atomic_fetch_sub(&dirs_open, 1);
    }
}

/* A new entry at the end of the output order. */
static struct task *task_new(struct par *p, const char *name, int fd)
{
    pthread_mutex_lock(&p->olock);
    struct task *t = p->free_tasks;
    if (t) {
        p->free_tasks = t->next_q;
        p->kept -= t->kept;
        t->kept = 0;
    } else
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
        t->dir = NULL;
        t->regular = false;
        t->base = 0;
        t->done = false;
        t->next_order = t->next_q = NULL;
        t->ev.n = t->ev.alen = 0;
        if (p->o_tail)
            p->o_tail->next_order = t;
        else
            p->o_head = t;
        p->o_tail = t;
        atomic_fetch_add(&p->alive, 1);
    }
    pthread_mutex_unlock(&p->olock);
    return t;
}

/* ---- segments -------------------------------------------------------------------------- */

static int seg_collect(const pii_finding *f, void *user)
{
    struct seg *s = user;
    struct found *nv = grow_array(s->fv, &s->capf, s->nf + 1, sizeof *nv, 256);
    if (!nv) return 1;
    s->fv = nv;
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

/* seg_collect when the sinks only count findings: what counting needs, no value. */
static int seg_collect_bare(const pii_finding *f, void *user)
{
    struct seg *s = user;
    struct bare *nv = grow_array(s->bv, &s->capb, s->nf + 1, sizeof *nv, 256);
    if (!nv) return 1;
    s->bv = nv;
    s->bv[s->nf++] = (struct bare){f->offset, (uint32_t)f->detector_index, (uint32_t)f->length,
                                   f->ccpa, f->allowed != 0};
    return 0;
}

static void seg_scan(struct worker *w, struct seg *s)
{
    s->nf = s->alen = 0;
    s->err = (pii_error)PII_ERROR_INIT;
    pii_scan_segment_head(w->sc, s->head.b, s->head.len, s->head.final);
    s->st =
        pii_scan_segment(w->sc, s->buf, s->len, s->from, s->to,
                         w->p->counts_only ? seg_collect_bare : seg_collect, s, &s->info, &s->err);
    if (s->st == PII_STOP) s->st = err_nomem(&s->err);
    progress_scanned(w->p->r, s->to - s->from);
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

static bool pool_start(struct par *p);

/* Hands a segment to whichever thread is free, or scans it here: with one thread, or when
 * the pool cannot start. */
static void seg_submit(struct worker *w, struct seg *s)
{
    struct par *p = w->p;
    if (!p->pool_on && !pool_start(p)) {
        seg_scan(w, s);
        s->state = SEG_DONE;
        return;
    }
    pthread_mutex_lock(&p->qlock);
    s->state = SEG_QUEUED;
    s->pooled = true;
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
    /* scanned here (a small input's only segment): no lock to take, no line to share */
    if (!s->pooled) return;
    /* under the lock even when it looks done: its results were written by another thread */
    pthread_mutex_lock(&p->qlock);
    while (s->state != SEG_DONE)
        if (!help_one(w)) pthread_cond_wait(&p->qcond, &p->qlock);
    pthread_mutex_unlock(&p->qlock);
}

/* ---- a reader: one input's segments out, in flight across members, joined back in order -- */

struct reader {
    struct worker *w;
    struct task *t;
    size_t first, n; /* segments in flight: fifo[first .. first + n), oldest first */
    size_t bytes;    /* in them */
    int fadvise_fd;  /* the input's file, told it is read sequentially once it is large */
    int file_fd;     /* the input's file when opened here (at offset 0), else -1 */
    uint64_t direct; /* bytes read from it straight into segments (read_direct) */
    bool held;       /* the newest is filled but not handed over: whether more follows decides
                      * (the last segment of an input is scanned here, no thread woken) */
    bool applying;   /* in a batch as the oldest input owning the sinks: records applied at once */
    pii_status scan_st; /* of the member being released */
    pii_error scan_err;
};

static struct seg *ring_at(const struct reader *rd, size_t i)
{
    return rd->w->fifo[(rd->first + i) % rd->w->n_ring];
}

/* Records of the reader's input come in batches (a segment's findings and the records around
 * them). The oldest input, which stays the oldest until it is done, applies a batch's records
 * at once when the sinks are free (it owns them for the batch, without olock); another, or the
 * oldest while another thread applies, gathers them in the worker's stage and hands them over
 * in one step at the batch's end. No thread waits for another's records to be applied. */
static void batch_begin(struct reader *rd)
{
    struct par *p = rd->w->p;
    if (atomic_load(&p->o_head) != rd->t) return;
    pthread_mutex_lock(&p->olock);
    if (!p->sinking && !rd->t->ev.n) {
        p->sinking = true;
        rd->applying = true;
    }
    pthread_mutex_unlock(&p->olock);
}

/* The staged records after the input's others (olock taken, and kept when `keep`); they are
 * applied now if the sinks are free and the input is the oldest. Past the record budget an
 * input waits for its turn (memory stays bounded). true: wake the walker. */
static bool stage_flush(struct reader *rd, bool keep)
{
    struct par *p = rd->w->p;
    struct task *t = rd->t;
    struct evbuf *st = &rd->w->stage;
    bool released = false;
    pthread_mutex_lock(&p->olock);
    size_t before = ev_bytes(&t->ev);
    if (ev_append(&t->ev, st)) {
        p->buffered += ev_bytes(&t->ev) - before;
        released = drain_locked(p);
        if (p->buffered > p->budget)
            while (p->o_head != t) pthread_cond_wait(&p->ocond, &p->olock);
    } else { /* out of memory: in its turn, straight to the sinks */
        own_sinks_locked(p, t);
        pthread_mutex_unlock(&p->olock);
        ev_apply(p, st);
        pthread_mutex_lock(&p->olock);
        released = disown_sinks_locked(p);
    }
    if (!keep) pthread_mutex_unlock(&p->olock);
    return released;
}

/* Ends a batch; `keep`: with olock held (the input's release follows under the same lock),
 * the sinks given up. true: wake the walker (once olock is released). */
static bool batch_end(struct reader *rd, bool keep)
{
    struct par *p = rd->w->p;
    if (!rd->applying) return stage_flush(rd, keep);
    rd->applying = false;
    pthread_mutex_lock(&p->olock);
    bool released = disown_sinks_locked(p);
    if (!keep) pthread_mutex_unlock(&p->olock);
    return released;
}

/* A record of the reader's input, in a batch. */
static void rec(struct reader *rd, enum ev_kind k, const pii_finding *f, const char *path,
                const char *member, const char *msg, const uint64_t *n)
{
    struct par *p = rd->w->p;
    if (rd->applying) {
        apply(p, k, f, path, member, msg, n);
        return;
    }
    if (ev_push(&rd->w->stage, k, f, path, member, msg, n)) return;
    /* out of memory: what was staged and this record out now, in their turn */
    bool released = stage_flush(rd, true);
    own_sinks_locked(p, rd->t);
    pthread_mutex_unlock(&p->olock);
    apply(p, k, f, path, member, msg, n);
    pthread_mutex_lock(&p->olock);
    released = disown_sinks_locked(p) || released;
    pthread_mutex_unlock(&p->olock);
    walker_wake(p, released);
}

/* A finding counted in the worker's tally. false: out of memory (nothing counted). */
static bool tally_add(struct tally *t, const struct bare *b)
{
    size_t d = b->det;
    size_t i = t->last[d];
    if (!i || t->g[i - 1].ccpa != b->ccpa) { /* a first, or its other categories (L or not) */
        for (i = 0; i < t->n && (t->g[i].det != d || t->g[i].ccpa != b->ccpa); i++) {
        }
        if (i == t->n) {
            struct tally_group *nv = grow_array(t->g, &t->cap, t->n + 1, sizeof *nv, 16);
            if (!nv) return false;
            t->g = nv;
            t->g[t->n++] = (struct tally_group){(uint32_t)d, b->ccpa, 0, 0};
        }
        t->last[d] = (uint32_t)++i;
    }
    t->g[i - 1].n++;
    t->g[i - 1].allowed += b->allowed;
    return true;
}

/* The tally's counts as records, in order of first appearance; the tally is emptied. */
static void tally_flush(struct reader *rd, const char *member)
{
    struct tally *t = &rd->w->tally;
    for (size_t i = 0; i < t->n; i++) {
        const struct tally_group *g = &t->g[i];
        uint64_t n[3] = {g->det, g->ccpa, g->n | (uint64_t)g->allowed << 32};
        rec(rd, EV_COUNT, NULL, NULL, member, NULL, n);
        t->last[g->det] = 0;
    }
    t->n = 0;
}

/* The member's scan error, after its last segment and the records that followed it. */
static void member_end(struct reader *rd, const char *member)
{
    if (rd->scan_st && rd->scan_st != PII_STOP)
        rec(rd, EV_ERROR, NULL, rd->t->name, member,
            rd->scan_err.msg[0] ? rd->scan_err.msg : pii_status_str(rd->scan_st), NULL);
}

/* The records of b, in order, in a batch. */
static void reader_replay(struct reader *rd, struct evbuf *b)
{
    for (size_t i = 0; i < b->n; i++) {
        pii_finding f;
        const char *str[3];
        const struct ev *e = ev_get(b, i, &f, str);
        if (e->kind == EV_MEMBER_END)
            member_end(rd, str[1]);
        else
            rec(rd, e->kind, NULL, str[0], str[1], str[2], e->n);
    }
    b->n = b->alen = 0;
}

/* Records emitted while nothing was in flight: they go before the next segment's (the INPUT
 * record of a small file waits for its findings). */
static void reader_before(struct reader *rd)
{
    if (rd->w->before.n) reader_replay(rd, &rd->w->before);
}

/* A counted segment's findings joined: tallied, and with --redact its copy made (cli_redact.c). */
static void release_counted(struct reader *rd, struct seg *s)
{
    struct worker *w = rd->w;
    struct par *p = w->p;
    struct redactor *x = p->redact_ids ? &w->red : NULL;
    const uint8_t *seg = s->buf + s->from; /* the segment's bytes, from input offset x->base */
    bool copied = true;
    if (x && s->first) redact_begin(x, p->r->o->redact);
    for (size_t i = 0; i < s->nf && !par_broken(p); i++) {
        const struct bare *b = &s->bv[i];
        if (!pii_join_keep(w->join, b->det, b->offset, b->length)) continue;
        if (x && copied)
            copied = redact_finding(x, seg, x->base, x->base + (b->offset - s->from), b->length,
                                    p->redact_ids[b->det]);
        if (tally_add(&w->tally, b)) continue;
        tally_flush(rd, s->member); /* out of memory: this one counted alone */
        uint64_t n[3] = {b->det, b->ccpa, 1 | (uint64_t)b->allowed << 32};
        rec(rd, EV_COUNT, NULL, NULL, s->member, NULL, n);
    }
    pii_join_segment_end(w->join, s->to, &s->info);
    tally_flush(rd, s->member);
    if (!x) return;
    if (copied) copied = redact_to(x, seg, x->base, x->base + (s->to - s->from));
    if (copied && x->len)
        rec(rd, EV_DATA, NULL, NULL, NULL, x->out, (uint64_t[3]){x->len, 0, 0});
    else if (!copied) /* never the input's bytes instead: a gap, and an error */
        rec(rd, EV_ERROR, NULL, rd->t->name, s->member,
            "out of memory: a part of the redacted copy is missing", NULL);
    redact_next(x, s->to - s->from);
}

/* A listed segment's findings joined, each a record. */
static void release_found(struct reader *rd, struct seg *s)
{
    struct worker *w = rd->w;
    for (size_t i = 0; i < s->nf && !par_broken(w->p); i++) {
        pii_finding f = s->fv[i].f;
        f.match = (const uint8_t *)s->arena + s->fv[i].match_off;
        f.normalized = s->arena + s->fv[i].norm_off;
        f.allow_reason = f.allow_reason_len ? s->arena + s->fv[i].reason_off : NULL;
        if (pii_join_finding(w->join, &f)) rec(rd, EV_FINDING, &f, NULL, s->member, NULL, NULL);
    }
    pii_join_segment_end(w->join, s->to, &s->info);
}

/* Waits for the oldest segment in flight, joins and emits its findings and the records that
 * followed it, frees it. last: the input's last, whose batch stays open (reader_finish). */
static void reader_release(struct reader *rd, bool last)
{
    struct worker *w = rd->w;
    struct par *p = w->p;
    struct seg *s = ring_at(rd, 0);
    seg_wait(w, s);
    batch_begin(rd);
    reader_before(rd); /* the member's status below is the next one's */
    if (s->first) {
        rd->scan_st = PII_OK;
        rd->scan_err = (pii_error)PII_ERROR_INIT;
        pii_join_begin(w->join);
    }
    if (rd->scan_st == PII_OK && s->st != PII_OK) {
        rd->scan_st = s->st;
        rd->scan_err = s->err;
    }
    if (rd->scan_st == PII_OK) {
        pii_join_segment_begin(w->join, s->from);
        if (p->counts_only)
            release_counted(rd, s);
        else
            release_found(rd, s);
    }
    reader_replay(rd, &s->after);
    if (!last) walker_wake(p, batch_end(rd, false));
    s->state = SEG_FREE;
    rd->first = (rd->first + 1) % w->n_ring;
    rd->n--;
    rd->bytes -= s->len;
    w->spare[w->n_spare++] = s;
}

/* The held segment (the newest, not handed over) scanned here. */
static void reader_scan_held(struct reader *rd)
{
    if (!rd->held) return;
    struct seg *s = ring_at(rd, rd->n - 1);
    seg_scan(rd->w, s);
    s->state = SEG_DONE;
    rd->held = false;
}

/* Everything in flight out, in order: the held segment is scanned here. */
static void reader_drain(struct reader *rd)
{
    reader_scan_held(rd);
    while (rd->n) reader_release(rd, false);
}

/* The input's end: everything in flight out, the last batch left open, so that the input's
 * last records and its release take one lock. */
static void reader_finish(struct reader *rd)
{
    reader_scan_held(rd);
    if (!rd->n) {
        batch_begin(rd);
        reader_before(rd);
    }
    while (rd->n) reader_release(rd, rd->n == 1);
}

/* A record of the input: after whatever is in flight. */
static void reader_emit(struct reader *rd, enum ev_kind k, const char *path, const char *member,
                        const char *msg, const uint64_t *n)
{
    struct evbuf *b = rd->n ? &ring_at(rd, rd->n - 1)->after : &rd->w->before;
    bool queued = ev_push(b, k, NULL, path, member, msg, n);
    if (queued && ev_bytes(b) <= AFTER_MAX) return;
    /* too many (or out of memory): everything out now */
    reader_drain(rd);
    batch_begin(rd);
    reader_before(rd);
    if (!queued) {
        if (k == EV_MEMBER_END) /* its last segment is out: scan_st is the member's */
            member_end(rd, member);
        else
            rec(rd, k, NULL, path, member, msg, n);
    }
    walker_wake(rd->w->p, batch_end(rd, false));
}

/* The next segment to fill: the held one is handed over first (more follows it), and the
 * oldest is released when all are in flight. */
static struct seg *reader_slot(struct reader *rd)
{
    struct worker *w = rd->w;
    if (rd->held) {
        seg_submit(w, ring_at(rd, rd->n - 1));
        rd->held = false;
    }
    /* in flight: up to n_ring small members, but no more bytes than -j + 1 full segments while
     * one more fills (a large input then only ever touches -j + 2 buffers) */
    while (rd->n && (!w->n_spare ||
                     rd->bytes > (size_t)(w->p->n_thr + 1) *
                                     (w->p->seg_size + PII_SEGMENT_BEFORE + PII_SEGMENT_AFTER)))
        reader_release(rd, false);
    struct seg *s = w->spare[w->n_spare - 1];
    if (!s->buf) {
        s->cap = w->p->seg_size + PII_SEGMENT_BEFORE + PII_SEGMENT_AFTER;
        s->buf = malloc(s->cap);
        if (!s->buf) return NULL;
    }
    s->len = s->from = 0;
    return s;
}

/* Puts a filled segment in flight (held). */
static bool reader_push(struct reader *rd, struct seg *s, const struct member_head *head,
                        bool first, const pii_member *mb)
{
    if (s->member_cap < mb->name_len + 1) {
        char *m = realloc(s->member, mb->name_len + 1);
        if (!m) return false;
        s->member = m;
        s->member_cap = mb->name_len + 1;
    }
    memcpy(s->member, mb->name, mb->name_len);
    s->member[mb->name_len] = 0;
    s->head.len = head->len;
    s->head.final = head->final;
    memcpy(s->head.b, head->b, head->len);
    s->first = first;
    s->state = SEG_FREE;
    s->pooled = false;
    s->after.n = s->after.alen = 0;
    /* s is reader_slot's spare: the top one, unless segments released since (reader_drain,
     * of a live pipe or of too many records) went back on top of it */
    struct worker *w = rd->w;
    size_t i = w->n_spare;
    while (i && w->spare[i - 1] != s) i--;
    if (!i) return false;
    w->spare[i - 1] = w->spare[w->n_spare - 1];
    w->n_spare--;
    rd->w->fifo[(rd->first + rd->n) % rd->w->n_ring] = s;
    rd->n++;
    rd->bytes += s->len;
    rd->held = true;
    return true;
}

/* A plain file opened here, past its first segment: its next bytes are its member's (no
 * decoder, offset 0), so they are read straight into the segments rather than into the
 * source's buffer and copied (one copy of every byte less). Returns where to stop: its size
 * now, as the source stops at its size when opened; 0: go on reading through the source. */
static uint64_t direct_size(const struct reader *rd, const pii_member *mb, uint64_t delivered)
{
    if (rd->file_fd < 0 || rd->w->p->no_direct || mb->depth != 0 || strcmp(mb->format, "plain"))
        return 0;
    struct stat sb;
    if (fstat(rd->file_fd, &sb) != 0 || !S_ISREG(sb.st_mode)) return 0;
    uint64_t size = (uint64_t)sb.st_size;
    uint64_t max = rd->w->p->r->o->src.max_member_size;
    if (!max) max = PII_SOURCE_DEFAULT_MEMBER_SIZE;
    /* past the member limit: the source reads it and reports the limit */
    return size > delivered && size <= max ? size : 0;
}

/* Reads up to cap bytes of the file at off into buf: PII_OK (*got 0 at its end) or the
 * error, worded as the source words it. */
static pii_status read_direct(int fd, uint8_t *buf, size_t cap, uint64_t off, size_t *got,
                              pii_error *err)
{
    for (;;) {
        ssize_t n = pread(fd, buf, cap, (off_t)off);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) {
            char msg[160];
            snprintf(msg, sizeof msg, "read error after %llu bytes: %s", (unsigned long long)off,
                     strerror(errno));
            return fail(err, PII_ERR_IO, msg);
        }
        *got = (size_t)n;
        return PII_OK;
    }
}

static void head_set(struct member_head *h, const struct seg *s, bool final)
{
    h->len = s->len < PII_SEGMENT_HEAD ? s->len : PII_SEGMENT_HEAD;
    memcpy(h->b, s->buf, h->len);
    h->final = final;
}

/* The bytes of *cur before `to` are a segment, its look-ahead in hand: it goes in flight, and
 * *cur becomes the next one, holding the bytes from `to` on and the look-behind before it.
 * false: out of memory (*cur NULL). */
static bool seg_cut(struct reader *rd, struct seg **cur, size_t to, struct member_head *head,
                    bool *first, const pii_member *mb)
{
    struct seg *c = *cur, *next = NULL;
    c->to = to;
    if (*first) head_set(head, c, false);
    size_t keep_from = to > PII_SEGMENT_BEFORE ? to - PII_SEGMENT_BEFORE : 0;
    if (reader_push(rd, c, head, *first, mb)) {
        *first = false;
        next = reader_slot(rd);
    }
    *cur = next;
    if (!next) return false;
    /* c is being matched meanwhile: both only read its bytes */
    next->len = c->len - keep_from;
    memcpy(next->buf, c->buf + keep_from, next->len);
    next->from = to - keep_from;
    return true;
}

/* --line-buffered on a pipe, terminal or socket: the fd to ask whether more input is ready
 * (a plain member of the input itself), else -1. */
static int live_fd(const struct reader *rd, const pii_member *mb)
{
    if (!rd->w->p->r->o->line_buffered || mb->depth != 0 || strcmp(mb->format, "plain")) return -1;
    int fd = rd->file_fd >= 0 ? rd->file_fd : rd->t->fd;
    struct stat sb;
    return fd >= 0 && fstat(fd, &sb) == 0 && !S_ISREG(sb.st_mode) ? fd : -1;
}

/* A live input that waits 50 ms has what came scanned as far as its look-ahead allows: a
 * writer that pauses, not one that is merely slower than the scan for a moment (cutting then
 * would cost a fast pipe its full segments and its threads: `zcat big.gz | piiscan
 * --line-buffered` ran 1.5-2x slower at 0 ms). One that stays quiet for a second more has its
 * complete lines decided as if it ended there: a quiet log's last lines are not held back until
 * 4,352 more bytes come. */
#define LIVE_CUT_MS   50
#define LIVE_FLUSH_MS 1000

/* Whether the bytes of cur after the look-behind can be decided as if the input ended there
 * (a quiet live input): its lines are whole, and nothing in them looks past them. Measured over
 * the quality corpora and loghub cut after every line (tests/test_segment.c keeps it so), every
 * decision is line-local but two: a private key's fingerprint reads the body after its armour
 * line, and a CSV header is one when the second line agrees. */
static bool settled(const struct seg *cur, bool first)
{
    const uint8_t *b = cur->buf + cur->from, *e = cur->buf + cur->len;
    if (e[-1] != '\n') return false;
    if (first) { /* the head holds the second line */
        const uint8_t *nl = memchr(b, '\n', (size_t)(e - b));
        if (nl == e - 1) return false;
    }
    const uint8_t *tail = e - b > PII_SEGMENT_AFTER ? e - PII_SEGMENT_AFTER : b;
    return !memmem(tail, (size_t)(e - tail), "-----BEGIN", 10);
}

/* Nothing more arrived on fd within ms milliseconds. */
static bool input_waits(int fd, int ms)
{
    struct pollfd pf = {.fd = fd, .events = POLLIN};
    return poll(&pf, 1, ms) == 0;
}

/* A member's first n bytes (at most BINARY_SNIFF) decide whether it is binary: false, and it
 * is skipped (unless --binary); else its input is announced if it was not yet. */
static bool sniff_text(struct reader *rd, const struct seg *cur, size_t n, bool *have_input)
{
    if (!rd->w->p->r->o->binary && memchr(cur->buf, 0, n < BINARY_SNIFF ? n : BINARY_SNIFF))
        return false;
    if (!*have_input) {
        reader_emit(rd, EV_INPUT, rd->t->name, NULL, NULL, NULL);
        *have_input = true;
    }
    return true;
}

/* Reads one member into segments; returns the read status. Its records follow its findings
 * (reader_emit), so the next member is read while this one is matched. */
static pii_status scan_member(struct reader *rd, pii_source *src, const pii_member *mb,
                              bool *have_input, bool *skipped_whole, pii_error *rerr)
{
    struct worker *w = rd->w;
    struct par *p = w->p;
    struct task *t = rd->t;
    const size_t S = p->seg_size;
    struct member_head head = {.len = 0};
    if (p->redact_ids && mb->depth > 0) { /* its bytes would join the copy of the archive itself */
        reader_emit(rd, EV_ERROR, t->name, mb->name,
                    "not redacted: --redact copies a stream, not an archive's members (extract "
                    "the archive first)",
                    NULL);
        return PII_OK;
    }
    struct seg *cur = reader_slot(rd);
    if (!cur) {
        reader_emit(rd, EV_ERROR, t->name, mb->name, "out of memory", NULL);
        return PII_OK;
    }
    pii_status st = PII_OK;
    bool sniffed = false, first = true;
    uint64_t bytes = 0, dsize = 0;
    bool direct_asked = false;
    /* a live pipe: what has arrived is scanned whenever the input waits, not only when a
     * segment fills; cut where the look-ahead is in hand, so the findings are the same */
    int live = live_fd(rd, mb);
    for (;;) {
        const void *b = NULL;
        size_t len = 0;
        /* once its first segment is full and not binary: a small file costs no fstat, and one
         * found binary was read as far as the source reads it */
        if (sniffed && !direct_asked) {
            direct_asked = true;
            dsize = direct_size(rd, mb, bytes);
        }
        if (dsize) { /* the rest of a plain file, in place */
            size_t room = cur->cap - cur->len;
            if (room > dsize - bytes) room = (size_t)(dsize - bytes);
            st = room ? read_direct(rd->file_fd, cur->buf + cur->len, room, bytes, &len, rerr)
                      : PII_OK;
            if (!st && !len && bytes < dsize) {
                /* cut short while read (a log rotated by copytruncate): what it held then was
                 * not all scanned, and the report must say so */
                char msg[160];
                snprintf(msg, sizeof msg,
                         "the file shrank while it was read: %llu of its %llu bytes scanned",
                         (unsigned long long)bytes, (unsigned long long)dsize);
                st = fail(rerr, PII_ERR_IO, msg);
            } else if (!st && !len) {
                st = PII_END;
            }
            if (!st) rd->direct += len;
            b = cur->buf + cur->len;
        } else {
            st = pii_source_read(src, &b, &len, rerr);
        }
        const uint8_t *q = b;
        while (!st && len) {
            size_t room = cur->cap - cur->len, k = len < room ? len : room;
            if (q != cur->buf + cur->len) memcpy(cur->buf + cur->len, q, k);
            cur->len += k;
            bytes += k;
            q += k;
            len -= k;
            if (cur->len < cur->cap) break;
            /* full: [from, from + S) is a segment with all its look-ahead */
            if (rd->fadvise_fd >= 0) { /* large: more read-ahead (a syscall small ones skip) */
                posix_fadvise(rd->fadvise_fd, 0, 0, POSIX_FADV_SEQUENTIAL);
                rd->fadvise_fd = -1;
            }
            if (!sniffed) {
                sniffed = true;
                if (!sniff_text(rd, cur, cur->len, have_input)) goto binary;
            }
            if (!seg_cut(rd, &cur, cur->from + S, &head, &first, mb)) {
                st = err_nomem(rerr);
                break;
            }
            if (par_broken(p)) break;
        }
        if (st || par_broken(p)) break;
        if (live >= 0 && cur && cur->len > cur->from && input_waits(live, LIVE_CUT_MS)) {
            size_t to = cur->len > cur->from + PII_SEGMENT_AFTER ? cur->len - PII_SEGMENT_AFTER : 0;
            if (settled(cur, first) && input_waits(live, LIVE_FLUSH_MS - LIVE_CUT_MS))
                to = cur->len; /* quiet: its whole lines, with no look-ahead */
            if (!to) continue;
            /* as for a full first segment, on what came: a quiet log is not held back for
             * BINARY_SNIFF bytes (a NUL after them no longer makes it binary) */
            if (!sniffed) {
                sniffed = true;
                if (!sniff_text(rd, cur, cur->len, have_input)) goto binary;
            }
            if (!seg_cut(rd, &cur, to, &head, &first, mb)) {
                st = err_nomem(rerr);
                break;
            }
            reader_drain(rd); /* scanned and out now */
        }
    }
    w->bytes += bytes;
    /* the tail: whatever was read, also before a read error */
    if (cur && !sniffed && !sniff_text(rd, cur, cur->len, have_input)) goto binary;
    if (cur) {
        cur->to = cur->len;
        if (first) head_set(&head, cur, cur->len <= PII_SEGMENT_HEAD);
        if (reader_push(rd, cur, &head, first, mb))
            first = false;
        else
            st = err_nomem(rerr);
    }
    if (!first) { /* a segment of it is in flight */
        reader_emit(rd, EV_BYTES, NULL, mb->name, NULL, (uint64_t[3]){bytes, 0, 0});
        reader_emit(rd, EV_MEMBER_END, NULL, mb->name, NULL, NULL);
    }
    return st;
binary:
    w->bytes += bytes;
    reader_emit(rd, EV_SKIPPED, t->name, mb->name, "binary", NULL);
    if (mb->depth == 0) *skipped_whole = true;
    /* the rest of a binary member is not read (the next member skips it) */
    return st;
}

/* An input that could not be opened: its error, and it is done. */
static void task_fail(struct par *p, struct task *t, const char *msg)
{
    emit_done(p, t, EV_ERROR, t->name, NULL, msg);
}

/* Scans every member of one input, then marks it done. */
static void scan_task(struct worker *w, struct task *t)
{
    struct par *p = w->p;
    if (par_broken(p)) {
        par_dir_put(t->dir);
        t->dir = NULL;
        task_done(p, t);
        return;
    }
    int fd = t->fd;
    bool opened = false;
    if (fd < 0) {
        fd = t->dir ? openat(t->dir->fd, t->name + t->base, O_RDONLY | O_CLOEXEC | O_NOCTTY)
                    : open(t->name, O_RDONLY | O_CLOEXEC | O_NOCTTY);
        par_dir_put(t->dir);
        t->dir = NULL;
        if (fd < 0) {
            char msg[300];
            snprintf(msg, sizeof msg, "cannot open: %s", strerror(errno));
            task_fail(p, t, msg);
            return;
        }
        opened = true;
    }
    pii_error err = PII_ERROR_INIT;
    pii_source_opts so = p->r->o->src;
    if (t->regular && opened) so.flags |= PII_SOURCE_REGULAR_FILE;
    if (w->src ? pii_source_reopen_fd(w->src, fd, t->name, &so, &err)
               : pii_source_open_fd(fd, t->name, &so, &w->src, &err)) {
        task_fail(p, t, err.msg);
        if (opened) close(fd);
        return;
    }
    pii_source *src = w->src;
    struct reader rd = {
        .w = w, .t = t, .fadvise_fd = opened ? fd : -1, .file_fd = opened ? fd : -1};
    bool have_input = false, skipped_whole = false;
    const pii_member *m;
    while (!par_broken(p)) {
        pii_status st = pii_source_next_member(src, &m, &err);
        if (st == PII_END) break;
        if (st < 0) {
            reader_emit(&rd, EV_ERROR, t->name, pii_source_error_member(src), err.msg, NULL);
            if (st == PII_ERR_NOMEM) break;
            continue;
        }
        if (m->skip) {
            reader_emit(&rd, EV_SKIPPED, t->name, m->name, m->skip, NULL);
            continue;
        }
        pii_error rerr = PII_ERROR_INIT;
        st = scan_member(&rd, src, m, &have_input, &skipped_whole, &rerr);
        if (st < 0)
            reader_emit(&rd, EV_ERROR, t->name, pii_source_error_member(src), rerr.msg, NULL);
    }
    pii_source_stats ss;
    pii_source_stats_get(src, &ss);
    ss.compressed_bytes += rd.direct; /* read here, not through the source */
    ss.expanded_bytes += rd.direct;
    reader_finish(&rd); /* its last batch open */
    /* an archive with nothing readable in it was still an input (not a skipped one) */
    if (!have_input && !skipped_whole) rec(&rd, EV_INPUT, NULL, t->name, NULL, NULL, NULL);
    rec(&rd, EV_SOURCE, NULL, NULL, NULL, NULL,
        (uint64_t[3]){ss.members, ss.compressed_bytes, ss.expanded_bytes});
    rec(&rd, EV_END, NULL, NULL, NULL, NULL, NULL);
    bool released = batch_end(&rd, true); /* olock held from here */
    released = task_done_locked(p, t) || released;
    pthread_mutex_unlock(&p->olock);
    walker_wake(p, released);
    /* an archive's reader and spool files go now, not with the next input */
    if (ss.members) {
        pii_source_free(w->src);
        w->src = NULL;
    }
    if (opened) close(fd);
}

/* ---- the pool ---------------------------------------------------------------------------- */

/* Runs one piece of work if there is one (qlock held; released while working): a queued
 * segment first (it holds memory and maybe the oldest input's turn), else the next input. */
static bool work_one(struct worker *w)
{
    struct par *p = w->p;
    if (help_one(w)) return true;
    struct task *t = p->q_head;
    if (!t) return false;
    /* several inputs per lock while the queue is long (one lock and one cache line's trip
     * between the cores for many small files), one at a time near its end, so that the
     * threads finish together. Taken in order and scanned in order: the oldest input not done
     * is always one a thread is scanning, so whatever waits for its turn gets it. */
    size_t n = p->take_max ? p->take_max : atomic_load(&p->q_n) / (2 * (size_t)p->n_thr), k = 1;
    if (n > TAKE_MAX) n = TAKE_MAX;
    struct task *last = t;
    while (k < n && last->next_q) {
        last = last->next_q;
        k++;
    }
    p->q_head = last->next_q;
    if (!p->q_head) p->q_tail = NULL;
    last->next_q = NULL;
    atomic_fetch_sub(&p->q_n, k);
    p->active += k;
    pthread_mutex_unlock(&p->qlock);
    while (t) {
        struct task *next = t->next_q;
        scan_task(w, t); /* t may be recycled from here on */
        t = next;
    }
    pthread_mutex_lock(&p->qlock);
    /* an idle worker stays while an input in progress may still queue segments */
    p->active -= k;
    if (p->active == 0) pthread_cond_broadcast(&p->qcond);
    return true;
}

static void *worker_main(void *arg)
{
    struct worker *w = arg;
    struct par *p = w->p;
    pthread_mutex_lock(&p->qlock);
    for (;;) {
        if (work_one(w)) continue;
        if (p->stop && p->active == 0) break;
        pthread_cond_wait(&p->qcond, &p->qlock);
    }
    pthread_mutex_unlock(&p->qlock);
    return NULL;
}

static bool worker_init(struct par *p, struct worker *w, pii_error *err)
{
    w->p = p;
    if (pii_scanner_new(p->r->eng, &p->so, &w->sc, err) || pii_join_new(p->r->eng, &w->join, err))
        return false;
    size_t per = p->seg_size + PII_SEGMENT_BEFORE + PII_SEGMENT_AFTER;
    /* deep enough that small members keep the pool busy while the reader is off the CPU */
    size_t n = p->n_thr + 8, budget = SEG_BUDGET / per;
    if (n > budget) n = budget;
    if (n < 2) n = 2;
    if (p->n_thr <= 1) n = 2; /* one thread: the segment being read and the one being scanned */
    w->ring = calloc(n, sizeof *w->ring);
    w->fifo = calloc(n, sizeof *w->fifo);
    w->spare = calloc(n, sizeof *w->spare);
    w->n_ring = n;
    if (p->counts_only) w->tally.last = calloc(p->r->n_det ? p->r->n_det : 1, sizeof(uint32_t));
    if (!w->ring || !w->fifo || !w->spare || (p->counts_only && !w->tally.last)) {
        err_nomem(err);
        return false;
    }
    for (size_t i = 0; i < n; i++) w->spare[i] = &w->ring[n - 1 - i];
    w->n_spare = n;
    return true;
}

static void worker_release(struct worker *w)
{
    for (size_t i = 0; w->ring && i < w->n_ring; i++) {
        free(w->ring[i].buf);
        free(w->ring[i].fv);
        free(w->ring[i].bv);
        free(w->ring[i].arena);
        free(w->ring[i].member);
        ev_free(&w->ring[i].after);
    }
    free(w->ring);
    free(w->fifo);
    free(w->spare);
    ev_free(&w->before);
    ev_free(&w->stage);
    free(w->tally.g);
    free(w->tally.last);
    redact_free(&w->red);
    pii_source_free(w->src);
    pii_join_free(w->join);
    pii_scanner_free(w->sc);
}

/* Starts the pool's -j - 1 threads (the walker is the -j-th). Called by the walker only, the
 * one thread there is until then. false: scan on the walker (one thread, or none started). */
static bool pool_start(struct par *p)
{
    if (p->pool_on || p->pool_failed || p->n_thr <= 1) return p->pool_on;
    p->pool_on = true; /* before any thread looks */
    size_t started = 0;
    for (size_t i = 1; i < p->n_thr; i++) {
        pii_error err = PII_ERROR_INIT;
        struct worker *w = &p->w[i];
        if (!worker_init(p, w, &err) || pthread_create(&w->th, NULL, worker_main, w) != 0) break;
        w->running = true;
        started++;
    }
    if (!started) {
        p->pool_on = false;
        p->pool_failed = true;
    }
    return p->pool_on;
}

/* The walker's inputs to the queue (qlock held). */
static void walker_flush_locked(struct par *p)
{
    if (!p->pend_head) return;
    if (p->q_tail)
        p->q_tail->next_q = p->pend_head;
    else
        p->q_head = p->pend_head;
    p->q_tail = p->pend_tail;
    atomic_fetch_add(&p->q_n, p->n_pend);
    if (p->n_pend > 1)
        pthread_cond_broadcast(&p->qcond);
    else
        pthread_cond_signal(&p->qcond);
    p->pend_head = p->pend_tail = NULL;
    p->n_pend = 0;
}

/* The walker's turn to wait: while the order is full it works (the oldest queued input, or a
 * segment); with nothing to take it sleeps until half the order is released. */
static void walker_room(struct par *p)
{
    if (atomic_load(&p->alive) < p->max_alive) return;
    struct worker *w = &p->w[0];
    pthread_mutex_lock(&p->qlock);
    walker_flush_locked(p);
    while (atomic_load(&p->alive) >= p->max_alive) {
        if (work_one(w)) continue;
        atomic_store(&p->w_asleep, true);
        while (atomic_load(&p->alive) > p->max_alive / 2 && !p->s_head && !p->q_head)
            pthread_cond_wait(&p->qcond, &p->qlock);
        atomic_store(&p->w_asleep, false);
    }
    pthread_mutex_unlock(&p->qlock);
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
    p->so = *so;
    p->counts_only = sink_counts_only(r);
    if (p->counts_only) { /* no line numbers, and no confidence beyond --min-confidence */
        p->so.no_lines = 1;
        p->so.presence_only = 1;
    }
    p->max_alive = (size_t)p->n_thr * TASKS_PER_THR;
    p->budget = (size_t)p->n_thr * EV_BUDGET_PER_THR;
    /* a test hook (test_threads): a tiny budget makes every input but the oldest wait */
    const char *tb = getenv("PIISCAN_TEST_RECORD_BUDGET");
    if (tb && *tb) p->budget = strtoull(tb, NULL, 10);
    /* another (test_threads): every file read through the source, to compare with */
    const char *nd = getenv("PIISCAN_TEST_NO_DIRECT");
    p->no_direct = nd && *nd;
    /* and another: every take as large as the queue allows (batches across directories) */
    const char *tk = getenv("PIISCAN_TEST_TAKE");
    if (tk && *tk) p->take_max = strtoull(tk, NULL, 10);
    pthread_mutex_init(&p->qlock, NULL);
    pthread_cond_init(&p->qcond, NULL);
    pthread_mutex_init(&p->olock, NULL);
    pthread_cond_init(&p->ocond, NULL);
    if (r->o->format == FMT_REDACT) { /* ids looked up once, not per finding replaced */
        if (!(p->redact_ids = malloc((r->n_det ? r->n_det : 1) * sizeof *p->redact_ids)))
            return err_nomem(err) == PII_OK;
        for (size_t i = 0; i < r->n_det; i++) {
            pii_detector_info info;
            p->redact_ids[i] = pii_engine_detector(r->eng, i, &info) ? info.id : "pii";
        }
    }
    /* worker 0 is the walker's; the pool's are set up when it starts (pool_start) */
    p->w = calloc(p->n_thr, sizeof *p->w);
    if (!p->w) return err_nomem(err) == PII_OK;
    return worker_init(p, &p->w[0], err);
}

static void input_add(struct run *r, const char *name, int fd, struct par_dir *d, size_t base,
                      bool regular)
{
    struct par *p = r->par;
    if (p->pool_on) walker_room(p);
    struct task *t = task_new(p, name, fd);
    if (!t) {
        sink_error(r, name, NULL, "out of memory");
        return;
    }
    if (d) {
        atomic_fetch_add(&d->refs, 1);
        t->dir = d;
        t->base = base;
    }
    t->regular = regular;
    if (!p->pool_on && p->n_thr > 1 &&
        (p->n_inline >= INLINE_INPUTS || p->w[0].bytes >= INLINE_BYTES))
        pool_start(p);
    if (!p->pool_on) { /* few inputs so far, or one thread: the walker scans */
        p->n_inline++;
        scan_task(&p->w[0], t);
        return;
    }
    /* queued a few at a time (one lock), at once when the queue runs low */
    t->next_q = NULL;
    if (p->pend_tail)
        p->pend_tail->next_q = t;
    else
        p->pend_head = t;
    p->pend_tail = t;
    if (++p->n_pend >= PUSH_BATCH || atomic_load(&p->q_n) < 2) {
        pthread_mutex_lock(&p->qlock);
        walker_flush_locked(p);
        pthread_mutex_unlock(&p->qlock);
    }
}

void par_input(struct run *r, const char *name, int fd)
{
    input_add(r, name, fd, NULL, 0, false);
}

void par_input_at(struct run *r, const char *name, struct par_dir *d, size_t base)
{
    input_add(r, name, -1, d, base, d && d->whole_reads);
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
    if (p->pool_on) walker_room(p);
    struct task *t = task_new(p, path, -1);
    if (!t) {
        sink_error(r, path, NULL, "out of memory");
        return;
    }
    /* the inputs before it go to the queue first: its record may wait for its turn (the record
     * budget), which takes every older input being scanned, not kept back by the walker */
    if (p->pool_on && p->pend_head) {
        pthread_mutex_lock(&p->qlock);
        walker_flush_locked(p);
        pthread_mutex_unlock(&p->qlock);
    }
    emit_done(p, t, skipped ? EV_SKIPPED : EV_ERROR, path, member, msg);
}

void par_finish(struct run *r)
{
    struct par *p = r->par;
    if (!p) return;
    if (p->pool_on) {
        /* the walker works with the pool until every input is done */
        pthread_mutex_lock(&p->qlock);
        walker_flush_locked(p);
        p->stop = true;
        pthread_cond_broadcast(&p->qcond);
        for (;;) {
            if (work_one(&p->w[0])) continue;
            if (p->active == 0) break;
            pthread_cond_wait(&p->qcond, &p->qlock);
        }
        pthread_mutex_unlock(&p->qlock);
        for (size_t i = 1; i < p->n_thr; i++)
            if (p->w[i].running) pthread_join(p->w[i].th, NULL);
    }
    for (size_t i = 0; p->w && i < p->n_thr; i++) worker_release(&p->w[i]);
    free(p->w);
    free(p->redact_ids);
    ev_free(&p->spare);
    while (p->free_tasks) {
        struct task *t = p->free_tasks;
        p->free_tasks = t->next_q;
        ev_free(&t->ev);
        free(t);
    }
    pthread_mutex_destroy(&p->qlock);
    pthread_cond_destroy(&p->qcond);
    pthread_mutex_destroy(&p->olock);
    pthread_cond_destroy(&p->ocond);
    free(p);
    r->par = NULL;
}
