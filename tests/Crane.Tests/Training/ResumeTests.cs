using Crane.Data;
using Crane.Models;
using Crane.Tests.Models;
using Crane.Training;

namespace Crane.Tests.Training;

/// <summary>A run stopped after an epoch and resumed from its checkpoint ends with the bits of one never stopped.</summary>
public sealed class ResumeTests : IDisposable
{
    readonly string _dir = Directory.CreateTempSubdirectory("crane-resume-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    static readonly TrainerOptions Options = new(Epochs: 5, Patience: 10, LearningRate: 0.01f, BatchSize: 4, UserBatchSize: 2, Seed: 3);

    void AssertResumesExactly(Func<Recommender> create, Dataset data, int stopAfter = 2)
    {
        var never = create();
        var expected = new Trainer(Options).Train(never, data);

        string path = Path.Combine(_dir, "checkpoint.json");
        using var stop = new CancellationTokenSource();
        var stopped = create();
        var interrupted = Assert.Throws<TrainingInterruptedException>(() => new Trainer(Options)
        {
            CheckpointPath = path, Stop = stop.Token,
            EpochCompleted = r => { if (r.Epoch == stopAfter) stop.Cancel(); },
        }.Train(stopped, data));
        Assert.Equal(stopAfter, interrupted.LastEpoch);

        var resumed = create(); // a fresh model, as a new process builds one
        var result = new Trainer(Options) { ResumeFrom = TrainingCheckpoint.Load(path) }.Train(resumed, data);

        for (int p = 0; p < never.Parameters.Count; p++) Assert.Equal(never.Parameters[p].Value.Data, resumed.Parameters[p].Value.Data);
        Assert.Equal(expected.BestEpoch, result.BestEpoch);
        Assert.Equal(expected.Test.Values, result.Test.Values);
        Assert.Equal(expected.History.Select(h => (h.Epoch, h.Loss, h.IsBest)), result.History.Select(h => (h.Epoch, h.Loss, h.IsBest)));
        Assert.Equal(expected.History.Select(h => h.Validation.Values["ndcg@20"]), result.History.Select(h => h.Validation.Values["ndcg@20"]));
    }

    [Theory]
    [InlineData("bpr")]
    [InlineData("lightgcn")]
    [InlineData("freedom", "knn_k=2", "modalities=image,audio")]
    [InlineData("lgmrec", "embedding_size=4")]
    [InlineData("crane", "embedding_size=4", "knn_k=2")]
    [InlineData("dgvae", "embedding_size=4", "knn_k=2", "word_codes=3", "modalities=image,audio", "modality_weights=0.04,0.96")]
    public void A_model_resumes_exactly(string kind, params string[] settings) =>
        AssertResumesExactly(() => ModelCatalog.Create(kind, ModalData.Create(), ModelSettings.Parse(settings), 11), ModalData.Create());

    [Fact]
    public void Parameter_averaging_and_a_learning_rate_schedule_resume_exactly()
    {
        var data = TinyData.Build();
        AssertResumesExactly(() => new TinyMf(data) { Averaging = 0.9f, Schedule = e => 1f / e }, data, stopAfter: 3);
    }

    [Fact]
    public void A_checkpoint_of_another_model_is_refused_with_what_differs()
    {
        var data = TinyData.Build();
        string path = Path.Combine(_dir, "small.json");
        new Trainer(Options with { Epochs = 1 }) { CheckpointPath = path }.Train(new TinyMf(data, dimension: 4), data);
        var e = Assert.Throws<ArgumentException>(() => new Trainer(Options) { ResumeFrom = TrainingCheckpoint.Load(path) }.Train(new TinyMf(data, dimension: 8), data));
        Assert.Contains("has 48 values where the model has 96", e.Message);

        File.WriteAllText(path, "{ not json");
        Assert.Contains("not a readable checkpoint", Assert.Throws<DataException>(() => TrainingCheckpoint.Load(path)).Message);
    }
}
