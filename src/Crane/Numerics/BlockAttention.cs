using System.Buffers;
using System.Numerics.Tensors;

namespace Crane.Numerics;

/// <summary>
/// Scaled dot-product attention O = softmax(scale·Q·Kᵀ)·V computed block-wise, never holding the
/// Nq×Nk score matrix: the forward pass is FlashAttention's online softmax over key blocks and the
/// backward pass recomputes each score tile once from the saved per-row log-sum-exp (FlashAttention-2).
/// Memory is O((Nq + Nk)·d) plus a few tiles per thread; time is O(Nq·Nk·d).
/// Every output element is produced by one thread in a fixed block order, so results are
/// bit-identical for any <see cref="Parallelism.Threads"/>. Heads of 16 columns take
/// <see cref="SmallHeadAttention"/>'s kernels (same algorithm, tiles and schedule).
/// </summary>
public static class BlockAttention
{
    /// <summary>Rows of a query block and of a key block (a score tile is Block×Block).</summary>
    public const int Block = 64;

    /// <summary>
    /// Writes softmax(scale·Q·Kᵀ)·V into <paramref name="output"/> and returns each query row's
    /// log-sum-exp of its scaled scores (length Nq), which <see cref="Backward"/> needs.
    /// Shapes: q Nq×d, k Nk×d, v Nk×dv, output Nq×dv; Nk ≥ 1.
    /// </summary>
    public static float[] Forward(Tensor q, Tensor k, Tensor v, float scale, Tensor output)
    {
        CheckShapes(q, k, v);
        CheckShape(output, q.Rows, v.Cols, nameof(output));
        var kt = TransposedPanels(k);
        var lse = new float[q.Rows];
        int d = q.Cols, dv = v.Cols;
        bool smallHeads = SmallHeadAttention.Applies(q, v);
        Parallelism.ForBlocks(Blocks(q.Rows), 1, (first, last) =>
        {
            var s = new float[Block * Block];
            var rowMax = new float[Block];
            var rowSum = new float[Block];
            for (int qb = first; qb < last; qb++)
            {
                int i0 = qb * Block, nq = Math.Min(Block, q.Rows - i0);
                if (smallHeads)
                {
                    SmallHeadAttention.ForwardRows(q, kt, v, k.Rows, scale, output, lse, i0, nq, s, rowMax, rowSum);
                    continue;
                }
                var o = output.Data.AsSpan(i0 * dv, nq * dv);
                o.Clear();
                rowMax.AsSpan().Fill(float.NegativeInfinity);
                rowSum.AsSpan().Clear();
                for (int kb = 0; kb < Blocks(k.Rows); kb++)
                {
                    int j0 = kb * Block, nk = Math.Min(Block, k.Rows - j0);
                    var sTile = s.AsSpan(0, nq * Block);
                    Product(q.Data.AsSpan(i0 * d), d, kt.AsSpan(j0 * d), Block, sTile, Block, nq, Block, d, scale, false);
                    for (int r = 0; r < nq; r++)
                    {
                        // Online softmax: rescale what was summed so far to the new running max.
                        var sr = s.AsSpan(r * Block, nk);
                        float max = MathF.Max(rowMax[r], TensorPrimitives.Max(sr));
                        float correction = MathF.Exp(rowMax[r] - max);
                        if (correction != 1f)
                        {
                            rowSum[r] *= correction;
                            TensorPrimitives.Multiply(o.Slice(r * dv, dv), correction, o.Slice(r * dv, dv));
                        }
                        rowMax[r] = max;
                        TensorPrimitives.Subtract(sr, max, sr);
                    }
                    // One call over the tile (columns past nk are never read).
                    TensorPrimitives.Exp(sTile, sTile);
                    for (int r = 0; r < nq; r++) rowSum[r] += TensorPrimitives.Sum(s.AsSpan(r * Block, nk));
                    Product(s, Block, v.Data.AsSpan(j0 * dv), dv, o, dv, nq, dv, nk, 1f, true);
                }
                for (int r = 0; r < nq; r++)
                {
                    TensorPrimitives.Divide(o.Slice(r * dv, dv), rowSum[r], o.Slice(r * dv, dv));
                    lse[i0 + r] = rowMax[r] + MathF.Log(rowSum[r]);
                }
            }
        });
        return lse;
    }

    /// <summary>
    /// Adds the gradients of the attention inputs, given the forward <paramref name="output"/>, its
    /// <paramref name="logSumExp"/> (from <see cref="Forward"/>) and ∂loss/∂output
    /// <paramref name="outputGrad"/>, into <paramref name="qGrad"/>, <paramref name="kGrad"/> and
    /// <paramref name="vGrad"/> (each skipped when null). One pass over all (query block, key block)
    /// tile pairs recomputes each score tile once and feeds all three gradients from it.
    /// </summary>
    public static void Backward(Tensor q, Tensor k, Tensor v, float scale, Tensor output, float[] logSumExp,
        Tensor outputGrad, Tensor? qGrad, Tensor? kGrad, Tensor? vGrad)
    {
        CheckShapes(q, k, v);
        CheckShape(output, q.Rows, v.Cols, nameof(output));
        CheckShape(outputGrad, q.Rows, v.Cols, nameof(outputGrad));
        if (logSumExp.Length != q.Rows)
            throw new ArgumentException($"Attention: logSumExp has {logSumExp.Length} entries, expected {q.Rows}.", nameof(logSumExp));
        if (qGrad is not null) CheckShape(qGrad, q.Rows, q.Cols, nameof(qGrad));
        if (kGrad is not null) CheckShape(kGrad, k.Rows, k.Cols, nameof(kGrad));
        if (vGrad is not null) CheckShape(vGrad, v.Rows, v.Cols, nameof(vGrad));
        if (qGrad is null && kGrad is null && vGrad is null) return;

        // D_i = rowsum(dO_i ∘ O_i): the softmax Jacobian's correction term, one per query row.
        var dot = new float[q.Rows];
        Parallelism.ForBlocks(q.Rows, 256, (first, last) =>
        {
            for (int i = first; i < last; i++) dot[i] = TensorPrimitives.Dot(outputGrad.Row(i), output.Row(i));
        });

        bool needScoreGrad = qGrad is not null || kGrad is not null;
        var kt = TransposedPanels(k);
        var vt = needScoreGrad ? TransposedPanels(v) : [];
        var dO = outputGrad;
        int d = q.Cols, dv = v.Cols;
        if (SmallHeadAttention.Applies(q, v))
        {
            ForDisjointTilePairs(q.Rows, k.Rows, (i0, nq, j0, nk, p, ds) =>
                SmallHeadAttention.BackwardTile(q, k, kt, vt, scale, logSumExp, dot, dO, qGrad, kGrad, vGrad, i0, nq, j0, nk, p, ds));
            return;
        }
        ForDisjointTilePairs(q.Rows, k.Rows, (i0, nq, j0, nk, p, ds) =>
        {
            // P = exp(scale·Q·Kᵀ − lse) and dS = P ∘ (dO·Vᵀ − D), a query per tile row: the row
            // constants go in first and the products add onto them, so each element-wise step is
            // one call over the whole tile (columns past nk are never read).
            var pTile = p.AsSpan(0, nq * Block);
            FillRows(pTile, logSumExp.AsSpan(i0, nq));
            Product(q.Data.AsSpan(i0 * d), d, kt.AsSpan(j0 * d), Block, pTile, Block, nq, Block, d, scale, true);
            TensorPrimitives.Exp(pTile, pTile);
            if (needScoreGrad)
            {
                var dsTile = ds.AsSpan(0, nq * Block);
                FillRows(dsTile, dot.AsSpan(i0, nq));
                Product(dO.Data.AsSpan(i0 * dv), dv, vt.AsSpan(j0 * dv), Block, dsTile, Block, nq, Block, dv, 1f, true);
                TensorPrimitives.Multiply(pTile, dsTile, dsTile);
            }
            // dV += Pᵀ·dO, dK += scale·dSᵀ·Q, dQ += scale·dS·K.
            if (vGrad is not null)
                Product(p, Block, dO.Data.AsSpan(i0 * dv), dv, vGrad.Data.AsSpan(j0 * dv), dv, nk, dv, nq, 1f, true, transA: true);
            if (kGrad is not null)
                Product(ds, Block, q.Data.AsSpan(i0 * d), d, kGrad.Data.AsSpan(j0 * d), d, nk, d, nq, scale, true, transA: true);
            if (qGrad is not null)
                Product(ds, Block, k.Data.AsSpan(j0 * d), d, qGrad.Data.AsSpan(i0 * d), d, nq, d, nk, scale, true);
        });
    }

    /// <summary>
    /// One tile step: query rows [i0, i0 + nq), key rows [j0, j0 + nk), and two Block×Block
    /// scratch tiles owned by the running thread.
    /// </summary>
    delegate void TileStep(int i0, int nq, int j0, int nk, float[] tile, float[] tile2);

    /// <summary>Groups of blocks per side in the backward schedule: the parallelism it offers.</summary>
    const int MaxGroups = 16;

    /// <summary>
    /// Runs every (query block, key block) pair once, never two pairs that share a query block or a
    /// key block at the same time, so each gradient block has one writer. The blocks of each side are
    /// cut into G groups; step t runs the group pairs (g, (g + t) mod G) in parallel, each walking
    /// its query blocks × key blocks in order. The schedule depends on the shapes alone, so every
    /// gradient block sums its contributions in the same order whatever the thread count. The price:
    /// at most G = min(16, blocks on the shorter side) pairs run at once, and one barrier per step.
    /// </summary>
    static void ForDisjointTilePairs(int qRows, int kRows, TileStep step)
    {
        int qBlocks = Blocks(qRows), kBlocks = Blocks(kRows), groups = Math.Min(MaxGroups, Math.Min(qBlocks, kBlocks));
        for (int t = 0; t < groups; t++)
        {
            int shift = t;
            Parallelism.ForBlocks(groups, 1, (first, last) =>
            {
                var tile = ArrayPool<float>.Shared.Rent(Block * Block);
                var tile2 = ArrayPool<float>.Shared.Rent(Block * Block);
                for (int g = first; g < last; g++)
                {
                    int h = (g + shift) % groups;
                    for (int qb = g * qBlocks / groups; qb < (g + 1) * qBlocks / groups; qb++)
                        for (int kb = h * kBlocks / groups; kb < (h + 1) * kBlocks / groups; kb++)
                            step(qb * Block, Math.Min(Block, qRows - qb * Block), kb * Block, Math.Min(Block, kRows - kb * Block), tile, tile2);
                }
                ArrayPool<float>.Shared.Return(tile);
                ArrayPool<float>.Shared.Return(tile2);
            });
        }
    }

    /// <summary>Sets row r of a Block-wide tile to −values[r].</summary>
    static void FillRows(Span<float> tile, ReadOnlySpan<float> values)
    {
        for (int r = 0; r < values.Length; r++) tile.Slice(r * Block, Block).Fill(-values[r]);
    }

    /// <summary>
    /// Xᵀ cut into per-block panels: panel b holds rows [b·Block, b·Block + Block) of X transposed,
    /// Cols×Block contiguous and zero-padded, so every score tile is a full-width product.
    /// </summary>
    static float[] TransposedPanels(Tensor x)
    {
        int cols = x.Cols;
        var panels = new float[Blocks(x.Rows) * Block * cols];
        Parallelism.ForBlocks(Blocks(x.Rows), 4, (first, last) =>
        {
            for (int b = first; b < last; b++)
            {
                var panel = panels.AsSpan(b * cols * Block, cols * Block);
                for (int r = b * Block; r < Math.Min(x.Rows, (b + 1) * Block); r++)
                {
                    var row = x.Row(r);
                    for (int c = 0; c < cols; c++) panel[c * Block + r - b * Block] = row[c];
                }
            }
        });
        return panels;
    }

    /// <summary>
    /// C = α·op(A)·B (+ C when <paramref name="accumulate"/>) on row-major tiles: op(A) is m×k (A, or
    /// Aᵀ stored k×m when <paramref name="transA"/>), B is k×n. Runs
    /// on the calling thread, since the loops around it are the parallel ones.
    /// </summary>
    static void Product(ReadOnlySpan<float> a, int lda, ReadOnlySpan<float> b, int ldb, Span<float> c, int ldc,
        int m, int n, int k, float alpha, bool accumulate, bool transA = false)
        => Gemm.MultiplySequential(m, n, k, alpha, a, lda, transA, b, ldb, false, accumulate ? 1f : 0f, c, ldc);

    static int Blocks(int rows) => (rows + Block - 1) / Block;

    static void CheckShapes(Tensor q, Tensor k, Tensor v)
    {
        if (q.Cols != k.Cols)
            throw new ArgumentException($"Attention: queries {q.ShapeText} and keys {k.ShapeText} differ in width.");
        if (k.Rows != v.Rows)
            throw new ArgumentException($"Attention: keys {k.ShapeText} and values {v.ShapeText} differ in rows.");
        if (k.Rows == 0)
            throw new ArgumentException("Attention: there must be at least one key (softmax over an empty set).");
    }

    static void CheckShape(Tensor t, int rows, int cols, string name)
    {
        if (t.Rows != rows || t.Cols != cols)
            throw new ArgumentException($"Attention: {name} is {t.ShapeText}, expected {rows}×{cols}.", name);
    }
}
