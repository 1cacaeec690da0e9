using Crane.Data;
using Crane.Models;
using Crane.Numerics;
using Crane.Training;
using static Crane.Bench.RepresentationParts;

namespace Crane.Bench;

/// <summary>
/// `report crane-diagnosis --data DIR [--epochs N] [--lr X] [--seed S] [--threads T] [--parts false] [--set k=v …]`: trains CRANE and after
/// every epoch scores validation with each part of the fused representation u = c_u + s_u + p_u
/// (collaborative view, semantic view, content term) alone and in pairs (Recall@20/NDCG@20), and prints the mean row
/// norm of each part for users and items — to see which part moves when validation swings — and how alike
/// the users' rows of each part are (mean cosine with the mean user row).
/// </summary>
public static class CraneDiagnosisReport
{
    internal static void Run(string[] args)
    {
        var arguments = new ReportArgs("report crane-diagnosis", args);
        string[] sets = arguments.Sets;
        var data = DatasetReader.Load(arguments.Value("--data", "../shared/data/tiktok")).Dataset;
        bool showParts = arguments.Value("--parts", "true") == "true";
        Parallelism.Threads = arguments.Int("--threads", Parallelism.Threads);
        var options = arguments.DiagnosisTraining(10);
        var model = (CraneModel)ModelCatalog.Create(CraneModel.Name, data, ModelSettings.Parse(sets), options.Seed);
        Console.WriteLine($"crane on {data.Name}, settings [{string.Join(" ", sets)}], lr {options.LearningRate}, seed {options.Seed}, {Parallelism.Threads} threads");
        Console.WriteLine("epoch  loss     | valid R@20/N@20: full   c   s   p   c+s   c+p   s+p  | mean ‖·‖ users c/s/p, items c/s/p | users' cos to mean c/s/p");

        var trainer = new Trainer(options)
        {
            EpochCompleted = r =>
            {
                if (!showParts)
                {
                    Console.WriteLine($"{r.Epoch,5}  {r.Loss:F4}   |  {F4(r.Validation.Values["recall@20"])}  N@20 {F4(r.Validation.Values["ndcg@20"])}  {r.TrainSeconds:F1}s");
                    return;
                }
                var (_, c, _) = model.Forward(model.BuildGraph(), out var parts);
                var p = parts.Content!.Value;
                var s = parts.Semantic?.Value ?? new Tensor(p.Rows, p.Cols);   // zero without the item graph
                var parts3 = new[] { c.Value, s, p };
                string Recall(params int[] which) => RecallAndNdcg(data, Sum(parts3, which));
                Console.WriteLine($"{r.Epoch,5}  {r.Loss:F4}   |  {F4(r.Validation.Values["recall@20"])}/{F4(r.Validation.Values["ndcg@20"])}  {Recall(0)} {Recall(1)} {Recall(2)} {Recall(0, 1)} {Recall(0, 2)} {Recall(1, 2)} | " +
                    $"{Norm(c.Value, 0, data.UserCount):F2}/{Norm(s, 0, data.UserCount):F2}/{Norm(p, 0, data.UserCount):F2}  " +
                    $"{Norm(c.Value, data.UserCount, data.ItemCount):F2}/{Norm(s, data.UserCount, data.ItemCount):F2}/{Norm(p, data.UserCount, data.ItemCount):F2} | " +
                    $"{Sameness(c.Value, 0, data.UserCount):F2}/{Sameness(s, 0, data.UserCount):F2}/{Sameness(p, 0, data.UserCount):F2}");
            },
        };
        trainer.Train(model, data);
    }
}
