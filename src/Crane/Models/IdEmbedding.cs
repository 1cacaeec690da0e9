using Crane.Autograd;
using Crane.Data;
using Crane.Numerics;
using Crane.Optim;

namespace Crane.Models;

/// <summary>The ID embedding table of the graph models (LightGCN, FREEDOM, crane-released).</summary>
internal static class IdEmbedding
{
    /// <summary>
    /// One (M+N)×d parameter "embedding": the user rows then the item rows, each block
    /// Xavier-uniform with its own fans, drawn users first (MMRec's two nn.Embedding tables),
    /// stored together so propagation needs no concatenation.
    /// </summary>
    public static Variable Create(Dataset data, int d, Rng init)
    {
        var users = Init.XavierUniform(new Tensor(data.UserCount, d), init);
        var items = Init.XavierUniform(new Tensor(data.ItemCount, d), init);
        var table = new Tensor(data.UserCount + data.ItemCount, d);
        users.Data.CopyTo(table.Data, 0);
        items.Data.CopyTo(table.Data, users.Length);
        return Variable.Parameter(table, "embedding");
    }

    /// <summary>Splits a propagated (M+N)×d table into its user rows and its item rows.</summary>
    public static (Tensor Users, Tensor Items) Split(Tensor table, int users)
    {
        int d = table.Cols, userFloats = users * d;
        return (new Tensor(users, d, table.Data.AsSpan(0, userFloats).ToArray()),
                new Tensor(table.Rows - users, d, table.Data.AsSpan(userFloats).ToArray()));
    }
}
