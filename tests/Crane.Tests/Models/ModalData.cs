using Crane.Data;
using Crane.Numerics;

namespace Crane.Tests.Models;

/// <summary><see cref="TinyData"/> with two random item modalities, "image" (6×5) and "audio" (6×3), as TikTok has.</summary>
public static class ModalData
{
    public static Dataset Create()
    {
        var tiny = TinyData.Create();
        return new Dataset
        {
            Name = tiny.Name,
            UserCount = tiny.UserCount,
            ItemCount = tiny.ItemCount,
            Train = tiny.Train,
            Valid = tiny.Valid,
            Test = tiny.Test,
            UserIds = tiny.UserIds,
            ItemIds = tiny.ItemIds,
            Modalities = new Dictionary<string, Tensor> { ["image"] = Table(5, 1), ["audio"] = Table(3, 2) },
        };
    }

    static Tensor Table(int cols, ulong seed)
    {
        var t = new Tensor(6, cols);
        new Rng(seed).FillNormal(t.Data, 0f, 1f);
        return t;
    }
}
