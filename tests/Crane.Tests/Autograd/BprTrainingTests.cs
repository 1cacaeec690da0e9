using Crane.Autograd;

namespace Crane.Tests.Autograd;

public class BprTrainingTests
{
    /// <summary>
    /// Matrix factorisation with the BPR loss −mean log σ(uᵀi⁺ − uᵀi⁻), trained by plain SGD
    /// (w −= lr·∂w): the loss must fall, showing gather, row-dot, sub, log-sigmoid and mean compose.
    /// </summary>
    [Fact]
    public void Sgd_on_bpr_loss_reduces_it()
    {
        const int users = 12, items = 15, dim = 6, triples = 60;
        var rng = new Random(7);
        var userTable = Variable.Parameter(GradCheck.Random(users, dim, 111, -0.1f, 0.1f), "users");
        var itemTable = Variable.Parameter(GradCheck.Random(items, dim, 112, -0.1f, 0.1f), "items");
        // Each user likes the items congruent to it mod 3, and dislikes the rest.
        var u = new int[triples]; var pos = new int[triples]; var neg = new int[triples];
        for (int t = 0; t < triples; t++)
        {
            u[t] = rng.Next(users);
            do pos[t] = rng.Next(items); while (pos[t] % 3 != u[t] % 3);
            do neg[t] = rng.Next(items); while (neg[t] % 3 == u[t] % 3);
        }

        float Step(float lr)
        {
            var e = Ops.GatherRows(userTable, u);
            var diff = Ops.Sub(Ops.RowDot(e, Ops.GatherRows(itemTable, pos)), Ops.RowDot(e, Ops.GatherRows(itemTable, neg)));
            var loss = Ops.Scale(Ops.Mean(Ops.LogSigmoid(diff)), -1f);
            loss.Backward();
            foreach (var w in new[] { userTable, itemTable })
            {
                for (int i = 0; i < w.Value.Length; i++) w.Value.Data[i] -= lr * w.Grad!.Data[i];
                w.ZeroGrad();
            }
            return loss.Value[0, 0];
        }

        float first = Step(2f), last = first;
        for (int s = 0; s < 60; s++) last = Step(2f);
        Assert.Equal(MathF.Log(2), first, 2); // tiny initial embeddings: every score difference ≈ 0
        Assert.True(last < 0.5f * first, $"BPR loss went from {first} to {last}.");
    }
}
