using Crane.Data;
using Crane.Evaluation;
using Crane.Models;
using Crane.Numerics;
using Crane.Training;

namespace Crane.Bench;

/// <summary>
/// `report crane-diagnosis --data DIR [--epochs N] [--lr X] [--seed S] [--parts false] [--set k=v …]`: trains CRANE and after
/// every epoch scores validation with each part of the fused representation u = c_u + s_u + p_u
/// (collaborative view, semantic view, content term) alone and in pairs (Recall@20/NDCG@20), and prints the mean row
/// norm of each part for users and items — to see which part moves when validation swings.
/// </summary>
public static class CraneDiagnosisReport
{
    internal static void Run(string[] args)
    {
        var arguments = new ReportArgs("report crane-diagnosis", args);
        string[] sets = arguments.Sets;
        var data = DatasetReader.Load(arguments.Value("--data", "../shared/data/tiktok")).Dataset;
        ulong seed = (ulong)arguments.Int("--seed", 999);
        bool showParts = arguments.Value("--parts", "true") == "true";
        var model = (CraneModel)ModelCatalog.Create(CraneModel.Name, data, ModelSettings.Parse(sets), seed);
        var options = new TrainerOptions(Epochs: arguments.Int("--epochs", 10), Patience: 1000, Seed: seed,
            LearningRate: float.Parse(arguments.Value("--lr", "0.001"), System.Globalization.CultureInfo.InvariantCulture));
        Console.WriteLine($"crane on {data.Name}, settings [{string.Join(" ", sets)}], lr {options.LearningRate}, seed {seed}, {Parallelism.Threads} threads");
        Console.WriteLine("epoch  loss     | valid R@20/N@20: full   c   s   p   c+s   c+p   s+p  | mean ‖·‖ users c/s/p, items c/s/p");

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
                string Recall(params int[] which) => Validate(data, Sum(parts3, which));
                Console.WriteLine($"{r.Epoch,5}  {r.Loss:F4}   |  {F4(r.Validation.Values["recall@20"])}/{F4(r.Validation.Values["ndcg@20"])}  {Recall(0)} {Recall(1)} {Recall(2)} {Recall(0, 1)} {Recall(0, 2)} {Recall(1, 2)} | " +
                    $"{Norm(c.Value, 0, data.UserCount):F2}/{Norm(s, 0, data.UserCount):F2}/{Norm(p, 0, data.UserCount):F2}  " +
                    $"{Norm(c.Value, data.UserCount, data.ItemCount):F2}/{Norm(s, data.UserCount, data.ItemCount):F2}/{Norm(p, data.UserCount, data.ItemCount):F2}");
            },
        };
        trainer.Train(model, data);
    }

    static string F4(double x) => x.ToString("F4", System.Globalization.CultureInfo.InvariantCulture);

    static string Validate(Dataset data, Tensor all)
    {
        int d = all.Cols;
        var users = new Tensor(data.UserCount, d, all.Data.AsSpan(0, data.UserCount * d).ToArray());
        var items = new Tensor(data.ItemCount, d, all.Data.AsSpan(data.UserCount * d).ToArray());
        var values = Evaluator.Evaluate(new DotProductModel(users, items), data, Split.Valid).Values;
        return $"{F4(values["recall@20"])}/{F4(values["ndcg@20"])}";
    }

    static Tensor Sum(Tensor[] parts, int[] which)
    {
        var r = new Tensor(parts[0].Rows, parts[0].Cols);
        foreach (int w in which) System.Numerics.Tensors.TensorPrimitives.Add(r.Data, parts[w].Data, r.Data);
        return r;
    }

    static double Norm(Tensor t, int firstRow, int rows)
    {
        double total = 0;
        for (int r = firstRow; r < firstRow + rows; r++) total += System.Numerics.Tensors.TensorPrimitives.Norm(t.Row(r));
        return total / rows;
    }
}
