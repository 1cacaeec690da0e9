using System.Numerics.Tensors;
using Crane.Autograd;
using Crane.Numerics;

namespace Crane.Graphs;

/// <summary>
/// LightGCN propagation, the one used by every graph model: E⁽ˡ⁺¹⁾ = A·E⁽ˡ⁾ for l &lt; L, and the
/// output is the mean of the layers 0..L, (1/(L+1))·Σₗ Aˡ·E⁽⁰⁾. A is usually
/// <see cref="UserItemGraph"/>'s Â, but any square sparse graph works.
/// </summary>
public static class Propagation
{
    /// <summary>
    /// The layer mean as one autograd node. Forward keeps only a running sum and the current
    /// layer (no per-layer tape); backward is ∂E⁽⁰⁾ = (1/(L+1))·Σₗ (Aᵀ)ˡ·G, evaluated Horner-style
    /// with L products (acc ← G + Aᵀ·acc). Products with Aᵀ use <paramref name="transposed"/>
    /// when given (pass A itself for a symmetric graph such as Â), else the transposed kernel.
    /// </summary>
    public static Variable LayerMean(CsrMatrix graph, Variable e0, int layers, CsrMatrix? transposed = null)
    {
        Validate(graph, e0.Value, layers);
        if (transposed is not null && (transposed.Rows != graph.Rows || transposed.NonZeros != graph.NonZeros))
            throw new ArgumentException($"{nameof(LayerMean)}: the given transpose is {transposed.Rows}×{transposed.Cols} with {transposed.NonZeros} entries but the graph has {graph.NonZeros}.");
        var mean = LayerMean(graph, e0.Value, layers);
        return Variable.FromOp(mean, [e0], g =>
        {
            var grad = Horner(g, layers, (x, y) =>
            {
                if (transposed is not null) SpMM.Multiply(transposed, x, y);
                else SpMM.MultiplyTransposed(graph, x, y);
            });
            e0.AccumulateGrad(grad.Data);
        });
    }

    /// <summary>The layer mean of a plain table, without gradients (e.g. once before scoring).</summary>
    public static Tensor LayerMean(CsrMatrix graph, Tensor e0, int layers)
    {
        Validate(graph, e0, layers);
        var sum = e0.Clone();
        var current = e0;
        var next = e0.ZerosLike();
        var spare = layers > 1 ? e0.ZerosLike() : null;
        for (int l = 1; l <= layers; l++)
        {
            SpMM.Multiply(graph, current, next);
            TensorPrimitives.Add(sum.Data, next.Data, sum.Data);
            // Reuse two buffers; the input table is only ever read.
            (current, next) = (next, l == 1 ? spare! : current);
        }
        TensorPrimitives.Multiply(sum.Data, 1f / (layers + 1), sum.Data);
        return sum;
    }

    /// <summary>(1/(L+1))·Σₗ Bˡ·G for B given as a product y = B·x, with L products: acc ← G + B·acc.</summary>
    static Tensor Horner(Tensor g, int layers, Action<Tensor, Tensor> multiply)
    {
        var acc = g.Clone();
        var product = g.ZerosLike();
        for (int l = 0; l < layers; l++)
        {
            multiply(acc, product);
            TensorPrimitives.Add(g.Data, product.Data, acc.Data);
        }
        TensorPrimitives.Multiply(acc.Data, 1f / (layers + 1), acc.Data);
        return acc;
    }

    static void Validate(CsrMatrix graph, Tensor e0, int layers)
    {
        if (graph.Rows != graph.Cols) throw new ArgumentException($"Propagation needs a square graph, not {graph.Rows}×{graph.Cols}.");
        if (e0.Rows != graph.Rows) throw new ArgumentException($"Propagation: the graph has {graph.Rows} nodes but the embedding table is {e0.ShapeText}.");
        ArgumentOutOfRangeException.ThrowIfNegative(layers);
    }
}
