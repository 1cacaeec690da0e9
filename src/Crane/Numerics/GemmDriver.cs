using System.Buffers;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;

namespace Crane.Numerics;

/// <summary>
/// Cache blocking around the micro-kernel (the BLIS loop nest). For each panel of NC columns and
/// block of KC steps of k, op(B) is packed once into NR-wide slivers shared by all threads (sized to
/// stay in L2); then blocks of rows (or, when C has few rows, groups of slivers) run in parallel.
/// Each micro-panel of A (MR rows × KC) stays in L1 while it sweeps every sliver of the panel.
/// A is read in place when its rows are contiguous; Aᵀ is first copied, KC rows of at most MC
/// elements, so its broadcasts do not stride across whole rows of the stored matrix.
/// Run sequentially (small tiles inside a caller's parallel loop), full-width slivers of an
/// untransposed B are read in place instead of packed, and buffers come from the array pool,
/// so a call allocates nothing.
/// Every element of C is summed over k in the same order whatever the partition or mode, so the
/// result does not depend on the thread count.
/// </summary>
internal static unsafe class GemmDriver
{
    const int MR = GemmKernels.MR;
    /// <summary>Steps of k per packed block.</summary>
    internal const int KC = 256;
    /// <summary>Rows of Aᵀ copied at a time (a multiple of MR).</summary>
    const int MC = 20 * MR;
    /// <summary>Floats of packed B per panel: 512 KB, half of a typical L2.</summary>
    const int PanelFloats = 128 * 1024;

    internal static void Run(SimdWidth path, bool parallel, int m, int n, int k, float alpha,
        ReadOnlySpan<float> a, int lda, bool transA, ReadOnlySpan<float> b, int ldb, bool transB,
        float beta, Span<float> c, int ldc)
    {
        fixed (float* pa = a, pb = b, pc = c)
        {
            if (k == 0 || alpha == 0f) Scale(pc, m, n, ldc, beta);
            else new Job(path, parallel, m, n, k, alpha, pa, lda, transA, pb, ldb, transB, beta, pc, ldc).Run();
        }
    }

    /// <summary>C = β·C (C = 0 when β = 0, without reading C).</summary>
    static void Scale(float* c, int m, int n, int ldc, float beta)
    {
        for (int i = 0; i < m; i++)
        {
            var row = new Span<float>(c + (nint)i * ldc, n);
            if (beta == 0f) row.Clear();
            else TensorPrimitives.Multiply(row, beta, row);
        }
    }

    /// <summary>
    /// One multiplication: the operands as pointers (pinned by the caller) and the packed B. A struct,
    /// so the sequential mode allocates nothing; the parallel mode's closures capture a copy.
    /// </summary>
    struct Job(SimdWidth path, bool parallel, int m, int n, int k, float alpha,
        float* a, int lda, bool transA, float* b, int ldb, bool transB, float beta, float* c, int ldc)
    {
        readonly int _nr = GemmKernels.Nr(path);
        float* _packedB;

        public void Run()
        {
            int kcMax = Math.Min(k, KC);
            int ncMax = Math.Max(_nr, PanelFloats / kcMax / _nr * _nr);
            int slivers = (Math.Min(n, ncMax) + _nr - 1) / _nr;
            // Reading every sliver in place leaves nothing to pack.
            bool packs = parallel || transB || n % _nr != 0;
            float[]? bufB = packs ? ArrayPool<float>.Shared.Rent(slivers * _nr * kcMax) : null;
            try
            {
                fixed (float* pb = bufB)
                {
                    _packedB = pb;
                    for (int jc = 0; jc < n; jc += ncMax)
                        for (int p0 = 0; p0 < k; p0 += KC)
                            RunBlock(jc, Math.Min(ncMax, n - jc), p0, Math.Min(KC, k - p0));
                }
            }
            finally
            {
                _packedB = null;
                if (bufB is not null) ArrayPool<float>.Shared.Return(bufB);
            }
        }

        /// <summary>C[:, jc..jc+nc] (+)= α·op(A)[:, p0..p0+kc]·op(B)[p0..p0+kc, jc..jc+nc].</summary>
        readonly void RunBlock(int jc, int nc, int p0, int kc)
        {
            int slivers = (nc + _nr - 1) / _nr;
            if (parallel)
            {
                RunBlockInParallel(jc, nc, p0, kc, slivers);
                return;
            }
            for (int s = 0; s < slivers; s++)
                if (!InPlace(jc, nc, s)) PackB(jc, nc, p0, kc, s, s + 1);
            Compute(0, m, 0, slivers, jc, nc, p0, kc);
        }

        /// <summary>RunBlock's parallel mode, apart so the closures it needs are not allocated in sequential mode.</summary>
        readonly void RunBlockInParallel(int jc, int nc, int p0, int kc, int slivers)
        {
            int panels = (m + MR - 1) / MR;
            var (job, rows) = (this, m);
            Parallelism.ForBlocks(slivers, 4, (s0, s1) => job.PackB(jc, nc, p0, kc, s0, s1));
            if (panels >= 2 * Parallelism.Threads || slivers == 1)
                Parallelism.ForBlocks(panels, MC / MR, (q0, q1) => job.Compute(q0 * MR, Math.Min(rows, q1 * MR), 0, slivers, jc, nc, p0, kc));
            else
                Parallelism.ForBlocks(slivers, 1, (s0, s1) => job.Compute(0, rows, s0, s1, jc, nc, p0, kc));
        }

        /// <summary>Whether sliver s is read from B itself: sequential mode, untransposed B, full width.</summary>
        readonly bool InPlace(int jc, int nc, int s) => !parallel && !transB && nc - s * _nr >= _nr;

        /// <summary>Packs slivers [s0, s1) of op(B)[p0..p0+kc, jc..jc+nc], each kc×NR, zero-padded past n.</summary>
        readonly void PackB(int jc, int nc, int p0, int kc, int s0, int s1)
        {
            for (int s = s0; s < s1; s++)
            {
                float* dst = _packedB + (nint)s * kc * _nr;
                int j0 = jc + s * _nr, w = Math.Min(_nr, jc + nc - j0);
                if (w < _nr) new Span<float>(dst, kc * _nr).Clear();
                if (transB)
                    for (int j = 0; j < w; j++)
                    {
                        float* src = b + (nint)(j0 + j) * ldb + p0;
                        for (int p = 0; p < kc; p++) dst[p * _nr + j] = src[p];
                    }
                else
                    for (int p = 0; p < kc; p++)
                        new ReadOnlySpan<float>(b + (nint)(p0 + p) * ldb + j0, w).CopyTo(new Span<float>(dst + p * _nr, w));
            }
        }

        /// <summary>Rows [i0, i1) × slivers [s0, s1) of the current block.</summary>
        [SkipLocalsInit]
        readonly void Compute(int i0, int i1, int s0, int s1, int jc, int nc, int p0, int kc)
        {
            float* tile = stackalloc float[MR * _nr];
            float[]? bufA = transA ? ArrayPool<float>.Shared.Rent(MC * kc) : null;
            try
            {
                fixed (float* copyA = bufA)
                    for (int ib = i0; ib < i1; ib += MC)
                    {
                        int mb = Math.Min(MC, i1 - ib);
                        // op(A)(i, p) sits at ap[i·rs + p·cs].
                        float* ap = a + (nint)ib * lda + p0;
                        nint rs = lda, cs = 1;
                        if (transA)
                        {
                            for (int p = 0; p < kc; p++)
                                new ReadOnlySpan<float>(a + (nint)(p0 + p) * lda + ib, mb).CopyTo(new Span<float>(copyA + p * mb, mb));
                            ap = copyA;
                            rs = 1;
                            cs = mb;
                        }

                        for (int ir = 0; ir < mb; ir += MR)
                        {
                            int mr = Math.Min(MR, mb - ir);
                            for (int s = s0; s < s1; s++)
                            {
                                int j = jc + s * _nr, w = Math.Min(_nr, jc + nc - j);
                                float* cij = c + (nint)(ib + ir) * ldc + j;
                                // The sliver: kc rows of NR floats, ldbs apart.
                                bool inPlace = InPlace(jc, nc, s);
                                float* bs = inPlace ? b + (nint)p0 * ldb + j : _packedB + (nint)s * kc * _nr;
                                nint ldbs = inPlace ? ldb : _nr;
                                if (w == _nr)
                                    GemmKernels.Run(path, kc, ap + ir * rs, rs, cs, mr, bs, ldbs, cij, ldc, TileStore.For(p0 == 0, alpha, beta));
                                else
                                {
                                    // Ragged right edge: compute the whole tile aside, then add only its valid columns.
                                    GemmKernels.Run(path, kc, ap + ir * rs, rs, cs, mr, bs, ldbs, tile, _nr, TileStore.Raw);
                                    Update(tile, mr, w, cij, p0 == 0);
                                }
                            }
                        }
                    }
            }
            finally
            {
                if (bufA is not null) ArrayPool<float>.Shared.Return(bufA);
            }
        }

        /// <summary>
        /// Adds α·tile to an edge of C; the first block of k also applies β (and never reads C when β = 0).
        /// Rounds as <see cref="TileStore"/> does for full tiles.
        /// </summary>
        readonly void Update(float* tile, int mr, int w, float* cij, bool first)
        {
            for (int r = 0; r < mr; r++)
            {
                var t = new ReadOnlySpan<float>(tile + r * _nr, w);
                var row = new Span<float>(cij + (nint)r * ldc, w);
                if (first && beta == 0f)
                {
                    TensorPrimitives.Multiply(t, alpha, row);
                    continue;
                }
                if (first && beta != 1f) TensorPrimitives.Multiply(row, beta, row);
                TensorPrimitives.MultiplyAdd(t, alpha, row, row);
            }
        }
    }
}
