using Crane.Autograd;
using Crane.Data;
using Crane.Numerics;
using Crane.Optim;

namespace Crane.Models;

/// <summary>
/// AGG_{i∈N_u} x_i (crane-spec.md §2.3, §2.6): a user's row from the rows of the user's training
/// items, as sparse products with the binary training matrix R (a repeated pair counts once).
/// The attention variant owns W_a, b_a and q, shared by every call.
/// </summary>
internal sealed class UserAggregation
{
    readonly Aggregation _kind;
    readonly CsrMatrix _r;        // binary R (M×N)
    readonly CsrMatrix? _rMean;   // R with each row scaled by 1/|N_u|
    readonly int[]? _edgeItems;   // column (item) of each stored entry of R
    readonly Variable? _wa, _ba, _q;

    public UserAggregation(Aggregation kind, Dataset data, int d, Rng init)
    {
        _kind = kind;
        var train = data.TrainMatrix;
        _r = train.WithValues(Enumerable.Repeat(1f, train.NonZeros).ToArray());
        if (kind == Aggregation.Mean)
        {
            var values = new float[_r.NonZeros];
            for (int u = 0; u < _r.Rows; u++)
                for (int p = _r.RowPtr[u]; p < _r.RowPtr[u + 1]; p++) values[p] = 1f / (_r.RowPtr[u + 1] - _r.RowPtr[u]);
            _rMean = _r.WithValues(values);
        }
        if (kind == Aggregation.Attention)
        {
            _edgeItems = _r.ColIdx;
            _wa = Variable.Parameter(Init.XavierUniform(new Tensor(d, d), init), "agg_W_a");
            _ba = Variable.Parameter(new Tensor(1, d), "agg_b_a");
            _q = Variable.Parameter(Init.XavierUniform(new Tensor(d, 1), init), "agg_q");
        }
    }

    /// <summary>The binary training matrix R (users × items).</summary>
    public CsrMatrix TrainMatrix => _r;

    /// <summary>W_a, b_a, q for the attention variant; none otherwise.</summary>
    public IEnumerable<Variable> Parameters => _wa is null ? [] : [_wa, _ba!, _q!];

    /// <summary>The M×d user rows from the N×d item rows <paramref name="items"/>.</summary>
    public Variable Apply(Variable items) => _kind switch
    {
        Aggregation.Sum => Ops.SpMM(_r, items),
        Aggregation.Mean => Ops.SpMM(_rMean!, items),
        Aggregation.Max => Ops.SegmentMax(_r, items),
        _ => Attend(items),
    };

    /// <summary>
    /// AGG over N_u \ {i} for each batch pair (u, i) ∈ N_u, from the full profiles
    /// <paramref name="users"/> (M×d) and the item rows <paramref name="items"/> (N×d), exact for
    /// <c>sum</c> (x_u − x_i) and <c>mean</c> ((|N_u|·x_u − x_i)/(|N_u| − 1); a zero row when N_u = {i}).
    /// </summary>
    public Variable LeaveOut(Variable users, Variable items, int[] batchUsers, int[] batchItems)
    {
        Variable user = Ops.GatherRows(users, batchUsers), item = Ops.GatherRows(items, batchItems);
        if (_kind == Aggregation.Sum) return Ops.Sub(user, item);
        if (_kind != Aggregation.Mean) throw new InvalidOperationException($"Leaving one item out is exact for sum and mean only, not {_kind}.");
        float[] userScale = new float[batchUsers.Length], itemScale = new float[batchUsers.Length];
        for (int k = 0; k < batchUsers.Length; k++)
        {
            int degree = _r.RowPtr[batchUsers[k] + 1] - _r.RowPtr[batchUsers[k]];
            if (degree > 1) (userScale[k], itemScale[k]) = (degree / (degree - 1f), 1f / (degree - 1f));
        }
        return Ops.Sub(Ops.Mul(user, Column(userScale)), Ops.Mul(item, Column(itemScale)));
    }

    static Variable Column(float[] values) => Variable.Constant(new Tensor(values.Length, 1, values));

    /// <summary>α_ui = softmax over i∈N_u of qᵀ tanh(W_a x_i + b_a); user row Σ α_ui x_i.</summary>
    Variable Attend(Variable items)
    {
        var itemScore = Ops.MatMul(Ops.Tanh(Ops.Add(Ops.MatMul(items, _wa!), _ba!)), _q!);      // N×1
        var edgeScore = Ops.Transpose(Ops.GatherRows(itemScore, _edgeItems!));                  // 1×nnz
        return Ops.SpMM(_r, Ops.SegmentSoftmax(_r, edgeScore), items);
    }
}
