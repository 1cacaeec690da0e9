using Crane.Autograd;
using Crane.Data;
using Crane.Models;
using Crane.Numerics;
using Crane.Training;
using static Crane.Bench.RepresentationParts;

namespace Crane.Bench;

/// <summary>
/// `report lgmrec-diagnosis --data DIR [--epochs N] [--lr X] [--seed S] [--threads T] [--set k=v …]`:
/// trains LGMRec and after every epoch scores validation with each part of its final rows
/// final = C + ℓ + g (C collaborative, ℓ = Σ_m rownorm(M_m) local modality, g = α·rownorm(G) global),
/// prints each part's mean row norm, and the RMS gradient that the ID table E receives from the
/// BPR term and from the weighted contrastive term on one fixed probe batch — to see which term
/// ranks and which term trains E.
/// </summary>
public static class LgmRecDiagnosisReport
{
    internal static void Run(string[] args)
    {
        var arguments = new ReportArgs("report lgmrec-diagnosis", args);
        string[] sets = arguments.Sets;
        var data = arguments.Data("../shared/data/tiktok");
        Parallelism.Threads = arguments.Int("--threads", Parallelism.Threads);
        var options = arguments.DiagnosisTraining(8);
        var model = (LgmRec)ModelCatalog.Create(LgmRec.Name, data, ModelSettings.Parse(sets), options.Seed);
        var probe = ProbeBatch(data, options.Seed);
        Console.WriteLine($"lgmrec on {data.Name}, settings [{string.Join(" ", sets)}], lr {options.LearningRate}, seed {options.Seed}, {Parallelism.Threads} threads");
        Console.WriteLine("epoch  loss   | valid R@20: full    C      ℓ      g     C+ℓ    C+g  | mean ‖·‖ users C/ℓ/g, items C/ℓ/g | RMS ∂E users BPR/CL, items BPR/CL");
        Report(0, double.NaN, double.NaN, model, data, probe);
        var trainer = new Trainer(options) { EpochCompleted = r => Report(r.Epoch, r.Loss, r.Validation.Values["recall@20"], model, data, probe) };
        trainer.Train(model, data);
    }

    static void Report(int epoch, double loss, double full, LgmRec model, Dataset data, TrainingBatch probe)
    {
        var output = model.Forward(p => Variable.Constant(p.Value), null, null);   // the scoring path: noiseless, no dropout
        var (c, local, final) = (output.Collaborative.Value, output.Local.Value, output.Final.Value);
        var parts = new[] { c, Difference(local, c), Difference(final, local) };
        if (double.IsNaN(full)) full = Validate(data, final);
        string Recall(params int[] which) => F4(Validate(data, Sum(parts, which)));
        string Norms(int first, int rows) => string.Join("/", parts.Select(p => Norm(p, first, rows).ToString("F2", System.Globalization.CultureInfo.InvariantCulture)));
        var (bpr, cl) = IdGradients(model, probe);
        int split = data.UserCount * c.Cols;
        Console.WriteLine($"{epoch,5}  {(double.IsNaN(loss) ? "  –   " : loss.ToString("F4", System.Globalization.CultureInfo.InvariantCulture))} |  {F4(full)}  {Recall(0)} {Recall(1)} {Recall(2)} {Recall(0, 1)} {Recall(0, 2)} | " +
            $"{Norms(0, data.UserCount)}  {Norms(data.UserCount, data.ItemCount)} | " +
            $"{Rms(bpr, 0, split):E1}/{Rms(cl, 0, split):E1}  {Rms(bpr, split, bpr.Length):E1}/{Rms(cl, split, cl.Length):E1}");
    }

    /// <summary>2,048 training pairs with uniform negatives, drawn once from the "probe" stream.</summary>
    static TrainingBatch ProbeBatch(Dataset data, ulong seed)
    {
        var rng = Rng.ForStream(seed, "probe");
        int b = Math.Min(2048, data.Train.Count);
        var (users, positives, negatives) = (new int[b], new int[b], new int[b]);
        for (int k = 0; k < b; k++)
        {
            int e = rng.NextInt(data.Train.Count);
            (users[k], positives[k], negatives[k]) = (data.Train.Users[e], data.Train.Items[e], rng.NextInt(data.ItemCount));
        }
        return new TrainingBatch(users, positives, negatives);
    }

    /// <summary>∂E of the BPR term and of cl_weight × the contrastive term, each under the same Gumbel noise and dropout masks.</summary>
    static (Tensor Bpr, Tensor Contrastive) IdGradients(LgmRec model, TrainingBatch batch)
    {
        var embedding = model.Parameters.Single(p => p.Name == "embedding");
        Tensor Gradient(Func<LgmRec.Output, Variable> term)
        {
            foreach (var p in model.Parameters) p.ZeroGrad();
            var noise = new Rng(7);
            term(model.Forward(p => p, noise.Fork("gumbel"), noise.Fork("dropout"))).Backward();
            var g = embedding.Grad?.Clone() ?? embedding.Value.ZerosLike();
            foreach (var p in model.Parameters) p.ZeroGrad();
            return g;
        }
        var bpr = Gradient(o =>
        {
            var (u, i, j) = model.BatchRows(o, batch);
            return Losses.Bpr(u, i, j);
        });
        var cl = model.ContrastiveWeight == 0f || model.UsedModalities.Count < 2
            ? embedding.Value.ZerosLike()
            : Gradient(o => Ops.Scale(model.Contrastive(o, batch), model.ContrastiveWeight));
        return (bpr, cl);
    }

    static Tensor Difference(Tensor a, Tensor b)
    {
        var r = new Tensor(a.Rows, a.Cols);
        System.Numerics.Tensors.TensorPrimitives.Subtract(a.Data, b.Data, r.Data);
        return r;
    }

    static double Rms(Tensor t, int from, int to) =>
        System.Numerics.Tensors.TensorPrimitives.Norm(t.Data.AsSpan(from, to - from)) / Math.Sqrt(to - from);
}
