using Crane.Numerics;

namespace Crane.Autograd;

public static partial class Ops
{
    /// <summary>xᵀ. ∂x = Gᵀ.</summary>
    public static Variable Transpose(Variable x)
    {
        var y = new Tensor(x.Cols, x.Rows);
        AddTransposed(x.Value, y);
        return Variable.FromOp(y, [x], g => AddTransposed(g, x.GradOrZeros()));
    }

    /// <summary>destination += sourceᵀ, in tiles so both sides stay in cache; parallel over destination rows.</summary>
    static void AddTransposed(Tensor source, Tensor destination)
    {
        const int tile = 32;
        ForRows(destination, (s, e) =>
        {
            for (int j0 = 0; j0 < source.Rows; j0 += tile)
            {
                int j1 = Math.Min(source.Rows, j0 + tile);
                for (int i = s; i < e; i++)
                {
                    var d = destination.Row(i);
                    for (int j = j0; j < j1; j++) d[j] += source.Data[j * source.Cols + i];
                }
            }
        });
    }
}
