using Crane.Numerics;

namespace Crane.Tests.Models;

/// <summary>Plain double-precision matrix helpers for the models' dense references (row-major double[,]).</summary>
public static class DenseMath
{
    public static double[,] Of(Tensor t)
    {
        var m = new double[t.Rows, t.Cols];
        for (int r = 0; r < t.Rows; r++) for (int c = 0; c < t.Cols; c++) m[r, c] = t[r, c];
        return m;
    }

    public static double[,] MatMul(double[,] a, double[,] b)
    {
        int n = a.GetLength(0), k = a.GetLength(1), m = b.GetLength(1);
        var y = new double[n, m];
        for (int r = 0; r < n; r++)
            for (int j = 0; j < k; j++)
                for (int c = 0; c < m; c++) y[r, c] += a[r, j] * b[j, c];
        return y;
    }

    /// <summary>x·W + b (b a 1×m row).</summary>
    public static double[,] Linear(double[,] x, Tensor w, Tensor b)
    {
        var y = MatMul(x, Of(w));
        for (int r = 0; r < y.GetLength(0); r++) for (int c = 0; c < y.GetLength(1); c++) y[r, c] += b[0, c];
        return y;
    }

    public static double[,] Map(double[,] x, Func<double, double> f)
    {
        var y = (double[,])x.Clone();
        for (int r = 0; r < y.GetLength(0); r++) for (int c = 0; c < y.GetLength(1); c++) y[r, c] = f(y[r, c]);
        return y;
    }

    public static double[,] Add(double[,] a, double[,] b) => Zip(a, b, (x, y) => x + y);

    public static double[,] Zip(double[,] a, double[,] b, Func<double, double, double> f)
    {
        var y = new double[a.GetLength(0), a.GetLength(1)];
        for (int r = 0; r < y.GetLength(0); r++) for (int c = 0; c < y.GetLength(1); c++) y[r, c] = f(a[r, c], b[r, c]);
        return y;
    }

    public static double LeakyRelu(double x) => x > 0 ? x : 0.01 * x;

    /// <summary>Each row divided by its L2 norm.</summary>
    public static double[,] RowNormalise(double[,] x)
    {
        var y = (double[,])x.Clone();
        for (int r = 0; r < y.GetLength(0); r++)
        {
            double n = Math.Sqrt(Enumerable.Range(0, y.GetLength(1)).Sum(c => y[r, c] * y[r, c]));
            for (int c = 0; c < y.GetLength(1); c++) y[r, c] /= n;
        }
        return y;
    }

    public static double[,] ConcatColumns(params double[][,] parts)
    {
        int rows = parts[0].GetLength(0), cols = parts.Sum(p => p.GetLength(1));
        var y = new double[rows, cols];
        int offset = 0;
        foreach (var p in parts)
        {
            for (int r = 0; r < rows; r++) for (int c = 0; c < p.GetLength(1); c++) y[r, offset + c] = p[r, c];
            offset += p.GetLength(1);
        }
        return y;
    }

    public static double[,] ConcatRows(double[,] top, double[,] bottom)
    {
        int cols = top.GetLength(1), t = top.GetLength(0);
        var y = new double[t + bottom.GetLength(0), cols];
        for (int r = 0; r < y.GetLength(0); r++) for (int c = 0; c < cols; c++) y[r, c] = r < t ? top[r, c] : bottom[r - t, c];
        return y;
    }

    public static double[] Row(double[,] x, int r) => Enumerable.Range(0, x.GetLength(1)).Select(c => x[r, c]).ToArray();

    public static double Dot(double[] a, double[] b) => a.Zip(b, (x, y) => x * y).Sum();

    /// <summary>mean_r −log softmax_r(s)[r] for s_rj = ⟨a_r, b_j⟩/τ: in-batch cross-entropy with the diagonal as labels.</summary>
    public static double InBatchCrossEntropy(double[][] a, double[][] b, double tau)
    {
        double total = 0;
        for (int r = 0; r < a.Length; r++)
        {
            var logits = b.Select(bj => Dot(a[r], bj) / tau).ToArray();
            double max = logits.Max();
            total += max + Math.Log(logits.Sum(l => Math.Exp(l - max))) - logits[r];
        }
        return total / a.Length;
    }

    public static double[] Normalise(double[] x)
    {
        double n = Math.Sqrt(Dot(x, x));
        return x.Select(v => v / n).ToArray();
    }
}
