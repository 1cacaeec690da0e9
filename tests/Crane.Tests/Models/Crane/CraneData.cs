using Crane.Data;
using Crane.Numerics;
using Crane.Models;
using Crane.Tests.Autograd;

namespace Crane.Tests.Models;

/// <summary><see cref="TinyData"/> with two item modalities (image 5-d, text 3-d), and CRANE models on it.</summary>
public static class CraneData
{
    public static Dataset Create()
    {
        var d = TinyData.Create();
        return new Dataset
        {
            Name = d.Name, UserCount = d.UserCount, ItemCount = d.ItemCount, Train = d.Train, Valid = d.Valid, Test = d.Test,
            UserIds = d.UserIds, ItemIds = d.ItemIds,
            Modalities = new Dictionary<string, Tensor> { ["image"] = GradCheck.Random(6, 5, 71), ["text"] = GradCheck.Random(6, 3, 72) },
        };
    }

    /// <summary>A small model (d = 3, k = 2) with the given extra settings.</summary>
    public static CraneModel Model(params string[] settings) =>
        new(Create(), ModelSettings.Parse(["embedding_size=3", "knn_k=2", "k_att=2", .. settings]), 7);

    /// <summary>Two small models that differ in one setting, their parameters randomised alike (<paramref name="seed"/>).</summary>
    public static (CraneModel With, CraneModel Without) Pair(int seed, string[] with, string[] without)
    {
        var (a, b) = (Model(with), Model(without));
        ModelTestKit.Randomise(a, seed);
        ModelTestKit.Randomise(b, seed);
        return (a, b);
    }
}
