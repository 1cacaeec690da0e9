using Crane.Autograd;
using Crane.Numerics;

namespace Crane.Tests.Autograd;

public class SpMMTests
{
    /// <summary>A random 5×4 CSR matrix with about half of its entries stored (an empty row included).</summary>
    static CsrMatrix RandomCsr(int seed)
    {
        var rng = new Random(seed);
        List<int> rows = [], cols = [];
        List<float> values = [];
        for (int r = 0; r < 5; r++)
            for (int c = 0; c < 4; c++)
                if (r != 2 && rng.NextDouble() < 0.5) { rows.Add(r); cols.Add(c); values.Add((float)(rng.NextDouble() * 2 - 1)); }
        return CsrMatrix.FromCoo(5, 4, rows.ToArray(), cols.ToArray(), values.ToArray());
    }

    /// <summary>Σ_p over row r's entries of weight(p)·x[col p, c], in double.</summary>
    static double Product(CsrMatrix a, Func<int, double> weight, Tensor x, int r, int c)
    {
        double s = 0;
        for (int p = a.RowPtr[r]; p < a.RowPtr[r + 1]; p++) s += weight(p) * x[a.ColIdx[p], c];
        return s;
    }

    [Fact]
    public void Constant_matrix_times_variable()
    {
        var a = RandomCsr(41);
        var x = GradCheck.Random(4, 3, 42);
        Reference.AssertClose(Ops.SpMM(a, Variable.Constant(x)).Value, 5, 3, (r, c) => Product(a, p => a.Values[p], x, r, c));
        GradCheck.Check(v => Ops.SpMM(a, v[0]), x);
    }

    [Fact]
    public void Transposed_constant_matrix_times_variable()
    {
        var a = RandomCsr(43);
        var x = GradCheck.Random(5, 3, 44);
        var y = Ops.SpMM(a, Variable.Constant(x), transposeA: true).Value;
        Reference.AssertClose(y, 4, 3, (j, c) =>
        {
            double s = 0;
            for (int r = 0; r < a.Rows; r++)
                for (int p = a.RowPtr[r]; p < a.RowPtr[r + 1]; p++)
                    if (a.ColIdx[p] == j) s += a.Values[p] * x[r, c];
            return s;
        });
        GradCheck.Check(v => Ops.SpMM(a, v[0], transposeA: true), x);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void A_precomputed_transpose_gives_the_same_products(bool transposeA)
    {
        var a = RandomCsr(49);
        var x = GradCheck.Random(transposeA ? 5 : 4, 3, 50);
        var plain = Variable.Parameter(x.Clone());
        var hinted = Variable.Parameter(x.Clone());
        var y1 = Ops.SpMM(a, plain, transposeA);
        var y2 = Ops.SpMM(a, hinted, transposeA, a.Transpose());
        // Equal up to rounding: the two kernels may sum in different orders.
        Reference.AssertClose(y2.Value, y1.Value.Rows, 3, (r, c) => y1.Value[r, c], 1e-6);
        Ops.Sum(Ops.Mul(y1, y1)).Backward();
        Ops.Sum(Ops.Mul(y2, y2)).Backward();
        Reference.AssertClose(hinted.Grad!, x.Rows, 3, (r, c) => plain.Grad![r, c], 1e-6);
        GradCheck.Check(v => Ops.SpMM(a, v[0], transposeA, a.Transpose()), x);
    }

    [Fact]
    public void Variable_edge_weights_get_gradients_with_the_features()
    {
        var a = RandomCsr(45);
        var w = GradCheck.Random(1, a.NonZeros, 46);
        var x = GradCheck.Random(4, 3, 47);
        var y = Ops.SpMM(a, Variable.Constant(w), Variable.Constant(x)).Value;
        Reference.AssertClose(y, 5, 3, (r, c) => Product(a, p => w.Data[p], x, r, c));
        GradCheck.Check(v => Ops.SpMM(a, v[0], v[1]), w, x);
    }

    [Fact]
    public void Shape_mismatches_name_the_op_and_shapes()
    {
        var a = RandomCsr(48);
        Reference.AssertRejected<ArgumentException>(() => Ops.SpMM(a, Variable.Constant(new(5, 3))), "SpMM", "5×3");
        Reference.AssertRejected<ArgumentException>(() => Ops.SpMM(a, Variable.Constant(new(1, a.NonZeros + 1)), Variable.Constant(new(4, 3))),
            "SpMM", $"1×{a.NonZeros}");
        Reference.AssertRejected<ArgumentException>(() => Ops.SpMM(a, Variable.Constant(new(4, 3)), transposed: a), "SpMM", "transpose");
    }
}
