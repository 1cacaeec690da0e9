using Crane.Autograd;
using Crane.Numerics;

namespace Crane.Graphs;

public static partial class Propagation
{
    /// <summary>
    /// The layer mean at a few nodes only: row k is row nodes[k] of
    /// <see cref="LayerMean(CsrMatrix, Variable, int, CsrMatrix?)"/>, with the same bits, and so
    /// is the gradient that reaches E⁽⁰⁾. A training batch reads only its own nodes, so
    /// the last layer is computed for those rows alone (A[nodes,:]·E⁽ᴸ⁻¹⁾), and backward's first
    /// product Aᵀ·G only visits the entries of those rows, since G is zero elsewhere. Layers 1..L−1
    /// and the other backward products still cover the whole graph: the result is exact.
    /// </summary>
    /// <param name="graph">The square graph A.</param>
    /// <param name="e0">The layer-0 table E⁽⁰⁾, one row per node.</param>
    /// <param name="layers">L ≥ 0.</param>
    /// <param name="nodes">The rows wanted, strictly ascending (e.g. <see cref="BatchNodes.Nodes"/>).</param>
    /// <param name="transposed">Aᵀ, or A itself for a symmetric graph; null uses the transposed kernel.</param>
    /// <param name="workspace">Scratch tables reused across calls; null allocates fresh ones.</param>
    public static Variable LayerMeanAt(CsrMatrix graph, Variable e0, int layers, int[] nodes,
        CsrMatrix? transposed = null, PropagationWorkspace? workspace = null)
    {
        Validate(graph, e0.Value, layers);
        ArgumentNullException.ThrowIfNull(nodes);
        nodes = (int[])nodes.Clone(); // backward runs later; the caller may reuse its array by then
        for (int k = 0; k < nodes.Length; k++)
            if ((uint)nodes[k] >= (uint)graph.Rows || (k > 0 && nodes[k] <= nodes[k - 1]))
                throw new ArgumentException($"{nameof(LayerMeanAt)}: nodes must be strictly ascending and inside the graph's {graph.Rows} nodes; node {nodes[k]} at position {k} is not.", nameof(nodes));
        workspace ??= new PropagationWorkspace();
        var mean = MeanAtNodes(graph, e0.Value, layers, nodes, workspace);
        return Variable.FromOp(mean, [e0], g => MeanAtNodesBackward(graph, transposed, layers, nodes, g, workspace, e0.GradOrZeros()));
    }

    /// <summary>LayerMean's forward with its running sum kept only at the nodes and the last layer only there.</summary>
    static Tensor MeanAtNodes(CsrMatrix graph, Tensor e0, int layers, int[] nodes, PropagationWorkspace workspace)
    {
        float scale = 1f / (layers + 1);
        var atNodes = new Tensor(nodes.Length, e0.Cols);
        RowOps.GatherRows(e0, nodes, atNodes);
        var mean = new Tensor(nodes.Length, e0.Cols);
        if (layers == 0)
        {
            Elementwise.Scale(atNodes.Data, scale, mean.Data);
            return mean;
        }
        // The same additions, in the same order, as the full LayerMean, restricted to the nodes'
        // rows: sum = E⁰ + E¹ + …, the last one fused with the scaling.
        var current = e0;
        var partial = atNodes;
        var layer = new Tensor(nodes.Length, e0.Cols);
        for (int l = 1; l < layers; l++)
        {
            var next = workspace.Table((l - 1) % 2, e0.Rows, e0.Cols);
            SpMM.Multiply(graph, current, next);
            RowOps.GatherRows(next, nodes, layer);
            var sum = l == 1 ? mean : partial; // mean doubles as the running sum until the last layer
            Elementwise.Add(partial.Data, layer.Data, sum.Data);
            (partial, current) = (sum, next);
        }
        SpMM.MultiplyRows(graph, nodes, current, layer);
        Elementwise.AddScale(partial.Data, layer.Data, scale, mean.Data);
        return mean;
    }

    /// <summary>
    /// destination += (1/(L+1))·Σₗ (Aᵀ)ˡ·G̃ with G̃ the node rows' gradient g placed at the nodes,
    /// Horner-style as <see cref="Horner"/>, the first product from the nodes' entries only.
    /// </summary>
    static void MeanAtNodesBackward(CsrMatrix graph, CsrMatrix? transposed, int layers, int[] nodes, Tensor g,
        PropagationWorkspace workspace, Tensor destination)
    {
        float scale = 1f / (layers + 1);
        // G̃'s share (G̃ + …)·scale goes in first, as in the full Horner's fused last step.
        Elementwise.AddScaleAccumulateRows(g, nodes, scale, destination.Data);
        if (layers == 0) return;
        int n = graph.Rows, d = g.Cols;
        if (layers == 1)
        {
            var product = workspace.Table(0, n, d);
            SpMM.MultiplyTransposedFromRows(graph, nodes, g, product);
            Elementwise.AddScaleAccumulate(product.Data, null, scale, destination.Data);
            return;
        }
        var acc = workspace.Table(0, n, d);
        SpMM.MultiplyTransposedFromRows(graph, nodes, g, acc);
        for (int l = 1; l < layers; l++)
        {
            RowOps.ScatterAddRows(g, nodes, acc); // acc = G̃ + Aᵀ·acc, in place
            if (l == layers - 1)
            {
                // The last product goes straight into the destination, scaled: no temporary table.
                if (transposed is not null) SpMM.MultiplyAccumulate(transposed, acc, scale, destination);
                else SpMM.MultiplyAccumulate(graph, acc, scale, destination, transposed: true);
                return;
            }
            var next = workspace.Table(l % 2, n, d);
            if (transposed is not null) SpMM.Multiply(transposed, acc, next);
            else SpMM.MultiplyTransposed(graph, acc, next);
            acc = next;
        }
    }
}
