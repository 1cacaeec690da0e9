using System.Numerics.Tensors;
using System.Runtime.InteropServices;
using Crane.Numerics;

namespace Crane.Autograd;

/// <summary>
/// A node of the computation graph: a value, its gradient, and how to send that gradient to the
/// inputs that made it. Parameters are leaves that require a gradient; constants are leaves that
/// do not; everything else is the output of an op in <see cref="Ops"/>.
/// </summary>
public sealed class Variable
{
    readonly Variable[] _parents;
    readonly Action<Tensor>? _backward;
    Tensor? _spareGrad; // the last gradient's storage, reused after ZeroGrad
    [ThreadStatic] static GradientPool? t_pool; // the running Backward's released gradients
    [ThreadStatic] static int t_noGradDepth;    // > 0 inside NoGrad(): ops record nothing

    /// <summary>The forward value.</summary>
    public Tensor Value { get; }

    /// <summary>∂loss/∂Value after <see cref="Backward"/>; null until a gradient reaches this node.</summary>
    public Tensor? Grad { get; private set; }

    /// <summary>True when a gradient must flow into this node.</summary>
    public bool RequiresGrad { get; }

    /// <summary>An optional name, for messages and saved state.</summary>
    public string? Name { get; init; }

    /// <summary>Rows of <see cref="Value"/>.</summary>
    public int Rows => Value.Rows;

    /// <summary>Columns of <see cref="Value"/>.</summary>
    public int Cols => Value.Cols;

    Variable(Tensor value, bool requiresGrad, Variable[] parents, Action<Tensor>? backward)
    {
        Value = value;
        RequiresGrad = requiresGrad;
        _parents = parents;
        _backward = backward;
    }

    /// <summary>A trainable leaf.</summary>
    public static Variable Parameter(Tensor value, string? name = null) => new(value, true, [], null) { Name = name };

    /// <summary>A leaf that receives no gradient.</summary>
    public static Variable Constant(Tensor value) => new(value, false, [], null);

    /// <summary>
    /// The output of an op. <paramref name="backward"/> receives this node's gradient and adds
    /// each input's share into <see cref="GradOrZeros"/> of the inputs that require it. It is not
    /// recorded when no input requires a gradient.
    /// </summary>
    internal static Variable FromOp(Tensor value, Variable[] parents, Action<Tensor> backward)
    {
        if (t_noGradDepth > 0) return new Variable(value, false, [], null);
        bool requires = false;
        foreach (var p in parents) requires |= p.RequiresGrad;
        return requires ? new Variable(value, true, parents, backward) : new Variable(value, false, [], null);
    }

    /// <summary>
    /// Until the returned scope is disposed, ops on this thread record no graph even when their
    /// inputs are parameters: a forward pass for scoring keeps no tape and no parent references
    /// (as <c>torch.no_grad()</c>). Scopes nest.
    /// </summary>
    public static NoGradScope NoGrad()
    {
        t_noGradDepth++;
        return new NoGradScope();
    }

    /// <summary>True inside <see cref="NoGrad"/> on this thread.</summary>
    public static bool IsNoGrad => t_noGradDepth > 0;

    /// <summary>The scope <see cref="NoGrad"/> opens; disposing it ends that scope.</summary>
    public readonly struct NoGradScope : IDisposable
    {
        /// <inheritdoc />
        public void Dispose() => t_noGradDepth--;
    }

    /// <summary>True for parameters and constants.</summary>
    public bool IsLeaf => _backward is null;

    /// <summary>
    /// The gradient tensor, zeros on first use; ops add into it. After <see cref="ZeroGrad"/> the
    /// previous gradient's storage is cleared and reused: a fresh table of a big parameter costs
    /// a page fault per 4 KiB on first touch, every training step. Otherwise, inside
    /// <see cref="Backward"/>, a spent gradient of the same shape is cleared and reused.
    /// </summary>
    internal Tensor GradOrZeros()
    {
        if (Grad is not null) return Grad;
        if (_spareGrad is { } spare)
        {
            _spareGrad = null;
            spare.Clear();
            return Grad = spare;
        }
        return Grad = t_pool?.Take(Value.Rows, Value.Cols) ?? Value.ZerosLike();
    }

    /// <summary>Adds <paramref name="gradient"/> (same shape as the value) into the gradient.</summary>
    internal void AccumulateGrad(ReadOnlySpan<float> gradient)
    {
        var g = GradOrZeros().AsSpan();
        TensorPrimitives.Add(g, gradient, g);
    }

    /// <summary>
    /// Forgets the gradient (optimisers call this between steps): <see cref="Grad"/> becomes null.
    /// Its storage is kept for the next gradient, so a tensor read from <see cref="Grad"/> before
    /// this call is overwritten by the next backward pass; clone it to keep it.
    /// </summary>
    public void ZeroGrad()
    {
        if (Grad is not null) _spareGrad = Grad;
        Grad = null;
    }

    /// <summary>
    /// Back-propagates from this 1×1 node: seeds ∂self/∂self = 1, then visits the graph in
    /// reverse topological order. Intermediate gradients are released once used; leaf
    /// gradients accumulate across calls until <see cref="ZeroGrad"/>.
    /// </summary>
    public void Backward()
    {
        if (Value.Length != 1)
            throw new InvalidOperationException($"Backward() needs a scalar (1×1) output, not {Value.ShapeText}.");
        if (!RequiresGrad) return;
        var order = TopologicalOrder();
        var outer = t_pool;
        t_pool = new GradientPool();
        try
        {
            GradOrZeros().Data[0] += 1f;
            for (int i = order.Count - 1; i >= 0; i--)
            {
                var node = order[i];
                if (node._backward is null || node.Grad is null) continue;
                node._backward(node.Grad);
                t_pool.Return(node.Grad);   // an op's gradient is spent once its inputs have their shares
                node.Grad = null;
            }
        }
        finally
        {
            t_pool = outer;
        }
    }

    /// <summary>
    /// Spent gradients of one backward pass, by shape, handed out again (cleared) to nodes visited
    /// later: most of a step's gradients are a few shapes ((M+N)×d tables and the like), and a fresh
    /// large table costs a large-object allocation and its page faults.
    /// </summary>
    sealed class GradientPool
    {
        readonly Dictionary<(int Rows, int Cols), Stack<Tensor>> _free = [];

        public Tensor? Take(int rows, int cols)
        {
            if (!_free.TryGetValue((rows, cols), out var stack) || !stack.TryPop(out var tensor)) return null;
            tensor.Clear();
            return tensor;
        }

        public void Return(Tensor tensor)
        {
            ref var stack = ref CollectionsMarshal.GetValueRefOrAddDefault(_free, (tensor.Rows, tensor.Cols), out _);
            (stack ??= new Stack<Tensor>()).Push(tensor);
        }
    }

    /// <summary>Nodes that require a gradient, each after all of its inputs (iterative DFS).</summary>
    List<Variable> TopologicalOrder()
    {
        var order = new List<Variable>();
        var visited = new HashSet<Variable>(ReferenceEqualityComparer.Instance);
        var stack = new Stack<(Variable Node, int NextParent)>();
        stack.Push((this, 0));
        visited.Add(this);
        while (stack.Count > 0)
        {
            var (node, next) = stack.Pop();
            if (next < node._parents.Length)
            {
                stack.Push((node, next + 1));
                var parent = node._parents[next];
                if (parent.RequiresGrad && visited.Add(parent)) stack.Push((parent, 0));
            }
            else
            {
                order.Add(node);
            }
        }
        return order;
    }

    /// <inheritdoc />
    public override string ToString() => $"Variable{(Name is null ? "" : " " + Name)} {Value.ShapeText}";
}
