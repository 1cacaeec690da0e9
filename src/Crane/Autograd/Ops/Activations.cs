using System.Numerics;
using System.Numerics.Tensors;

namespace Crane.Autograd;

public static partial class Ops
{
    /// <summary>max(x, 0).</summary>
    public static Variable Relu(Variable x) => Activate(x, new ReluFn());

    /// <summary>x for x &gt; 0, slope·x otherwise.</summary>
    public static Variable LeakyRelu(Variable x, float slope = 0.01f) => Activate(x, new LeakyReluFn(slope));

    /// <summary>tanh(x).</summary>
    public static Variable Tanh(Variable x) => Activate(x, new TanhFn());

    /// <summary>σ(x) = 1 / (1 + e^−x).</summary>
    public static Variable Sigmoid(Variable x) => Activate(x, new SigmoidFn());

    /// <summary>log σ(x) = −softplus(−x), computed stably (finite and accurate for any finite x).</summary>
    public static Variable LogSigmoid(Variable x) => Activate(x, new SoftplusFn(-1f));

    /// <summary>softplus(x) = log(1 + eˣ), computed stably (finite and accurate for any finite x).</summary>
    public static Variable Softplus(Variable x) => Activate(x, new SoftplusFn(1f));

    /// <summary>eˣ.</summary>
    public static Variable Exp(Variable x) => Activate(x, new ExpFn());

    /// <summary>Natural logarithm (x must be positive).</summary>
    public static Variable Log(Variable x) => Activate(x, new LogFn());

    /// <summary>An element-wise function: its value f and the chain rule through f′.</summary>
    internal interface IActivation
    {
        /// <summary>y = f(x).</summary>
        void Forward(ReadOnlySpan<float> x, Span<float> y);

        /// <summary>dx = g ⊙ f′(x), given y = f(x); dx may be used as scratch.</summary>
        void Backward(ReadOnlySpan<float> x, ReadOnlySpan<float> y, ReadOnlySpan<float> g, Span<float> dx);
    }

    /// <summary>The one loop behind every activation: blocks of elements, in parallel.</summary>
    static Variable Activate<TF>(Variable x, TF f) where TF : struct, IActivation
    {
        var xs = x.Value.Data;
        var y = x.Value.ZerosLike();
        ForElements(xs.Length, (s, e) => f.Forward(xs.AsSpan(s..e), y.Data.AsSpan(s..e)));
        return Variable.FromOp(y, [x], g =>
        {
            var dx = new float[xs.Length];
            ForElements(xs.Length, (s, e) => f.Backward(xs.AsSpan(s..e), y.Data.AsSpan(s..e), g.Data.AsSpan(s..e), dx.AsSpan(s..e)));
            x.AccumulateGrad(dx);
        });
    }

    readonly struct ReluFn : IActivation
    {
        public void Forward(ReadOnlySpan<float> x, Span<float> y) => TensorPrimitives.Max(x, 0f, y);
        public void Backward(ReadOnlySpan<float> x, ReadOnlySpan<float> y, ReadOnlySpan<float> g, Span<float> dx) => PositiveOrScaled(x, g, 0f, dx);
    }

    readonly struct LeakyReluFn(float slope) : IActivation
    {
        public void Forward(ReadOnlySpan<float> x, Span<float> y) => PositiveOrScaled(x, x, slope, y);
        public void Backward(ReadOnlySpan<float> x, ReadOnlySpan<float> y, ReadOnlySpan<float> g, Span<float> dx) => PositiveOrScaled(x, g, slope, dx);
    }

    readonly struct TanhFn : IActivation
    {
        public void Forward(ReadOnlySpan<float> x, Span<float> y) => TensorPrimitives.Tanh(x, y);

        // f′ = 1 − y²
        public void Backward(ReadOnlySpan<float> x, ReadOnlySpan<float> y, ReadOnlySpan<float> g, Span<float> dx)
        {
            TensorPrimitives.Multiply(y, y, dx);
            TensorPrimitives.Subtract(1f, dx, dx);
            TensorPrimitives.Multiply(dx, g, dx);
        }
    }

    readonly struct SigmoidFn : IActivation
    {
        public void Forward(ReadOnlySpan<float> x, Span<float> y) => TensorPrimitives.Sigmoid(x, y);

        // f′ = y(1 − y)
        public void Backward(ReadOnlySpan<float> x, ReadOnlySpan<float> y, ReadOnlySpan<float> g, Span<float> dx)
        {
            TensorPrimitives.Subtract(1f, y, dx);
            TensorPrimitives.Multiply(dx, y, dx);
            TensorPrimitives.Multiply(dx, g, dx);
        }
    }

    readonly struct ExpFn : IActivation
    {
        public void Forward(ReadOnlySpan<float> x, Span<float> y) => TensorPrimitives.Exp(x, y);
        public void Backward(ReadOnlySpan<float> x, ReadOnlySpan<float> y, ReadOnlySpan<float> g, Span<float> dx) => TensorPrimitives.Multiply(g, y, dx);
    }

    readonly struct LogFn : IActivation
    {
        public void Forward(ReadOnlySpan<float> x, Span<float> y) => TensorPrimitives.Log(x, y);
        public void Backward(ReadOnlySpan<float> x, ReadOnlySpan<float> y, ReadOnlySpan<float> g, Span<float> dx) => TensorPrimitives.Divide(g, x, dx);
    }

    /// <summary>
    /// f(x) = sign·softplus(sign·x): softplus for sign = 1, log σ for sign = −1 (log σ(x) = −softplus(−x)).
    /// softplus(t) = max(t, 0) + log1p(e^−|t|) never overflows, and an accurate log1p keeps the
    /// tiny values (e.g. log σ(30) ≈ −9e−14) exact rather than rounded to 0. f′(x) = σ(sign·x).
    /// </summary>
    readonly struct SoftplusFn(float sign) : IActivation
    {
        public void Forward(ReadOnlySpan<float> x, Span<float> y)
        {
            Span<float> t = stackalloc float[256];
            for (int i = 0; i < x.Length; i += t.Length)
            {
                int n = Math.Min(t.Length, x.Length - i);
                var ti = t[..n];
                var yi = y.Slice(i, n);
                TensorPrimitives.Multiply(x.Slice(i, n), sign, ti);
                TensorPrimitives.Max(ti, 0f, yi);
                TensorPrimitives.Abs(ti, ti);
                TensorPrimitives.Negate(ti, ti);
                TensorPrimitives.Exp(ti, ti);
                Log1p(ti, ti);
                TensorPrimitives.Add(yi, ti, yi);
                TensorPrimitives.Multiply(yi, sign, yi);
            }
        }

        public void Backward(ReadOnlySpan<float> x, ReadOnlySpan<float> y, ReadOnlySpan<float> g, Span<float> dx)
        {
            TensorPrimitives.Multiply(x, sign, dx);
            TensorPrimitives.Sigmoid(dx, dx);
            TensorPrimitives.Multiply(dx, g, dx);
        }
    }

    /// <summary>destination[i] = x[i] &gt; 0 ? v[i] : slope·v[i] (the ReLU family's value and derivative).</summary>
    static void PositiveOrScaled(ReadOnlySpan<float> x, ReadOnlySpan<float> v, float slope, Span<float> destination)
    {
        int i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var s = new Vector<float>(slope);
            for (; i <= x.Length - Vector<float>.Count; i += Vector<float>.Count)
            {
                var vi = new Vector<float>(v[i..]);
                Vector.ConditionalSelect(Vector.GreaterThan(new Vector<float>(x[i..]), Vector<float>.Zero), vi, vi * s).CopyTo(destination[i..]);
            }
        }
        for (; i < x.Length; i++) destination[i] = x[i] > 0f ? v[i] : slope * v[i];
    }

    /// <summary>
    /// log(1 + u) accurate for small u. TensorPrimitives.LogP1 computes log(u + 1): already 0.1 %
    /// off at u = 1e−5 and 0 below 6e−8. Goldberg's log(w)·u/(w − 1), w = 1 + u, cancels w's rounding.
    /// </summary>
    static void Log1p(ReadOnlySpan<float> u, Span<float> destination)
    {
        int i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            for (; i <= u.Length - Vector<float>.Count; i += Vector<float>.Count)
            {
                var ui = new Vector<float>(u[i..]);
                var w = Vector<float>.One + ui;
                var d = w - Vector<float>.One;
                Vector.ConditionalSelect(Vector.Equals(d, Vector<float>.Zero), ui, Vector.Log(w) * ui / d).CopyTo(destination[i..]);
            }
        }
        for (; i < u.Length; i++)
        {
            float w = 1f + u[i], d = w - 1f;
            destination[i] = d == 0f ? u[i] : MathF.Log(w) * u[i] / d;
        }
    }
}
