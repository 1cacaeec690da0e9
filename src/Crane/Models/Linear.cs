using Crane.Autograd;
using Crane.Numerics;

namespace Crane.Models;

/// <summary>
/// A fully connected layer y = x·W + b (W is in×out, b is 1×out), initialised as PyTorch's
/// nn.Linear: W and b uniform in ±1/√in.
/// </summary>
internal sealed class Linear
{
    public Variable Weight { get; }
    public Variable Bias { get; }

    public Linear(int inputs, int outputs, Rng init, string name)
    {
        float bound = 1f / MathF.Sqrt(inputs);
        var w = new Tensor(inputs, outputs);
        init.FillUniform(w.Data, -bound, bound);
        var b = new Tensor(1, outputs);
        init.FillUniform(b.Data, -bound, bound);
        Weight = Variable.Parameter(w, $"{name}.weight");
        Bias = Variable.Parameter(b, $"{name}.bias");
    }

    /// <summary>nn.Linear with its weight re-drawn by <paramref name="weightInit"/> (MMRec's nn.init.xavier_*_(layer.weight)); the bias keeps PyTorch's default.</summary>
    public Linear(int inputs, int outputs, Rng init, string name, Func<Tensor, Rng, Tensor> weightInit) : this(inputs, outputs, init, name) =>
        weightInit(Weight.Value, init);

    public IEnumerable<Variable> Parameters => [Weight, Bias];

    /// <summary>x·W + b, reading the parameters through <paramref name="read"/> (identity in training, constants for scoring).</summary>
    public Variable Apply(Variable x, Func<Variable, Variable> read) => Ops.Add(Ops.MatMul(x, read(Weight)), read(Bias));
}
