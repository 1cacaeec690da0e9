using System.Numerics.Tensors;
using Crane.Numerics;

namespace Crane.Numerics;

/// <summary>
/// Element-wise passes over whole embedding tables ((M+N)×d, megabytes), split across
/// <see cref="Parallelism.Threads"/>. Each element is computed alone, so the bits do not depend
/// on the split.
/// </summary>
internal static class Elementwise
{
    const int MinBlock = 1 << 16;

    /// <summary>d = x + y.</summary>
    public static void Add(float[] x, float[] y, float[] d) =>
        Parallelism.ForBlocks(d.Length, MinBlock, (s, e) => TensorPrimitives.Add(x.AsSpan(s, e - s), y.AsSpan(s, e - s), d.AsSpan(s, e - s)));

    /// <summary>d = (x + y)·c.</summary>
    public static void AddScale(float[] x, float[] y, float c, float[] d) =>
        Parallelism.ForBlocks(d.Length, MinBlock, (s, e) => TensorPrimitives.AddMultiply(x.AsSpan(s, e - s), y.AsSpan(s, e - s), c, d.AsSpan(s, e - s)));

    /// <summary>d = x·c.</summary>
    public static void Scale(float[] x, float c, float[] d) =>
        Parallelism.ForBlocks(d.Length, MinBlock, (s, e) => TensorPrimitives.Multiply(x.AsSpan(s, e - s), c, d.AsSpan(s, e - s)));

    /// <summary>d += x·c + y·c, or d += x·c when y is null.</summary>
    public static void AddScaleAccumulate(float[] x, float[]? y, float c, float[] d) =>
        Parallelism.ForBlocks(d.Length, MinBlock, (s, e) =>
        {
            var block = d.AsSpan(s, e - s);
            TensorPrimitives.MultiplyAdd(x.AsSpan(s, e - s), c, block, block);
            if (y is not null) TensorPrimitives.MultiplyAdd(y.AsSpan(s, e - s), c, block, block);
        });

    /// <summary>d[rows[k]] += x[k]·c for each row k of x (rows distinct): a scaled scatter of a few rows.</summary>
    public static void AddScaleAccumulateRows(Tensor x, int[] rows, float c, float[] d)
    {
        int width = x.Cols;
        Parallelism.ForBlocks(rows.Length, Math.Max(1, MinBlock / Math.Max(1, width)), (k0, k1) =>
        {
            for (int k = k0; k < k1; k++)
            {
                var row = d.AsSpan(rows[k] * width, width);
                TensorPrimitives.MultiplyAdd(x.Row(k), c, row, row);
            }
        });
    }
}
