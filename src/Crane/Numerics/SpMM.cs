namespace Crane.Numerics;

/// <summary>Sparse × dense products: Y = A·X and Y = Aᵀ·X for CSR A.</summary>
public static class SpMM
{
    /// <summary>Y = A·X (A: m×n CSR, X: n×d, Y: m×d; Y is overwritten).</summary>
    public static void Multiply(CsrMatrix a, Tensor x, Tensor y)
    {
        // Placeholder scalar loop; replaced by the vectorised parallel kernel.
        y.Clear();
        for (int r = 0; r < a.Rows; r++)
            for (int p = a.RowPtr[r]; p < a.RowPtr[r + 1]; p++)
                for (int c = 0; c < x.Cols; c++) y[r, c] += a.Values[p] * x[a.ColIdx[p], c];
    }

    /// <summary>Y = Aᵀ·X (A: m×n CSR, X: m×d, Y: n×d; Y is overwritten).</summary>
    public static void MultiplyTransposed(CsrMatrix a, Tensor x, Tensor y)
    {
        y.Clear();
        for (int r = 0; r < a.Rows; r++)
            for (int p = a.RowPtr[r]; p < a.RowPtr[r + 1]; p++)
                for (int c = 0; c < x.Cols; c++) y[a.ColIdx[p], c] += a.Values[p] * x[r, c];
    }
}
