using Crane.Autograd;
using Crane.Data;
using Crane.Models;
using Crane.Numerics;
using Crane.Serving;
using Crane.Tests.Autograd;
using Crane.Tests.Models;
using TrainingData = Crane.Tests.Training.TinyData;

namespace Crane.Tests.Serving;

public class TrainedModelTests
{
    /// <summary>An inner-product model over fixed tables (users × d, items × d).</summary>
    sealed class FixedTables(Tensor users, Tensor items) : InnerProductRecommender
    {
        public override string Kind => "fixed";
        public override IReadOnlyList<Variable> Parameters => [];
        public override Variable Loss(TrainingBatch batch) => throw new NotSupportedException();
        protected override (Tensor Users, Tensor Items) ScoringTables() => (users.Clone(), items.Clone());
    }

    /// <summary>Every user scores item i as <paramref name="itemScores"/>[i] (1-d tables: u = 1, i = score).</summary>
    static TrainedModel SameScoresForAll(Dataset data, float[] itemScores) =>
        TrainedModel.From(new FixedTables(Tensor.Filled(data.UserCount, 1, 1f), new Tensor(itemScores.Length, 1, (float[])itemScores.Clone())), data);

    static readonly float[] Ascending = Enumerable.Range(0, 10).Select(i => (float)i).ToArray();

    /// <summary>Random d-dimensional tables for <paramref name="users"/> × <paramref name="items"/>, and a dataset of that size.</summary>
    static (TrainedModel Model, Dataset Data) RandomModel(int users, int items, int d = 8, ulong seed = 5)
    {
        var data = TrainingData.Build(users, items);
        var (u, i) = (new Tensor(users, d), new Tensor(items, d));
        var rng = new Rng(seed);
        rng.FillNormal(u.Data, 0f, 1f);
        rng.FillNormal(i.Data, 0f, 1f);
        return (TrainedModel.From(new FixedTables(u, i), data), data);
    }

    [Fact]
    public void Recommend_leaves_out_the_users_training_items_and_speaks_raw_ids()
    {
        var data = TrainingData.Build(); // user u1 trains on items 6, 7, 8
        var top = SameScoresForAll(data, Ascending).Recommend("u1", k: 3);

        Assert.Equal(["i9", "i5", "i4"], top.Select(r => r.ItemId));
        Assert.Equal([9f, 5f, 4f], top.Select(r => r.Score));
    }

    [Fact]
    public void Recommend_includes_seen_items_when_asked_and_breaks_ties_to_the_lower_id()
    {
        var data = TrainingData.Build();
        var top = SameScoresForAll(data, [0, 3, 3, 1, 0, 0, 0, 3, 0, 0]).Recommend("u1", k: 4, excludeSeen: false);
        Assert.Equal(["i1", "i2", "i7", "i3"], top.Select(r => r.ItemId));
    }

    [Fact]
    public void Recommend_never_returns_more_items_than_remain_unseen()
    {
        var data = TrainingData.Build(items: 6); // user u0 trains on items 0, 1, 2 of 6
        var top = SameScoresForAll(data, [1, 2, 3, 4, 5, 6]).Recommend("u0", k: 20);
        Assert.Equal(["i5", "i4", "i3"], top.Select(r => r.ItemId));
    }

    [Fact]
    public void Most_popular_counts_training_rows_and_can_leave_out_a_users_items()
    {
        var data = TrainingData.Build();
        var model = SameScoresForAll(data, Ascending);
        // Reference: count training rows per item, most first, ties to the lower id.
        var expected = data.Train.Items.GroupBy(i => i).OrderByDescending(g => g.Count()).ThenBy(g => g.Key).Select(g => $"i{g.Key}").ToArray();
        var seen = data.Train.Items.Where((_, e) => data.Train.Users[e] == 0).Select(i => $"i{i}").ToHashSet();

        var top = model.MostPopular(k: 5);
        var forUser = model.MostPopular(k: 5, excludeSeenOf: "u0");

        Assert.Equal(expected[..5], top.Select(r => r.ItemId));
        Assert.Equal(expected.Where(i => !seen.Contains(i)).Take(5), forUser.Select(r => r.ItemId));
        Assert.Equal(data.Train.Items.Count(i => $"i{i}" == expected[0]), (int)top[0].Score);
        Assert.Equal(expected[..5], model.MostPopular(k: 5, excludeSeenOf: "nobody").Select(r => r.ItemId));
    }

    [Fact]
    public void Recommend_many_equals_recommend_one_by_one_across_blocks_and_in_the_order_given()
    {
        var (model, data) = RandomModel(users: 600, items: 40);
        var ids = Enumerable.Range(0, data.UserCount).Reverse().Select(u => $"u{u}").Append("u3").ToArray(); // past two blocks of 256, one repeated

        var many = model.RecommendMany(ids, k: 7);

        Assert.Equal(ids.Length, many.Count);
        for (int r = 0; r < ids.Length; r++)
            Assert.Equal(model.Recommend(ids[r], k: 7), many[r]);
    }

    [Fact]
    public void Recommend_ranks_by_the_inner_product_of_the_users_and_items_vectors()
    {
        var (model, data) = RandomModel(users: 5, items: 30);
        var scorer = (InnerProductScorer)model.Scorer;
        var seen = data.Train.Items.Where((_, e) => data.Train.Users[e] == 2).ToHashSet();
        // Reference: every unseen item's dot product in double, best first.
        var expected = Enumerable.Range(0, 30).Where(i => !seen.Contains(i))
            .OrderByDescending(i => ModelTestKit.Dot(scorer.UserVector(2).ToArray(), scorer.ItemVector(i).ToArray())).Take(10).Select(i => $"i{i}");

        Assert.Equal(expected, model.Recommend("u2", k: 10).Select(r => r.ItemId));
    }

    [Fact]
    public void Similar_items_are_the_nearest_by_cosine_without_the_item_itself()
    {
        var (model, _) = RandomModel(users: 4, items: 50);
        var scorer = (InnerProductScorer)model.Scorer;
        double Cosine(int a, int b)
        {
            float[] x = scorer.ItemVector(a).ToArray(), y = scorer.ItemVector(b).ToArray();
            return ModelTestKit.Dot(x, y) / Math.Sqrt(ModelTestKit.Dot(x, x) * ModelTestKit.Dot(y, y));
        }
        var expected = Enumerable.Range(0, 50).Where(i => i != 7).OrderByDescending(i => Cosine(7, i)).Take(5).ToArray();

        var similar = model.SimilarItems("i7", k: 5);

        Assert.Equal(expected.Select(i => $"i{i}"), similar.Select(s => s.ItemId));
        for (int r = 0; r < 5; r++) Assert.Equal(Cosine(7, expected[r]), similar[r].Score, 1e-5);
    }

    [Fact]
    public void Score_gives_the_full_rows_values_for_the_items_asked_in_their_order()
    {
        var (model, _) = RandomModel(users: 4, items: 30);
        var row = ModelTestKit.ScoreAll(model.Scorer, [1], 30);
        string[] items = ["i29", "i0", "i13", "i0"];

        var scores = model.Score("u1", items);

        Assert.Equal(items, scores.Select(s => s.ItemId));
        foreach (var s in scores) Assert.Equal(row.Data[int.Parse(s.ItemId[1..])], s.Score, 1e-5f);
    }

    [Fact]
    public void Unknown_ids_and_bad_k_are_refused_with_the_id_named()
    {
        var (model, _) = RandomModel(users: 4, items: 10);
        var user = Assert.Throws<UnknownIdException>(() => model.Recommend("u99"));
        Assert.Equal(("user", "u99"), (user.Entity, user.Id));
        Assert.Contains("User 'u99' is not in the model's data (it knows 4 users)", user.Message);
        Reference.AssertRejected<UnknownIdException>(() => model.SimilarItems("i99"), "Item 'i99'", "10 items");
        Reference.AssertRejected<UnknownIdException>(() => model.Score("u1", ["i1", "zz"]), "Item 'zz'");
        Reference.AssertRejected<UnknownIdException>(() => model.RecommendMany(["u1", "nobody"]), "User 'nobody'");
        Reference.AssertRejected<ArgumentOutOfRangeException>(() => model.Recommend("u1", k: 0), "k must be at least 1");
        Assert.True(model.ContainsUser("u3"));
        Assert.False(model.ContainsUser("u4"));
        Assert.True(model.ContainsItem("i9"));
    }

    [Fact]
    public void A_user_known_only_from_held_out_rows_has_no_training_items()
    {
        var data = TinyData.Create(); // dave (user 3) trains on item 2; every other user too has training rows
        var trained = TrainedModel.From(ModelCatalog.Create("bpr", data, ModelSettings.Parse(["embedding_size=4"]), 1), data);
        Assert.True(trained.HasTrainingItems("dave"));
        Assert.False(trained.HasTrainingItems("nobody"));

        var cold = new Dataset
        {
            Name = "cold", UserCount = 5, ItemCount = 6, Train = data.Train, Valid = data.Valid, Test = new Interactions([4], [1]),
            UserIds = new IdMap(["alice", "bob", "carol", "dave", "erin"]), ItemIds = data.ItemIds,
        };
        var coldModel = TrainedModel.From(ModelCatalog.Create("bpr", cold, ModelSettings.Parse(["embedding_size=4"]), 1), cold);
        Assert.True(coldModel.ContainsUser("erin"));
        Assert.False(coldModel.HasTrainingItems("erin"));
    }

    [Fact]
    public void Seen_items_are_the_users_training_items()
    {
        var data = TrainingData.Build();
        var model = SameScoresForAll(data, Ascending);
        Assert.Equal(["i6", "i7", "i8"], model.SeenItems("u1"));
    }

    [Fact]
    public void A_scorer_does_not_follow_training_after_it_was_made()
    {
        var data = TinyData.Create();
        var model = ModelCatalog.Create("lightgcn", data, ModelSettings.Parse(["embedding_size=6"]), 42);
        var trained = TrainedModel.From(model, data);
        var before = trained.Recommend("alice", k: 6, excludeSeen: false);

        ModelTestKit.Train(model, steps: 5);

        Assert.Equal(before, trained.Recommend("alice", k: 6, excludeSeen: false));
        Assert.NotEqual(ModelTestKit.ScoreAll(trained.Scorer, [0], 6).Data, ModelTestKit.ScoreAll(model, [0], 6).Data);
    }

    [Fact]
    public void Concurrent_callers_get_the_answers_of_one_caller()
    {
        var (model, data) = RandomModel(users: 300, items: 200);
        var ids = Enumerable.Range(0, data.UserCount).Select(u => $"u{u}").ToArray();
        var alone = ids.Select(id => model.Recommend(id, k: 10)).ToArray();
        var similarAlone = model.SimilarItems("i3", k: 10);

        var together = new IReadOnlyList<ScoredItem>[ids.Length];
        Parallel.For(0, ids.Length, new ParallelOptions { MaxDegreeOfParallelism = 8 }, u =>
        {
            together[u] = model.Recommend(ids[u], k: 10);
            Assert.Equal(similarAlone, model.SimilarItems("i3", k: 10));
        });

        for (int u = 0; u < ids.Length; u++) Assert.Equal(alone[u], together[u]);
    }

    [Fact]
    public void A_per_instance_thread_count_gives_the_same_answers()
    {
        var (model, data) = RandomModel(users: 300, items: 500);
        var ids = Enumerable.Range(0, data.UserCount).Select(u => $"u{u}").ToArray();
        var oneThread = model.WithThreads(1);
        Assert.Equal((0, 1), (model.Threads, oneThread.Threads));

        Assert.Equal(model.RecommendMany(ids, k: 20), oneThread.RecommendMany(ids, k: 20));
    }

    [Fact]
    public void Dgvae_scores_but_says_it_has_no_item_vectors_for_similar_items()
    {
        var data = ModalData.Create();
        var model = ModelCatalog.Create("dgvae", data, ModelSettings.Parse(["embedding_size=4", "knn_k=2", "word_codes=3", "modalities=image,audio", "modality_weights=0.04,0.96"]), 42);
        var trained = TrainedModel.From(model, data);

        Assert.Equal(5, trained.Recommend("alice", k: 5, excludeSeen: false).Count);
        Reference.AssertRejected<NotSupportedException>(() => trained.SimilarItems("i10"), "dgvae", "no item vectors", "similar items");
    }
}
