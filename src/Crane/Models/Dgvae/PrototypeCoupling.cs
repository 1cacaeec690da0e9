using Crane.Autograd;

namespace Crane.Models;

/// <summary>
/// DGVAE's coupling of the two VAEs' prototype codes (baselines.md), row by row over a batch:
/// A_kj = tanh(q_k·v_j)·σ(−‖q_k − v_j‖₁ + mean_j′‖q_k − v_j′‖₁) and out_k = Σ_j A_kj·v_j.
/// T|R = Attend(Z^r, Z^t), R|T = Attend(Z^t, Z^r).
/// </summary>
internal static class PrototypeCoupling
{
    /// <summary>out_k for every query k; each query and value is B×d, each output B×d.</summary>
    public static Variable[] Attend(IReadOnlyList<Variable> queries, IReadOnlyList<Variable> values)
    {
        var result = new Variable[queries.Count];
        for (int k = 0; k < queries.Count; k++)
        {
            var q = queries[k];
            var distance = values.Select(v => L1(q, v)).ToArray();                       // B×1 each
            var meanDistance = Ops.Scale(distance.Aggregate(Ops.Add), 1f / values.Count);
            Variable? sum = null;
            for (int j = 0; j < values.Count; j++)
            {
                var weight = Ops.Mul(Ops.Tanh(Ops.RowDot(q, values[j])), Ops.Sigmoid(Ops.Sub(meanDistance, distance[j])));   // A_kj
                var term = Ops.Mul(values[j], weight);
                sum = sum is null ? term : Ops.Add(sum, term);
            }
            result[k] = sum!;
        }
        return result;
    }

    /// <summary>‖a_r − b_r‖₁ per row (B×1), |x| written as relu(x) + relu(−x).</summary>
    static Variable L1(Variable a, Variable b)
    {
        var diff = Ops.Sub(a, b);
        return Ops.Sum(Ops.Add(Ops.Relu(diff), Ops.Relu(Ops.Scale(diff, -1f))), Axis.Columns);
    }
}
