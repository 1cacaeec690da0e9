using System.Numerics.Tensors;
using Crane.Numerics;

namespace Crane.Graphs;

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
}
