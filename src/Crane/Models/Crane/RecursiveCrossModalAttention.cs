using Crane.Autograd;
using Crane.Numerics;
using Crane.Optim;

namespace Crane.Models;

/// <summary>
/// RCA, Recursive Cross-Modal Attention (crane-spec.md §2.4): R recursions of one block whose
/// weights are shared. With pre-norm (default), per recursion:
/// J = LN([F^{m1} ‖ F^{m2} ‖ …])·W_J + b_J; K = J·W_K; V_m = J·W_V^m; Q_m = LN(F^m)·W_Q^m;
/// F^m ← F^m + softmax(Q_m Kᵀ/√d)·V_m over the scope. Post-norm (<c>pre_norm=false</c>) drops the
/// two LNs and normalises after the residual: F^m ← LN(F^m + attention). LN has no gain or bias
/// (a linear map follows each). In the <c>tokens</c> scope the keys and values of an entity are
/// its own tokens T = {LN(F^{m'})} ∪ {J}: K_t = T_t·W_K, V_{m,t} = T_t·W_V^m.
/// With <c>final_norm</c> (pre-norm only, R ≥ 1) each F^m gets a last LN after the recursions,
/// as pre-norm transformers do: the residual stream otherwise keeps the scale of the summed user
/// profiles (on TikTok the epoch-1 loss was above 1,000 without it).
/// </summary>
internal sealed class RecursiveCrossModalAttention
{
    readonly int _depth, _d;
    readonly bool _preNorm, _finalNorm;
    readonly AttentionScope _scope;
    readonly Variable _wJ, _bJ, _wK;
    readonly Variable[] _wQ, _wV;

    public RecursiveCrossModalAttention(string[] modalities, int d, int depth, AttentionScope scope, bool preNorm, bool finalNorm, Rng init)
    {
        (_depth, _d, _scope, _preNorm, _finalNorm) = (depth, d, scope, preNorm, finalNorm);
        _wJ = Variable.Parameter(Init.XavierUniform(new Tensor(modalities.Length * d, d), init), "rca_W_J");
        _bJ = Variable.Parameter(new Tensor(1, d), "rca_b_J");
        _wK = Variable.Parameter(Init.XavierUniform(new Tensor(d, d), init), "rca_W_K");
        _wQ = modalities.Select(m => Variable.Parameter(Init.XavierUniform(new Tensor(d, d), init), $"rca_W_Q_{m}")).ToArray();
        _wV = modalities.Select(m => Variable.Parameter(Init.XavierUniform(new Tensor(d, d), init), $"rca_W_V_{m}")).ToArray();
    }

    /// <summary>W_J, b_J, W_K, then W_Q^m and W_V^m per modality.</summary>
    public IEnumerable<Variable> Parameters => [_wJ, _bJ, _wK, .. _wQ, .. _wV];

    /// <summary>
    /// The refined F^m of every modality after R recursions. <paramref name="neighbors"/> (rows ×
    /// rows, each row's attended rows) is required by the <c>neighbors</c> scope only.
    /// </summary>
    public Variable[] Refine(Variable[] f, CsrMatrix? neighbors)
    {
        if (_scope == AttentionScope.Neighbors && _depth > 0 && neighbors is null)
            throw new InvalidOperationException("The neighbors scope needs the attention neighbourhood.");
        for (int r = 0; r < _depth; r++) f = Step(f, neighbors);
        return _depth > 0 && _preNorm && _finalNorm ? f.Select(x => Ops.LayerNorm(x)).ToArray() : f;
    }

    Variable[] Step(Variable[] f, CsrMatrix? neighbors)
    {
        var normed = _preNorm ? f.Select(x => Ops.LayerNorm(x)).ToArray() : f;
        var joint = Ops.ConcatColumns(f);
        var j = Ops.Add(Ops.MatMul(_preNorm ? Ops.LayerNorm(joint) : joint, _wJ), _bJ);
        var next = new Variable[f.Length];
        Variable[] tokens = [.. normed, j];
        Variable[]? tokenKeys = _scope == AttentionScope.Tokens ? tokens.Select(t => Ops.MatMul(t, _wK)).ToArray() : null;
        var k = _scope == AttentionScope.Tokens ? null : Ops.MatMul(j, _wK);
        for (int m = 0; m < f.Length; m++)
        {
            var q = Ops.MatMul(normed[m], _wQ[m]);
            var attended = _scope switch
            {
                AttentionScope.Tokens => OverTokens(q, tokenKeys!, tokens.Select(t => Ops.MatMul(t, _wV[m])).ToArray()),
                AttentionScope.Dense => Ops.Attention(q, k!, Ops.MatMul(j, _wV[m])),
                _ => OverNeighbors(q, k!, Ops.MatMul(j, _wV[m]), neighbors!),
            };
            var residual = Ops.Add(f[m], attended);
            next[m] = _preNorm ? residual : Ops.LayerNorm(residual);
        }
        return next;
    }

    /// <summary>Each row attends over its own tokens: softmax_t(⟨q, K_t⟩/√d), output Σ_t α_t·V_t.</summary>
    Variable OverTokens(Variable q, Variable[] keys, Variable[] values)
    {
        var scores = Ops.Scale(Ops.ConcatColumns(keys.Select(key => Ops.RowDot(q, key)).ToArray()), 1f / MathF.Sqrt(_d));
        var alpha = Ops.Softmax(scores);                                                          // rows × tokens
        var output = Ops.Mul(values[0], Ops.SliceColumns(alpha, 0, 1));
        for (int t = 1; t < values.Length; t++) output = Ops.Add(output, Ops.Mul(values[t], Ops.SliceColumns(alpha, t, 1)));
        return output;
    }

    /// <summary>Each row r attends over the rows of its neighbourhood: softmax over stored entries of ⟨q_r, k_j⟩/√d, output Σ α_rj·v_j.</summary>
    Variable OverNeighbors(Variable q, Variable k, Variable v, CsrMatrix neighbors)
    {
        var edgeRows = new int[neighbors.NonZeros];
        for (int r = 0; r < neighbors.Rows; r++) Array.Fill(edgeRows, r, neighbors.RowPtr[r], neighbors.RowPtr[r + 1] - neighbors.RowPtr[r]);
        var scores = Ops.Scale(Ops.RowDot(Ops.GatherRows(q, edgeRows), Ops.GatherRows(k, neighbors.ColIdx)), 1f / MathF.Sqrt(_d));
        return Ops.SpMM(neighbors, Ops.SegmentSoftmax(neighbors, Ops.Transpose(scores)), v);
    }
}
