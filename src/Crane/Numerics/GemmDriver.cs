using System.Buffers;
using System.Numerics.Tensors;

namespace Crane.Numerics;

/// <summary>
/// Cache blocking around the micro-kernel (the BLIS loop nest). For each panel of NC columns and
/// block of KC steps of k, op(B) is packed once into NR-wide slivers shared by all threads (sized to
/// stay in L2); then blocks of rows (or, when C has few rows, groups of slivers) run in parallel.
/// Each micro-panel of A (MR rows × KC) stays in L1 while it sweeps every sliver of the panel.
/// A is read in place when its rows are contiguous; Aᵀ is first copied, KC rows of at most MC
/// elements, so its broadcasts do not stride across whole rows of the stored matrix.
/// Every element of C is summed over k in the same order whatever the partition, so the result
/// does not depend on the thread count.
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

    internal static void Run(SimdWidth path, int m, int n, int k, float alpha,
        ReadOnlySpan<float> a, int lda, bool transA, ReadOnlySpan<float> b, int ldb, bool transB,
        float beta, Span<float> c, int ldc)
    {
        fixed (float* pa = a, pb = b, pc = c)
        {
            if (k == 0 || alpha == 0f) Scale(pc, m, n, ldc, beta);
            else new Job(path, m, n, k, alpha, pa, lda, transA, pb, ldb, transB, beta, pc, ldc).Run();
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

    /// <summary>One multiplication: the operands as pointers (pinned by the caller) and the packed B.</summary>
    sealed class Job(SimdWidth path, int m, int n, int k, float alpha,
        float* a, int lda, bool transA, float* b, int ldb, bool transB, float beta, float* c, int ldc)
    {
        readonly int _nr = GemmKernels.Nr(path);
        float* _packedB;

        public void Run()
        {
            int kcMax = Math.Min(k, KC);
            int ncMax = Math.Max(_nr, PanelFloats / kcMax / _nr * _nr);
            int slivers = (Math.Min(n, ncMax) + _nr - 1) / _nr;
            float[] bufB = ArrayPool<float>.Shared.Rent(slivers * _nr * kcMax);
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
                ArrayPool<float>.Shared.Return(bufB);
            }
        }

        /// <summary>C[:, jc..jc+nc] (+)= α·op(A)[:, p0..p0+kc]·op(B)[p0..p0+kc, jc..jc+nc].</summary>
        void RunBlock(int jc, int nc, int p0, int kc)
        {
            int slivers = (nc + _nr - 1) / _nr, panels = (m + MR - 1) / MR;
            Parallelism.ForBlocks(slivers, 4, (s0, s1) => PackB(jc, nc, p0, kc, s0, s1));
            if (panels >= 2 * Parallelism.Threads || slivers == 1)
                Parallelism.ForBlocks(panels, MC / MR, (q0, q1) => Compute(q0 * MR, Math.Min(m, q1 * MR), 0, slivers, jc, nc, p0, kc));
            else
                Parallelism.ForBlocks(slivers, 1, (s0, s1) => Compute(0, m, s0, s1, jc, nc, p0, kc));
        }

        /// <summary>Packs slivers [s0, s1) of op(B)[p0..p0+kc, jc..jc+nc], each kc×NR, zero-padded past n.</summary>
        void PackB(int jc, int nc, int p0, int kc, int s0, int s1)
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
        void Compute(int i0, int i1, int s0, int s1, int jc, int nc, int p0, int kc)
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
                                float* cij = c + (nint)(ib + ir) * ldc + j, bs = _packedB + (nint)s * kc * _nr;
                                if (mr == MR && w == _nr)
                                    GemmKernels.Run(path, kc, ap + ir * rs, rs, cs, mr, bs, cij, ldc, TileStore.For(p0 == 0, alpha, beta));
                                else
                                {
                                    // Edge tile: compute the whole tile aside, then add only its valid part.
                                    GemmKernels.Run(path, kc, ap + ir * rs, rs, cs, mr, bs, tile, _nr, TileStore.Raw);
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
        void Update(float* tile, int mr, int w, float* cij, bool first)
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
