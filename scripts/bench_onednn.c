// oneDNN (Debian's libdnnl 2.6) convolution speed on the shapes `brecq bench
// kernels --imagenet-shapes` times, with the same FLOP accounting and the
// same kind of ratio to OpenBLAS sgemm 1024³ (median over back-to-back
// pairs), so the two programs' ratios can be compared directly.
//
// Two figures per pass:
//  - "nchw": what a caller holding NCHW tensors pays, as brecq's kernels are
//    timed: reorders of the source, the weights (they change every
//    reconstruction iteration) and the gradient into oneDNN's preferred
//    (blocked) layouts and of the results back to NCHW are included;
//  - "blocked": the convolution primitives alone on tensors already in those
//    layouts, the lower bound for an engine that kept every activation blocked.
// fwd+bwd = forward + backward-data + backward-weights (with the bias
// gradient), counted as 3 × forward FLOPs.
//
// Build and run: scripts/bench_onednn.sh (see there for the environment).
#include <dnnl.h>
#include <cblas.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define CHECK(call) do { dnnl_status_t s_ = (call); if (s_ != dnnl_success) { \
    fprintf(stderr, "%s:%d: %s failed (%d)\n", __FILE__, __LINE__, #call, (int)s_); exit(1); } } while (0)

typedef struct { const char *name; int n, c, size, k, groups; } shape_t;

static const shape_t shapes[] = {
    {"conv16", 32, 16, 28, 3, 1},
    {"conv32", 32, 32, 14, 3, 1},
    {"conv64", 32, 64, 7, 3, 1},
    {"depthwise96", 32, 96, 14, 3, 96},
    {"resnet18_block1", 32, 64, 56, 3, 1},
    {"resnet18_block8", 32, 512, 7, 3, 1},
};

static int repeats = 7;
static double min_seconds = 0.05;
static dnnl_engine_t engine;
static dnnl_stream_t stream;

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec * 1e-9;
}

typedef void (*body_fn)(void *);

static double elapsed(body_fn f, void *ctx, long iters) {
    double t = now();
    for (long i = 0; i < iters; i++) f(ctx);
    return now() - t;
}

/// As brecq's KernelTimer: two warm-up calls, then the count that lasts min_seconds.
static long calibrate(body_fn f, void *ctx) {
    f(ctx); f(ctx);
    long iters = 1;
    for (;;) {
        double t = elapsed(f, ctx, iters);
        if (t >= min_seconds || iters >= (1 << 16)) return iters;
        long next = (long)(min_seconds / (t > 1e-6 ? t : 1e-6) * iters * 1.2);
        iters = next > iters * 2 ? next : iters * 2;
    }
}

static int cmp_double(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static double median(double *v, int n) {
    qsort(v, n, sizeof(double), cmp_double);
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

// ---- sgemm reference ----
typedef struct { int n; float *a, *b, *c; } sgemm_t;
static void sgemm_run(void *p) {
    sgemm_t *g = p;
    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, g->n, g->n, g->n, 1, g->a, g->n, g->b, g->n, 0, g->c, g->n);
}

/// Median seconds of `subject`, and median over pairs of (subject FLOP rate ÷ sgemm FLOP rate).
static void paired(sgemm_t *ref, body_fn f, void *ctx, double flops, double *seconds, double *ratio) {
    long ri = calibrate(sgemm_run, ref), si = calibrate(f, ctx);
    double ts[1000], rs[1000], sgemm_flops = 2.0 * ref->n * ref->n * ref->n;
    for (int i = 0; i < repeats; i++) {
        double r = elapsed(sgemm_run, ref, ri) / ri;
        double s = elapsed(f, ctx, si) / si;
        ts[i] = s;
        rs[i] = (flops / s) / (sgemm_flops / r);
    }
    *seconds = median(ts, repeats);
    *ratio = median(rs, repeats);
}

// ---- oneDNN ----
typedef struct { dnnl_primitive_t prim; dnnl_memory_t from, to; } reorder_t;

static dnnl_memory_t make_memory(const dnnl_memory_desc_t *md) {
    dnnl_memory_t m;
    CHECK(dnnl_memory_create(&m, md, engine, DNNL_MEMORY_ALLOCATE));
    void *h;
    CHECK(dnnl_memory_get_data_handle(m, &h));
    size_t bytes = dnnl_memory_desc_get_size(md);
    float *f = h;
    for (size_t i = 0; i < bytes / sizeof(float); i++) f[i] = (float)((i * 2654435761u) % 2001) / 1000.0f - 1.0f;
    return m;
}

/// `user` if it already has layout `md`, else a new memory of layout `md`
/// and the reorder between them (user → it when `into`, else it → user).
static dnnl_memory_t in_layout(dnnl_memory_t user, const dnnl_memory_desc_t *md, int into, reorder_t *r) {
    const dnnl_memory_desc_t *user_md;
    CHECK(dnnl_memory_get_memory_desc(user, &user_md));
    r->prim = NULL;
    if (dnnl_memory_desc_equal(user_md, md)) return user;
    dnnl_memory_t m = make_memory(md);
    dnnl_primitive_desc_t pd;
    if (into) CHECK(dnnl_reorder_primitive_desc_create(&pd, user_md, engine, md, engine, NULL));
    else CHECK(dnnl_reorder_primitive_desc_create(&pd, md, engine, user_md, engine, NULL));
    CHECK(dnnl_primitive_create(&r->prim, pd));
    CHECK(dnnl_primitive_desc_destroy(pd));
    r->from = into ? user : m;
    r->to = into ? m : user;
    return m;
}

static void run_reorder(const reorder_t *r) {
    if (!r->prim) return;
    dnnl_exec_arg_t args[2] = {{DNNL_ARG_FROM, r->from}, {DNNL_ARG_TO, r->to}};
    CHECK(dnnl_primitive_execute(r->prim, stream, 2, args));
}

typedef struct {
    dnnl_primitive_t fwd, bwd_data, bwd_weights;
    dnnl_exec_arg_t fwd_args[4], bd_args[3], bw_args[4];
    // nchw → blocked before, blocked → nchw after
    reorder_t fwd_in[2], fwd_out, bd_in[2], bd_out, bw_in[2], bw_out[1];
    int with_reorders;
    char impl[3][64];
} conv_t;

static void exec(dnnl_primitive_t p, int n, const dnnl_exec_arg_t *a) { CHECK(dnnl_primitive_execute(p, stream, n, a)); }

static void run_fwd(void *p) {
    conv_t *c = p;
    if (c->with_reorders) { run_reorder(&c->fwd_in[0]); run_reorder(&c->fwd_in[1]); }
    exec(c->fwd, 4, c->fwd_args);
    if (c->with_reorders) run_reorder(&c->fwd_out);
    CHECK(dnnl_stream_wait(stream));
}

static void run_fwdbwd(void *p) {
    conv_t *c = p;
    if (c->with_reorders) { run_reorder(&c->fwd_in[0]); run_reorder(&c->fwd_in[1]); }
    exec(c->fwd, 4, c->fwd_args);
    if (c->with_reorders) {
        run_reorder(&c->fwd_out);
        run_reorder(&c->bd_in[0]); run_reorder(&c->bd_in[1]);
    }
    exec(c->bwd_data, 3, c->bd_args);
    if (c->with_reorders) {
        run_reorder(&c->bd_out);
        run_reorder(&c->bw_in[0]); run_reorder(&c->bw_in[1]);
    }
    exec(c->bwd_weights, 4, c->bw_args);
    if (c->with_reorders) run_reorder(&c->bw_out[0]);
    CHECK(dnnl_stream_wait(stream));
}

static void impl_name(dnnl_primitive_desc_t pd, char *out) {
    const char *s = NULL;
    dnnl_primitive_desc_query(pd, dnnl_query_impl_info_str, 0, &s);
    snprintf(out, 64, "%s", s ? s : "?");
}

static void setup(conv_t *c, const shape_t *s) {
    int g = s->groups, pad = s->k / 2;
    dnnl_dims_t src_d = {s->n, s->c, s->size, s->size}, dst_d = {s->n, s->c, s->size, s->size};
    dnnl_dims_t bias_d = {s->c};
    dnnl_dims_t wdims_dense = {s->c, s->c, s->k, s->k}, wdims_group = {g, s->c / g, s->c / g, s->k, s->k};
    dnnl_dims_t strides = {1, 1}, padding = {pad, pad};
    dnnl_memory_desc_t src_u, dst_u, w_u, b_u, src_a, dst_a, w_a;
    CHECK(dnnl_memory_desc_init_by_tag(&src_u, 4, src_d, dnnl_f32, dnnl_nchw));
    CHECK(dnnl_memory_desc_init_by_tag(&dst_u, 4, dst_d, dnnl_f32, dnnl_nchw));
    CHECK(dnnl_memory_desc_init_by_tag(&b_u, 1, bias_d, dnnl_f32, dnnl_x));
    if (g > 1) {
        CHECK(dnnl_memory_desc_init_by_tag(&w_u, 5, wdims_group, dnnl_f32, dnnl_goihw));
        CHECK(dnnl_memory_desc_init_by_tag(&w_a, 5, wdims_group, dnnl_f32, dnnl_format_tag_any));
    } else {
        CHECK(dnnl_memory_desc_init_by_tag(&w_u, 4, wdims_dense, dnnl_f32, dnnl_oihw));
        CHECK(dnnl_memory_desc_init_by_tag(&w_a, 4, wdims_dense, dnnl_f32, dnnl_format_tag_any));
    }
    CHECK(dnnl_memory_desc_init_by_tag(&src_a, 4, src_d, dnnl_f32, dnnl_format_tag_any));
    CHECK(dnnl_memory_desc_init_by_tag(&dst_a, 4, dst_d, dnnl_f32, dnnl_format_tag_any));

    dnnl_convolution_desc_t fd, bdd, bwd;
    CHECK(dnnl_convolution_forward_desc_init(&fd, dnnl_forward_training, dnnl_convolution_direct,
                                             &src_a, &w_a, &b_u, &dst_a, strides, padding, padding));
    dnnl_primitive_desc_t fpd, bdpd, bwpd;
    CHECK(dnnl_primitive_desc_create(&fpd, &fd, NULL, engine, NULL));
    CHECK(dnnl_convolution_backward_data_desc_init(&bdd, dnnl_convolution_direct, &src_a, &w_a, &dst_a,
                                                   strides, padding, padding));
    CHECK(dnnl_primitive_desc_create(&bdpd, &bdd, NULL, engine, fpd));
    CHECK(dnnl_convolution_backward_weights_desc_init(&bwd, dnnl_convolution_direct, &src_a, &w_a, &b_u, &dst_a,
                                                      strides, padding, padding));
    CHECK(dnnl_primitive_desc_create(&bwpd, &bwd, NULL, engine, fpd));
    impl_name(fpd, c->impl[0]); impl_name(bdpd, c->impl[1]); impl_name(bwpd, c->impl[2]);

    // The caller's NCHW tensors.
    dnnl_memory_t src = make_memory(&src_u), w = make_memory(&w_u), b = make_memory(&b_u), dst = make_memory(&dst_u);
    dnnl_memory_t ddst = make_memory(&dst_u), dsrc = make_memory(&src_u), dw = make_memory(&w_u), db = make_memory(&b_u);

    dnnl_memory_t src_f = in_layout(src, dnnl_primitive_desc_query_md(fpd, dnnl_query_src_md, 0), 1, &c->fwd_in[0]);
    dnnl_memory_t w_f = in_layout(w, dnnl_primitive_desc_query_md(fpd, dnnl_query_weights_md, 0), 1, &c->fwd_in[1]);
    dnnl_memory_t dst_f = in_layout(dst, dnnl_primitive_desc_query_md(fpd, dnnl_query_dst_md, 0), 0, &c->fwd_out);
    c->fwd_args[0] = (dnnl_exec_arg_t){DNNL_ARG_SRC, src_f};
    c->fwd_args[1] = (dnnl_exec_arg_t){DNNL_ARG_WEIGHTS, w_f};
    c->fwd_args[2] = (dnnl_exec_arg_t){DNNL_ARG_BIAS, b};
    c->fwd_args[3] = (dnnl_exec_arg_t){DNNL_ARG_DST, dst_f};

    dnnl_memory_t ddst_d = in_layout(ddst, dnnl_primitive_desc_query_md(bdpd, dnnl_query_diff_dst_md, 0), 1, &c->bd_in[0]);
    dnnl_memory_t w_d = in_layout(w, dnnl_primitive_desc_query_md(bdpd, dnnl_query_weights_md, 0), 1, &c->bd_in[1]);
    dnnl_memory_t dsrc_d = in_layout(dsrc, dnnl_primitive_desc_query_md(bdpd, dnnl_query_diff_src_md, 0), 0, &c->bd_out);
    c->bd_args[0] = (dnnl_exec_arg_t){DNNL_ARG_DIFF_DST, ddst_d};
    c->bd_args[1] = (dnnl_exec_arg_t){DNNL_ARG_WEIGHTS, w_d};
    c->bd_args[2] = (dnnl_exec_arg_t){DNNL_ARG_DIFF_SRC, dsrc_d};

    // The forward's reordered source and the backward-data's reordered
    // gradient are reused when the layouts agree (an engine would keep them).
    const dnnl_memory_desc_t *bw_src_md = dnnl_primitive_desc_query_md(bwpd, dnnl_query_src_md, 0);
    const dnnl_memory_desc_t *bw_ddst_md = dnnl_primitive_desc_query_md(bwpd, dnnl_query_diff_dst_md, 0);
    const dnnl_memory_desc_t *have;
    dnnl_memory_t src_w, ddst_w;
    CHECK(dnnl_memory_get_memory_desc(src_f, &have));
    if (dnnl_memory_desc_equal(have, bw_src_md)) { src_w = src_f; c->bw_in[0].prim = NULL; }
    else src_w = in_layout(src, bw_src_md, 1, &c->bw_in[0]);
    CHECK(dnnl_memory_get_memory_desc(ddst_d, &have));
    if (dnnl_memory_desc_equal(have, bw_ddst_md)) { ddst_w = ddst_d; c->bw_in[1].prim = NULL; }
    else ddst_w = in_layout(ddst, bw_ddst_md, 1, &c->bw_in[1]);
    dnnl_memory_t dw_w = in_layout(dw, dnnl_primitive_desc_query_md(bwpd, dnnl_query_diff_weights_md, 0), 0, &c->bw_out[0]);
    c->bw_args[0] = (dnnl_exec_arg_t){DNNL_ARG_SRC, src_w};
    c->bw_args[1] = (dnnl_exec_arg_t){DNNL_ARG_DIFF_DST, ddst_w};
    c->bw_args[2] = (dnnl_exec_arg_t){DNNL_ARG_DIFF_WEIGHTS, dw_w};
    c->bw_args[3] = (dnnl_exec_arg_t){DNNL_ARG_DIFF_BIAS, db};

    CHECK(dnnl_primitive_create(&c->fwd, fpd));
    CHECK(dnnl_primitive_create(&c->bwd_data, bdpd));
    CHECK(dnnl_primitive_create(&c->bwd_weights, bwpd));
}

int main(int argc, char **argv) {
    int json = 0;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--repeats") && i + 1 < argc) repeats = atoi(argv[++i]);
        else if (!strcmp(argv[i], "--min-seconds") && i + 1 < argc) min_seconds = atof(argv[++i]);
        else if (!strcmp(argv[i], "--json")) json = 1;
        else { fprintf(stderr, "usage: %s [--repeats 1-1000] [--min-seconds S] [--json]\n", argv[0]); return 2; }
    }
    if (repeats < 1 || repeats > 1000 || !(min_seconds >= 0 && min_seconds <= 60)) { fprintf(stderr, "bad --repeats or --min-seconds\n"); return 2; }
    CHECK(dnnl_engine_create(&engine, dnnl_cpu, 0));
    CHECK(dnnl_stream_create(&stream, engine, dnnl_stream_default_flags));

    sgemm_t ref = {1024};
    ref.a = malloc(sizeof(float) * 1024 * 1024); ref.b = malloc(sizeof(float) * 1024 * 1024); ref.c = malloc(sizeof(float) * 1024 * 1024);
    for (int i = 0; i < 1024 * 1024; i++) { ref.a[i] = (float)(i % 7) / 7 - 0.5f; ref.b[i] = (float)(i % 11) / 11 - 0.5f; }
    double sg[1000];
    long si = calibrate(sgemm_run, &ref);
    for (int i = 0; i < repeats; i++) sg[i] = 2.0 * 1024 * 1024 * 1024 / (elapsed(sgemm_run, &ref, si) / si) / 1e9;
    double sgemm_gflops = median(sg, repeats);

    const dnnl_version_t *v = dnnl_version();
    if (json) printf("{\"onednn\": \"%d.%d.%d\", \"sgemm_gflops\": %.1f, \"shapes\": [", v->major, v->minor, v->patch, sgemm_gflops);
    else {
        printf("oneDNN %d.%d.%d (%s), OpenBLAS %s; sgemm 1024³: %.1f GFLOP/s (median of %d)\n\n",
               v->major, v->minor, v->patch, v->cpu_runtime == DNNL_RUNTIME_OMP ? "OpenMP" : "other threading",
               openblas_get_corename(), sgemm_gflops, repeats);
        printf("%-24s %-16s %-22s %-22s\n", "", "nchw + reorders", "", "blocked (no reorders)");
        printf("%-24s %8s %6s %10s %6s %8s %6s %10s %6s\n", "conv2d", "fwd", "ratio", "fwd+bwd", "ratio",
               "fwd", "ratio", "fwd+bwd", "ratio");
    }
    for (size_t k = 0; k < sizeof shapes / sizeof shapes[0]; k++) {
        const shape_t *s = &shapes[k];
        conv_t c;
        memset(&c, 0, sizeof c);
        setup(&c, s);
        double flops = 2.0 * s->n * s->c * s->size * s->size * (s->c / s->groups) * s->k * s->k;
        double t[4], r[4];
        for (int mode = 0; mode < 2; mode++) {
            c.with_reorders = mode == 0;
            paired(&ref, run_fwd, &c, flops, &t[2 * mode], &r[2 * mode]);
            paired(&ref, run_fwdbwd, &c, 3 * flops, &t[2 * mode + 1], &r[2 * mode + 1]);
        }
        char label[64];
        snprintf(label, sizeof label, "%dx%dx%dx%d %dx%d s1%s", s->n, s->c, s->size, s->size, s->k, s->k,
                 s->groups > 1 ? " g" : "");
        if (s->groups > 1) snprintf(label + strlen(label), sizeof label - strlen(label), "%d", s->groups);
        if (json) {
            printf("%s{\"name\": \"%s\", \"shape\": \"%s\", \"nchw\": {\"fwd_gflops\": %.1f, \"fwd_ratio\": %.3f, "
                   "\"fwdbwd_gflops\": %.1f, \"fwdbwd_ratio\": %.3f}, \"blocked\": {\"fwd_gflops\": %.1f, \"fwd_ratio\": %.3f, "
                   "\"fwdbwd_gflops\": %.1f, \"fwdbwd_ratio\": %.3f}, \"impl\": [\"%s\", \"%s\", \"%s\"]}",
                   k ? ", " : "", s->name, label, flops / t[0] / 1e9, r[0], 3 * flops / t[1] / 1e9, r[1],
                   flops / t[2] / 1e9, r[2], 3 * flops / t[3] / 1e9, r[3], c.impl[0], c.impl[1], c.impl[2]);
        } else {
            printf("%-24s %8.1f %6.2f %10.1f %6.2f %8.1f %6.2f %10.1f %6.2f   %s / %s / %s\n", label,
                   flops / t[0] / 1e9, r[0], 3 * flops / t[1] / 1e9, r[1],
                   flops / t[2] / 1e9, r[2], 3 * flops / t[3] / 1e9, r[3], c.impl[0], c.impl[1], c.impl[2]);
        }
        fflush(stdout);
    }
    if (json) printf("]}\n");
    else printf("\nGFLOP/s; fwd+bwd = forward + backward data + backward weights (3x forward FLOPs); ratio = median over "
                "back-to-back (sgemm, conv) pairs of conv GFLOP/s / sgemm GFLOP/s. Primitive implementations: fwd / bwd-data / bwd-weights.\n");
    return 0;
}
