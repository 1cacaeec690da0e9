using Crane.Autograd;
using Crane.Numerics;
using Crane.Optim;

namespace Crane.Models;

/// <summary>
/// One modality's graph branch of MMGCN (baselines.md): x⁰ = rownorm([P_m ; f_m(X_m)]), then per
/// layer h = LeakyReLU(mean_nbr(x·W_conv)), x̂ = LeakyReLU(x·W_lin + b) + e_id,
/// x ← LeakyReLU([h ; x̂]·W_g + b_g). f_m is a Linear to <c>dim_latent</c> when the branch maps
/// (the image branch wider than dim_latent), else the identity; the first layer works at that
/// width d_m, the later ones at d.
/// </summary>
internal sealed class MmgcnBranch
{
    readonly Tensor _features;
    readonly Linear? _map;                 // f_m, MMRec's MLP
    readonly Variable _preference;         // P_m, M × d_m
    readonly Variable[] _conv;             // W_conv per layer (in × in; PyG BaseModel's weight)
    readonly Linear[] _linear, _gate;      // W_lin (in → d), W_g ([in + d] → d)

    public string Modality { get; }

    /// <summary>d_m: the width x⁰ has (the preference table's width).</summary>
    public int InputWidth => _preference.Cols;

    /// <summary>Whether the branch maps its raw features to dim_latent first.</summary>
    public bool Maps => _map is not null;

    /// <summary>P_m (a parameter, or a constant under mmrec_quirks).</summary>
    public Variable Preference => _preference;

    public MmgcnBranch(string modality, Tensor features, int users, int d, int layers, int? latent, bool trainPreference, Rng init)
    {
        Modality = modality;
        _features = features;
        _map = latent is int l ? new Linear(features.Cols, l, init, $"{modality}.mlp") : null;
        int dm = latent ?? features.Cols;
        var preference = Init.XavierNormal(new Tensor(users, dm), init);
        _preference = trainPreference ? Variable.Parameter(preference, $"{modality}.preference") : Variable.Constant(preference);
        _conv = new Variable[layers];
        (_linear, _gate) = (new Linear[layers], new Linear[layers]);
        for (int k = 0; k < layers; k++)
        {
            int input = k == 0 ? dm : d;
            _conv[k] = Variable.Parameter(Init.XavierNormal(new Tensor(input, input), init), $"{modality}.conv{k + 1}.weight");
            _linear[k] = new Linear(input, d, init, $"{modality}.linear{k + 1}", (w, r) => Init.XavierNormal(w, r));
            _gate[k] = new Linear(input + d, d, init, $"{modality}.gate{k + 1}", (w, r) => Init.XavierNormal(w, r));
        }
    }

    /// <summary>The trainable parameters (P_m only when it trains).</summary>
    public IEnumerable<Variable> Parameters =>
    [
        .. _map?.Parameters ?? [], .. _preference.RequiresGrad ? [_preference] : Array.Empty<Variable>(),
        .. _conv.SelectMany((w, k) => (IEnumerable<Variable>)[w, .. _linear[k].Parameters, .. _gate[k].Parameters]),
    ];

    /// <summary>
    /// The branch's (M+N)×d output. <paramref name="mean"/> is D⁻¹A (and <paramref name="meanT"/> its
    /// transpose, for backward); <paramref name="read"/> gives the parameters (identity in training,
    /// constants for scoring).
    /// </summary>
    public Variable Forward(CsrMatrix mean, CsrMatrix meanT, Variable idEmbedding, Func<Variable, Variable> read)
    {
        var raw = Variable.Constant(_features);
        var items = _map is null ? raw : _map.Apply(raw, read);
        var x = Ops.L2Normalize(Ops.ConcatRows(read(_preference), items));
        for (int k = 0; k < _conv.Length; k++)
        {
            var h = Ops.LeakyRelu(Ops.SpMM(mean, Ops.MatMul(x, read(_conv[k])), transposed: meanT));
            var xHat = Ops.Add(Ops.LeakyRelu(_linear[k].Apply(x, read)), idEmbedding);
            x = Ops.LeakyRelu(_gate[k].Apply(Ops.ConcatColumns(h, xHat), read));
        }
        return x;
    }
}
