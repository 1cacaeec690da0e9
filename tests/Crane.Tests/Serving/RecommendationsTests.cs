using Crane.Autograd;
using Crane.Data;
using Crane.Models;
using Crane.Numerics;
using Crane.Serving;
using Crane.Tests.Training;

namespace Crane.Tests.Serving;

public class RecommendationsTests
{
    /// <summary>Scores every user the same: item i scores i (so higher ids rank first), ties where given.</summary>
    sealed class FixedScores(float[] itemScores) : Recommender
    {
        public int Prepared { get; private set; }
        public override string Kind => "fixed";
        public override IReadOnlyList<Variable> Parameters => [];
        public override Variable Loss(TrainingBatch batch) => throw new NotSupportedException();
        public override void PrepareForScoring() => Prepared++;
        public override void Score(ReadOnlySpan<int> users, Tensor scores)
        {
            for (int b = 0; b < users.Length; b++) itemScores.CopyTo(scores.Row(b));
        }
    }

    static readonly float[] Ascending = Enumerable.Range(0, 10).Select(i => (float)i).ToArray();

    [Fact]
    public void Leaves_out_the_users_training_items_and_maps_raw_ids()
    {
        var data = TinyData.Build(); // user 1 trains on items 6, 7, 8
        var model = new FixedScores(Ascending);

        var top = Recommendations.ForUser(model, data, user: 1, k: 3);

        Assert.Equal([9, 5, 4], top.Select(r => r.Item));
        Assert.Equal(["i9", "i5", "i4"], top.Select(r => r.RawItem));
        Assert.Equal([9f, 5f, 4f], top.Select(r => r.Score));
        Assert.Equal(1, model.Prepared);
    }

    [Fact]
    public void Includes_seen_items_when_asked_and_breaks_ties_to_the_lower_id()
    {
        var data = TinyData.Build();
        var model = new FixedScores([0, 3, 3, 1, 0, 0, 0, 3, 0, 0]);

        var top = Recommendations.ForUser(model, data, user: 1, k: 4, includeSeen: true);

        Assert.Equal([1, 2, 7, 3], top.Select(r => r.Item));
    }

    [Fact]
    public void Never_returns_more_items_than_remain_unseen()
    {
        var data = TinyData.Build(items: 6); // user 0 trains on items 0, 1, 2 of 6
        var top = Recommendations.ForUser(new FixedScores([1, 2, 3, 4, 5, 6]), data, user: 0, k: 20);
        Assert.Equal([5, 4, 3], top.Select(r => r.Item));
    }

    [Fact]
    public void Most_popular_counts_training_rows_and_can_leave_out_a_users_items()
    {
        var data = TinyData.Build();
        // Reference: count training rows per item, most first, ties to the lower id.
        var expected = data.Train.Items.GroupBy(i => i).OrderByDescending(g => g.Count()).ThenBy(g => g.Key).Select(g => g.Key).ToArray();

        var top = Recommendations.MostPopular(data, k: 5);
        var forUser = Recommendations.MostPopular(data, k: 5, user: 0);

        Assert.Equal(expected[..5], top.Select(r => r.Item));
        Assert.Equal(expected.Where(i => !new[] { 0, 1, 2 }.Contains(i)).Take(5), forUser.Select(r => r.Item));
        Assert.Equal(data.Train.Items.Count(i => i == expected[0]), (int)top[0].Score);
    }
}
