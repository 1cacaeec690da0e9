using Crane.Graphs;
using Crane.Models;
using Crane.Numerics;
using Crane.Tests.Graphs;
using static Crane.Tests.Models.ModelTestKit;

namespace Crane.Tests.Models;

/// <summary>
/// crane-released's forward pass in double with dense loops, written from crane-spec.md §7 and
/// PyTorch's nn.MultiheadAttention, independently of the model's ops: the item rows c_i + h_i
/// and the user rows c_u on the full Â.
/// </summary>
internal static class CraneReleasedReference
{
    public static (double[,] Users, double[,] Items) Tables(Recommender model, Crane.Data.Dataset data, string[] modalities, int heads, bool itemsAxis, int k)
    {
        int users = data.UserCount, n = data.ItemCount;
        var e0 = Parameter(model, "embedding").Value;
        int d = e0.Cols;
        var c = PropagationTests.DenseLayerMean(UserItemGraphTests.DenseReference(users, n,
            data.Train.Users.Zip(data.Train.Items)), e0, 2);
        double[,] Lin(double[,] x, string name) => Affine(x, Parameter(model, name + ".weight").Value, Parameter(model, name + ".bias").Value);

        var tokens = modalities.Select(m => Lin(Lin(ToDouble(Parameter(model, $"feature.{m}").Value), $"project.{m}"), $"reproject.{m}")).ToArray();
        double[,] Proj(double[,] x, string w, string b) => Affine(x, Parameter(model, $"attention.{w}").Value, Parameter(model, $"attention.{b}").Value);
        var q = tokens.Select(t => Proj(t, "w_q", "b_q")).ToArray();
        var kk = tokens.Select(t => Proj(t, "w_k", "b_k")).ToArray();
        var v = tokens.Select(t => Proj(t, "w_v", "b_v")).ToArray();
        int dh = d / heads;
        var fused = new double[n, d];
        for (int m = 0; m < tokens.Length; m++)
        {
            var concat = new double[n, d];
            for (int h = 0; h < heads; h++)
                for (int i = 0; i < n; i++)
                {
                    // keys: every item j of modality m (items axis), or item i of every modality t.
                    var keys = itemsAxis ? Enumerable.Range(0, n).Select(j => (Mod: m, Row: j)).ToArray() : Enumerable.Range(0, tokens.Length).Select(t => (Mod: t, Row: i)).ToArray();
                    var scores = keys.Select(key => Enumerable.Range(h * dh, dh).Sum(col => q[m][i, col] * kk[key.Mod][key.Row, col]) / Math.Sqrt(dh)).ToArray();
                    double max = scores.Max(), sum = scores.Sum(s => Math.Exp(s - max));
                    for (int p = 0; p < keys.Length; p++)
                        for (int col = h * dh; col < (h + 1) * dh; col++)
                            concat[i, col] += Math.Exp(scores[p] - max) / sum * v[keys[p].Mod][keys[p].Row, col];
                }
            var output = Lin(concat, "attention.out");
            for (int i = 0; i < n; i++) for (int col = 0; col < d; col++) fused[i, col] += output[i, col] / tokens.Length;
        }
        var s = UserItemGraphTests.Dense(FeatureItemGraph.Mixed([(data.Modalities[modalities[0]], 0.1f), (data.Modalities[modalities[1]], 0.9f)], k));
        var (u, it) = (new double[users, d], new double[n, d]);
        for (int r = 0; r < users; r++) for (int col = 0; col < d; col++) u[r, col] = c[r, col];
        for (int i = 0; i < n; i++)
            for (int col = 0; col < d; col++)
                it[i, col] = c[users + i, col] + Enumerable.Range(0, n).Sum(j => s[i, j] * fused[j, col]);
        return (u, it);
    }

    static double[,] ToDouble(Tensor t)
    {
        var r = new double[t.Rows, t.Cols];
        for (int i = 0; i < t.Rows; i++) for (int j = 0; j < t.Cols; j++) r[i, j] = t[i, j];
        return r;
    }

    static double[,] Affine(double[,] x, Tensor w, Tensor b)
    {
        var y = new double[x.GetLength(0), w.Cols];
        for (int i = 0; i < x.GetLength(0); i++)
            for (int j = 0; j < w.Cols; j++)
            {
                double s = b[0, j];
                for (int p = 0; p < w.Rows; p++) s += x[i, p] * w[p, j];
                y[i, j] = s;
            }
        return y;
    }
}
