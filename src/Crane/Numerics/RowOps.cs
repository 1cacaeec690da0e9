namespace Crane.Numerics;

/// <summary>Row-wise kernels on dense tensors (each row independent; parallel over rows).</summary>
public static class RowOps
{
    /// <summary>y[r] = softmax(x[r]). x and y may be the same tensor.</summary>
    public static void Softmax(Tensor x, Tensor y)
    {
        // Placeholder scalar loops; replaced by vectorised, parallel kernels.
        for (int r = 0; r < x.Rows; r++)
        {
            var xr = x.Row(r); var yr = y.Row(r);
            float max = float.NegativeInfinity; foreach (var v in xr) max = MathF.Max(max, v);
            float sum = 0; for (int i = 0; i < xr.Length; i++) { yr[i] = MathF.Exp(xr[i] - max); sum += yr[i]; }
            for (int i = 0; i < yr.Length; i++) yr[i] /= sum;
        }
    }

    /// <summary>y[r] = log softmax(x[r]). x and y may be the same tensor.</summary>
    public static void LogSoftmax(Tensor x, Tensor y)
    {
        for (int r = 0; r < x.Rows; r++)
        {
            var xr = x.Row(r); var yr = y.Row(r);
            float max = float.NegativeInfinity; foreach (var v in xr) max = MathF.Max(max, v);
            double sum = 0; foreach (var v in xr) sum += Math.Exp(v - max);
            float lse = max + (float)Math.Log(sum);
            for (int i = 0; i < yr.Length; i++) yr[i] = xr[i] - lse;
        }
    }

    /// <summary>
    /// y[r] = x[r] / max(‖x[r]‖₂, eps); writes each row's norm (before the clamp) into
    /// <paramref name="norms"/> (length Rows) when given.
    /// </summary>
    public static void L2Normalize(Tensor x, Tensor y, float eps = 1e-12f, Span<float> norms = default)
    {
        for (int r = 0; r < x.Rows; r++)
        {
            var xr = x.Row(r); var yr = y.Row(r);
            double s = 0; foreach (var v in xr) s += v * v;
            float n = (float)Math.Sqrt(s);
            if (!norms.IsEmpty) norms[r] = n;
            float inv = 1f / MathF.Max(n, eps);
            for (int i = 0; i < yr.Length; i++) yr[i] = xr[i] * inv;
        }
    }

    /// <summary>
    /// y[r] = (x[r] − mean) / sqrt(var + eps) (no gain or bias; biased variance as in PyTorch);
    /// writes each row's mean and 1/sqrt(var + eps) when spans are given.
    /// </summary>
    public static void LayerNorm(Tensor x, Tensor y, float eps = 1e-5f, Span<float> means = default, Span<float> inverseStd = default)
    {
        for (int r = 0; r < x.Rows; r++)
        {
            var xr = x.Row(r); var yr = y.Row(r);
            double s = 0; foreach (var v in xr) s += v;
            float mean = (float)(s / xr.Length);
            double q = 0; foreach (var v in xr) q += (v - mean) * (v - mean);
            float istd = 1f / MathF.Sqrt((float)(q / xr.Length) + eps);
            if (!means.IsEmpty) means[r] = mean;
            if (!inverseStd.IsEmpty) inverseStd[r] = istd;
            for (int i = 0; i < yr.Length; i++) yr[i] = (xr[i] - mean) * istd;
        }
    }

    /// <summary>y[i] = x[index[i]] (row gather; y has index.Length rows).</summary>
    public static void GatherRows(Tensor x, ReadOnlySpan<int> index, Tensor y)
    {
        for (int i = 0; i < index.Length; i++) x.Row(index[i]).CopyTo(y.Row(i));
    }

    /// <summary>y[index[i]] += x[i] (row scatter-add; deterministic order).</summary>
    public static void ScatterAddRows(Tensor x, ReadOnlySpan<int> index, Tensor y)
    {
        for (int i = 0; i < index.Length; i++)
        {
            var src = x.Row(i); var dst = y.Row(index[i]);
            for (int c = 0; c < src.Length; c++) dst[c] += src[c];
        }
    }
}
