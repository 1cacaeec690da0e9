using Crane.Autograd;
using Crane.Models;
using Crane.Numerics;
using Crane.Tests.Autograd;

namespace Crane.Tests.Models;

/// <summary>Shared pieces of the model tests: a batch, random parameters, double-precision references.</summary>
public static class ModelTestKit
{
    /// <summary>Five triples over <see cref="TinyData"/>, a user and a negative repeated.</summary>
    public static TrainingBatch Batch => new([0, 1, 2, 3, 0], [1, 3, 4, 2, 2], [5, 0, 1, 3, 3]);

    /// <summary>Replaces every parameter's values with uniform values in [−1, 1) (so gradients are not tiny).</summary>
    public static void Randomise(Recommender model, int seed)
    {
        foreach (var p in model.Parameters)
            GradCheck.Random(p.Rows, p.Cols, seed++).Data.CopyTo(p.Value.Data, 0);
    }

    /// <summary>A few Adam steps, so the parameters differ from a fresh model's.</summary>
    public static void Train(Recommender model, int steps = 3)
    {
        var adam = new Crane.Optim.Adam(model.Parameters, new Crane.Optim.AdamOptions(LearningRate: 0.05f));
        for (int s = 0; s < steps; s++)
        {
            adam.ZeroGrad();
            model.Loss(Batch).Backward();
            adam.Step();
        }
    }

    /// <summary>
    /// BPR + λ·EmbLoss in double: −mean log σ(⟨u,i⁺⟩ − ⟨u,i⁻⟩) over the batch with the scoring
    /// rows, plus λ·(‖U⁰‖_F + ‖I⁺⁰‖_F + ‖I⁻⁰‖_F)/B with the regularised rows.
    /// </summary>
    public static double BprWithEmbLoss(TrainingBatch b, Func<int, float[]> user, Func<int, float[]> item,
        Func<int, float[]> user0, Func<int, float[]> item0, double lambda)
    {
        int n = b.Users.Length;
        double bpr = 0, su = 0, sp = 0, sn = 0;
        for (int k = 0; k < n; k++)
        {
            double margin = Dot(user(b.Users[k]), item(b.Positives[k])) - Dot(user(b.Users[k]), item(b.Negatives[k]));
            bpr += -Math.Log(1 / (1 + Math.Exp(-margin)));
            su += Dot(user0(b.Users[k]), user0(b.Users[k]));
            sp += Dot(item0(b.Positives[k]), item0(b.Positives[k]));
            sn += Dot(item0(b.Negatives[k]), item0(b.Negatives[k]));
        }
        return bpr / n + lambda * (Math.Sqrt(su) + Math.Sqrt(sp) + Math.Sqrt(sn)) / n;
    }

    public static double Dot(float[] a, float[] b)
    {
        double s = 0;
        for (int c = 0; c < a.Length; c++) s += (double)a[c] * b[c];
        return s;
    }

    /// <summary>Row r of a tensor, copied.</summary>
    public static float[] RowOf(Tensor t, int r) => t.Row(r).ToArray();

    /// <summary>A test's base settings with <paramref name="overrides"/> replacing the keys they name (--set itself refuses a key given twice).</summary>
    public static ModelSettings WithOverrides(string[] defaults, string[] overrides)
    {
        static string Key(string pair) => pair[..pair.IndexOf('=')];
        var replaced = overrides.Select(Key).ToHashSet();
        return ModelSettings.Parse([.. defaults.Where(d => !replaced.Contains(Key(d))), .. overrides]);
    }

    /// <summary>Scores of <paramref name="users"/> against every item, from the model's scorer of its current parameters.</summary>
    public static Tensor ScoreAll(Recommender model, int[] users, int items) => ScoreAll(model.CreateScorer(), users, items);

    /// <summary>Scores of <paramref name="users"/> against every item.</summary>
    public static Tensor ScoreAll(Scorer scorer, int[] users, int items)
    {
        var scores = new Tensor(users.Length, items);
        scorer.Score(users, scores);
        return scores;
    }

    /// <summary>Randomises the parameters, then checks the loss of <see cref="Batch"/> against finite differences in every parameter.</summary>
    public static void AssertLossGradient(Recommender model, int seed)
    {
        Randomise(model, seed);
        GradCheck.CheckParameters(() => model.Loss(Batch), model.Parameters);
    }

    /// <summary>The loss as a plain number.</summary>
    public static double LossValue(Recommender model) => model.Loss(Batch).Value.Data[0];

    /// <summary>A model's parameter by name.</summary>
    public static Variable Parameter(Recommender model, string name) => model.Parameters.Single(p => p.Name == name);
}
