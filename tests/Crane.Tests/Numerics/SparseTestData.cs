using Crane.Numerics;

namespace Crane.Tests.Numerics;

/// <summary>Random COO triples (with duplicates and empty rows) and their dense double sum.</summary>
public sealed class SparseTestData
{
    public int Rows, Cols;
    public int[] RowIdx = [], ColIdx = [];
    public float[] Values = [];

    public static SparseTestData Random(int rows, int cols, int nnz, int seed)
    {
        var rng = new Random(seed);
        var d = new SparseTestData { Rows = rows, Cols = cols, RowIdx = new int[nnz], ColIdx = new int[nnz], Values = new float[nnz] };
        for (int i = 0; i < nnz; i++)
        {
            // Rows skip multiples of 5, so some rows are empty; a narrow column range forces duplicates.
            int r; do r = rng.Next(rows); while (r % 5 == 4);
            d.RowIdx[i] = r;
            d.ColIdx[i] = rng.Next(cols);
            d.Values[i] = (float)(rng.NextDouble() * 2 - 1);
        }
        return d;
    }

    public CsrMatrix ToCsr() => CsrMatrix.FromCoo(Rows, Cols, RowIdx, ColIdx, Values);

    /// <summary>The matrix as dense doubles (duplicates summed), for reference products.</summary>
    public double[,] Dense()
    {
        var a = new double[Rows, Cols];
        for (int i = 0; i < Values.Length; i++) a[RowIdx[i], ColIdx[i]] += Values[i];
        return a;
    }
}
