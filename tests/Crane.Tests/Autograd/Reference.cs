using Crane.Numerics;

namespace Crane.Tests.Autograd;

/// <summary>Forward checks against plain double-precision loops written in the tests.</summary>
public static class Reference
{
    /// <summary>Asserts every element of <paramref name="actual"/> is within tol·max(1, |expected|) of expected(r, c).</summary>
    public static void AssertClose(Tensor actual, int rows, int cols, Func<int, int, double> expected, double tol = 1e-5)
    {
        Assert.Equal((rows, cols), (actual.Rows, actual.Cols));
        for (int r = 0; r < rows; r++)
            for (int c = 0; c < cols; c++)
            {
                double e = expected(r, c), a = actual[r, c];
                if (Math.Abs(a - e) > tol * Math.Max(1, Math.Abs(e)))
                    throw new Xunit.Sdk.XunitException($"Element ({r}, {c}): {a:G9} but expected {e:G9}.");
            }
    }

    /// <summary>Random values kept at least <paramref name="gap"/> away from 0 (for ops with a kink there).</summary>
    public static Tensor AwayFromZero(int rows, int cols, int seed, float gap = 0.1f)
    {
        var t = GradCheck.Random(rows, cols, seed);
        for (int i = 0; i < t.Length; i++) t.Data[i] += MathF.CopySign(gap, t.Data[i]);
        return t;
    }

    /// <summary>The shapes of a broadcast operand against a 4×3 one: same, row, column, scalar.</summary>
    public static TheoryData<int, int> BroadcastShapes => new() { { 4, 3 }, { 1, 3 }, { 4, 1 }, { 1, 1 } };

    /// <summary>Asserts that <paramref name="op"/> throws <typeparamref name="TException"/> with a message containing every fragment.</summary>
    public static void AssertRejected<TException>(Func<object> op, params string[] fragments) where TException : Exception
    {
        var ex = Assert.Throws<TException>(op);
        foreach (var f in fragments) Assert.Contains(f, ex.Message);
    }
}
