using System.Numerics.Tensors;
using Crane.Autograd;
using Crane.Numerics;

namespace Crane.Graphs;

/// <summary>
/// LightGCN propagation, the one used by every graph model: E⁽ˡ⁺¹⁾ = A·E⁽ˡ⁾ for l &lt; L, and the
/// output is the mean of the layers 0..L, (1/(L+1))·Σₗ Aˡ·E⁽⁰⁾. A is usually
/// <see cref="UserItemGraph"/>'s Â, but any square sparse graph works.
/// </summary>
public static partial class Propagation
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
            Horner(g, layers, (x, y) =>
            {
                if (transposed is not null) SpMM.Multiply(transposed, x, y);
                else SpMM.MultiplyTransposed(graph, x, y);
            }, e0.GradOrZeros().Data);
        });
    }

    /// <summary>The layer mean of a plain table, without gradients (e.g. once before scoring).</summary>
    public static Tensor LayerMean(CsrMatrix graph, Tensor e0, int layers)
    {
        Validate(graph, e0, layers);
        float scale = 1f / (layers + 1);
        var sum = e0.ZerosLike();
        if (layers == 0)
        {
            Elementwise.Scale(e0.Data, scale, sum.Data);
            return sum;
        }
        // sum = E⁰ + E¹ + … with the last addition fused with the 1/(L+1) scaling; two layer
        // buffers take turns, and the input table is only ever read.
        var current = e0;
        var (next, spare) = (e0.ZerosLike(), layers > 1 ? e0.ZerosLike() : null);
        for (int l = 1; l <= layers; l++)
        {
            SpMM.Multiply(graph, current, next);
            var partial = l == 1 ? e0 : sum;
            if (l < layers) Elementwise.Add(partial.Data, next.Data, sum.Data);
            else Elementwise.AddScale(partial.Data, next.Data, scale, sum.Data);
            (current, next) = (next, l == 1 ? spare! : current);
        }
        return sum;
    }

    /// <summary>
    /// destination += (1/(L+1))·Σₗ Bˡ·G, B given as a product y = B·x, with L products
    /// (acc ← G + B·acc), the last step fused with the scaling and the accumulation.
    /// </summary>
    static void Horner(Tensor g, int layers, Action<Tensor, Tensor> multiply, float[] destination)
    {
        float scale = 1f / (layers + 1);
        var acc = g;
        var product = g.ZerosLike();
        for (int l = 0; l < layers; l++)
        {
            multiply(acc, product);
            if (l == layers - 1) Elementwise.AddScaleAccumulate(g.Data, product.Data, scale, destination);
            else
            {
                if (l == 0) acc = g.ZerosLike(); // g itself must stay intact
                Elementwise.Add(g.Data, product.Data, acc.Data);
            }
        }
        if (layers == 0) Elementwise.AddScaleAccumulate(g.Data, null, scale, destination);
    }

    static void Validate(CsrMatrix graph, Tensor e0, int layers)
    {
        if (graph.Rows != graph.Cols) throw new ArgumentException($"Propagation needs a square graph, not {graph.Rows}×{graph.Cols}.");
        if (e0.Rows != graph.Rows) throw new ArgumentException($"Propagation: the graph has {graph.Rows} nodes but the embedding table is {e0.ShapeText}.");
        ArgumentOutOfRangeException.ThrowIfNegative(layers);
    }
}
