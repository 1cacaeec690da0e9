using Crane.Numerics;
using Crane.Optim;

namespace Crane.Models;

/// <summary>The ID embedding table E⁰ that the graph models share.</summary>
internal static class IdEmbedding
{
    /// <summary>
    /// One (M+N)×d table: the user rows then the item rows, each block Xavier-uniform with its own
    /// fans (as MMRec's two nn.Embedding tables), drawn users first from <paramref name="init"/>;
    /// stored together so propagation needs no concatenation.
    /// </summary>
    public static Tensor UsersThenItems(int users, int items, int d, Rng init)
    {
        var u = Init.XavierUniform(new Tensor(users, d), init);
        var i = Init.XavierUniform(new Tensor(items, d), init);
        var table = new Tensor(users + items, d);
        u.Data.CopyTo(table.Data, 0);
        i.Data.CopyTo(table.Data, u.Length);
        return table;
    }
}
