using Crane.Autograd;
using Crane.Numerics;

namespace Crane.Models;

/// <summary>Which axis nn.MultiheadAttention's sequence runs along in crane-released (crane-spec.md §7).</summary>
public enum AttentionAxis
{
    /// <summary>The released code's layout: each modality's N items form one sequence (N×N per head, computed block-wise).</summary>
    Items,

    /// <summary>The paper's intent: each item's modality tokens form a sequence (|𝓜|×|𝓜| per item and head).</summary>
    Modalities,
}

/// <summary>
/// Self-attention with H heads and shared weights, as PyTorch's nn.MultiheadAttention:
/// Q = X·W_Q + b_Q, K = X·W_K + b_K, V = X·W_V + b_V (W_Q, W_K, W_V Xavier-uniform over the
/// stacked 3d×d in-projection, biases 0), per head h: softmax(Q_h·K_hᵀ/√(d/H))·V_h, heads
/// concatenated, then ·W_O + b_O (nn.Linear init, b_O = 0). No dropout.
/// </summary>
internal sealed class MultiHeadAttention
{
    readonly int _heads, _headSize;
    readonly Variable _wq, _wk, _wv, _bq, _bk, _bv;
    readonly Linear _out;

    public MultiHeadAttention(int size, int heads, Rng init)
    {
        if (size % heads != 0) throw new ArgumentException($"Setting n_heads={heads} must divide embedding_size={size}.");
        (_heads, _headSize) = (heads, size / heads);
        // PyTorch draws one 3d×d in_proj_weight with Xavier-uniform: bound √(6/(3d + d)).
        float bound = MathF.Sqrt(6f / (4 * size));
        Variable Weight(string name)
        {
            var w = new Tensor(size, size);
            init.FillUniform(w.Data, -bound, bound);
            return Variable.Parameter(w, name);
        }
        (_wq, _wk, _wv) = (Weight("attention.w_q"), Weight("attention.w_k"), Weight("attention.w_v"));
        (_bq, _bk, _bv) = (Zeros(size, "attention.b_q"), Zeros(size, "attention.b_k"), Zeros(size, "attention.b_v"));
        _out = new Linear(size, size, init, "attention.out");
        _out.Bias.Value.Data.AsSpan().Clear();
    }

    static Variable Zeros(int size, string name) => Variable.Parameter(new Tensor(1, size), name);

    public IEnumerable<Variable> Parameters => [_wq, _wk, _wv, _bq, _bk, _bv, .. _out.Parameters];

    /// <summary>
    /// The attended tokens, one N×d output per input. <see cref="AttentionAxis.Items"/>: each
    /// input attends over its own N rows (block-wise, never N×N). <see cref="AttentionAxis.Modalities"/>:
    /// row i of every input attends over row i of all inputs.
    /// </summary>
    public Variable[] Apply(IReadOnlyList<Variable> tokens, AttentionAxis axis, Func<Variable, Variable> read)
    {
        var q = tokens.Select(x => Ops.Add(Ops.MatMul(x, read(_wq)), read(_bq))).ToArray();
        var k = tokens.Select(x => Ops.Add(Ops.MatMul(x, read(_wk)), read(_bk))).ToArray();
        var v = tokens.Select(x => Ops.Add(Ops.MatMul(x, read(_wv)), read(_bv))).ToArray();
        var outputs = new Variable[tokens.Count];
        for (int m = 0; m < tokens.Count; m++)
        {
            var heads = new Variable[_heads];
            for (int h = 0; h < _heads; h++)
                heads[h] = axis == AttentionAxis.Items
                    ? Ops.Attention(Head(q[m], h), Head(k[m], h), Head(v[m], h))
                    : AcrossTokens(Head(q[m], h), k.Select(x => Head(x, h)).ToArray(), v.Select(x => Head(x, h)).ToArray());
            outputs[m] = _out.Apply(Ops.ConcatColumns(heads), read);
        }
        return outputs;
    }

    Variable Head(Variable x, int h) => Ops.SliceColumns(x, h * _headSize, _headSize);

    /// <summary>Per row i: softmax over tokens t of ⟨q_i, k_t,i⟩/√d_h, then Σₜ αₜ·v_t,i.</summary>
    Variable AcrossTokens(Variable q, Variable[] k, Variable[] v)
    {
        var scaled = Ops.Scale(q, 1f / MathF.Sqrt(_headSize));
        var alpha = Ops.Softmax(Ops.ConcatColumns(k.Select(kt => Ops.RowDot(scaled, kt)).ToArray()));
        Variable? sum = null;
        for (int t = 0; t < v.Length; t++)
        {
            var term = Ops.Mul(v[t], Ops.SliceColumns(alpha, t, 1));
            sum = sum is null ? term : Ops.Add(sum, term);
        }
        return sum!;
    }
}
