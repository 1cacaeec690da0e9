using Crane.Autograd;
using Crane.Numerics;
using Crane.Optim;

namespace Crane.Models;

/// <summary>
/// One of DGVAE's two disentangled VAEs (baselines.md DGVAE), over n columns (the N items of the
/// rating side, or the V words of the word side): column embeddings H (n×d), K prototypes P (K×d),
/// both Xavier-normal, and one encoder Linear n → 2d shared by the prototypes. Every method reads
/// the parameters through <c>read</c> (identity in training, constants for scoring).
/// </summary>
internal sealed class DisentangledVae
{
    readonly float _tau;
    readonly CsrMatrix? _smooth, _smoothTransposed;

    /// <summary>H: one row per column (item or word).</summary>
    public Variable Embeddings { get; }

    /// <summary>P: one row per prototype.</summary>
    public Variable Prototypes { get; }

    /// <summary>x ↦ [μ ; a], n → 2d.</summary>
    public Linear Encoder { get; }

    /// <summary>
    /// A VAE over <paramref name="columns"/> columns with K = <paramref name="prototypes"/>;
    /// <paramref name="smooth"/> is the frozen item graph S of the smoothing step (null: identity).
    /// Parameters are named <c>&lt;name&gt;.embedding</c>, <c>&lt;name&gt;.prototypes</c>, <c>&lt;name&gt;.encoder.*</c>.
    /// </summary>
    public DisentangledVae(int columns, int d, int prototypes, float tau, CsrMatrix? smooth, Rng init, string name)
    {
        _tau = tau;
        _smooth = smooth;
        _smoothTransposed = smooth?.Transpose();
        Embeddings = Variable.Parameter(Init.XavierNormal(new Tensor(columns, d), init), $"{name}.embedding");
        Prototypes = Variable.Parameter(Init.XavierNormal(new Tensor(prototypes, d), init), $"{name}.prototypes");
        Encoder = new Linear(columns, 2 * d, init, $"{name}.encoder");
    }

    /// <summary>K.</summary>
    public int K => Prototypes.Rows;

    /// <summary>d.</summary>
    int D => Prototypes.Cols;

    public IEnumerable<Variable> Parameters => [Embeddings, Prototypes, .. Encoder.Parameters];

    /// <summary>
    /// c (n×K): c_j = softmax_k(cos(H_j, P_k)/τ), with Gumbel noise g_jk = −log(−log U) added to
    /// the logits (Gumbel-softmax, temperature 1, soft) when <paramref name="noise"/> is given.
    /// </summary>
    public Variable Assignment(DgvaeNoise? noise, Func<Variable, Variable> read)
    {
        var logits = Ops.Scale(Ops.MatMul(Ops.L2Normalize(read(Embeddings)), Ops.L2Normalize(read(Prototypes)), transB: true), 1f / _tau);
        if (noise is not null) logits = Ops.Add(logits, Variable.Constant(noise.Gumbel(logits.Rows, logits.Cols)));
        return Ops.Softmax(logits);
    }

    /// <summary>
    /// Encodes the B×n rows <paramref name="x"/> once per prototype k: x_k = norm(x ⊙ c_·k),
    /// h_k = Dropout((x_k + x_k·S·S)/2) (h_k = Dropout(x_k) without S), [μ ; a] = Linear(h_k),
    /// μ ← norm(μ), log σ² = −a; z_k = norm(μ + ε·σ) in training, μ at evaluation. Returns the K
    /// z_k (B×d each) and Σ_k mean_u Σ ½(−log σ² + σ² − 1) (the KL without its μ term). At
    /// evaluation (no noise) the product uses <paramref name="weight"/>, by default
    /// <see cref="EvaluationWeight"/>.
    /// </summary>
    public (Variable[] Z, Variable Kl) Encode(Variable x, Variable assignment, DgvaeNoise? noise, Func<Variable, Variable> read, Variable? weight = null)
    {
        var columns = Ops.Transpose(assignment);   // K×n: row k is c_·k
        if (noise is null) weight ??= EvaluationWeight(read);
        var z = new Variable[K];
        Variable? kl = null;
        for (int k = 0; k < K; k++)
        {
            var xk = Ops.L2Normalize(Ops.Mul(x, Ops.SliceRows(columns, k, 1)));
            Variable encoded;
            if (noise is null) encoded = Ops.Add(Ops.MatMul(xk, weight!), read(Encoder.Bias));
            else
            {
                var h = Ops.Mul(_smooth is null ? xk : Smooth(xk, transposedLayout: true), Variable.Constant(noise.DropoutMask(xk.Rows, xk.Cols)));
                encoded = Encoder.Apply(h, read);
            }
            var mu = Ops.L2Normalize(Ops.SliceColumns(encoded, 0, D));
            var logVariance = Ops.Scale(Ops.SliceColumns(encoded, D, D), -1f);
            var klTerms = Ops.Add(Ops.Sub(Ops.Exp(logVariance), logVariance), Variable.Constant(Tensor.Scalar(-1f)));
            var klk = Ops.Scale(Ops.Mean(Ops.Sum(klTerms, Axis.Columns)), 0.5f);
            kl = kl is null ? klk : Ops.Add(kl, klk);
            z[k] = noise is null ? mu
                : Ops.L2Normalize(Ops.Add(mu, Ops.Mul(Ops.Exp(Ops.Scale(logVariance, 0.5f)), Variable.Constant(noise.Epsilon(mu.Rows, mu.Cols)))));
        }
        return (z, kl!);
    }

    /// <summary>
    /// The encoder weight without dropout, with the smoothing folded in: h_k·W = x_k·(W + S·S·W)/2
    /// (W itself without S) — sparse products on the n×2d weight instead of the B×n batch. Since
    /// x_k is zero outside a user's columns, the rows of this weight at those columns (and x_k's
    /// entries there) give the same encoding; scoring uses that.
    /// </summary>
    public Variable EvaluationWeight(Func<Variable, Variable> read) =>
        _smooth is null ? read(Encoder.Weight) : Smooth(read(Encoder.Weight), transposedLayout: false);

    /// <summary>
    /// The smoothing (I + S·S)/2 applied to the columns' axis: for a B×n batch x (transposed layout)
    /// (x + x·S·S)/2 = ((Sᵀ·Sᵀ·xᵀ)ᵀ + x)/2; for an n×c table w, (w + S·S·w)/2.
    /// </summary>
    Variable Smooth(Variable x, bool transposedLayout)
    {
        if (!transposedLayout)
            return Ops.Scale(Ops.Add(x, Ops.SpMM(_smooth!, Ops.SpMM(_smooth!, x, transposed: _smoothTransposed), transposed: _smoothTransposed)), 0.5f);
        var twice = Ops.SpMM(_smoothTransposed!, Ops.SpMM(_smoothTransposed!, Ops.Transpose(x), transposed: _smooth), transposed: _smooth);
        return Ops.Scale(Ops.Add(x, Ops.Transpose(twice)), 0.5f);
    }

    /// <summary>
    /// The decoder's B×n logits: log p_j with p_j = Σ_k exp(z̄_k·Ĥ_j/τ)·c_jk, Ĥ the row-normalised H.
    /// Computed as log Σ_k exp(s_kj − m_j)·c_jk + m_j with m_j = max_k s_kj (a constant), so no
    /// exponential overflows or underflows to an all-zero sum.
    /// </summary>
    public Variable Logits(IReadOnlyList<Variable> zBar, Variable assignment, Func<Variable, Variable> read, Variable? unit = null)
    {
        unit ??= UnitEmbeddings(read);
        var columns = Ops.Transpose(assignment);
        var s = zBar.Select(z => Ops.Scale(Ops.MatMul(z, unit, transB: true), 1f / _tau)).ToArray();
        var shift = s[0].Value.Clone();
        for (int k = 1; k < s.Length; k++)
            System.Numerics.Tensors.TensorPrimitives.Max(shift.Data, s[k].Value.Data, shift.Data);
        var m = Variable.Constant(shift);
        Variable? p = null;
        for (int k = 0; k < s.Length; k++)
        {
            var term = Ops.Mul(Ops.Exp(Ops.Sub(s[k], m)), Ops.SliceRows(columns, k, 1));
            p = p is null ? term : Ops.Add(p, term);
        }
        return Ops.Add(Ops.Log(p!), m);
    }

    /// <summary>Ĥ: the row-normalised column embeddings the decoder reads.</summary>
    public Variable UnitEmbeddings(Func<Variable, Variable> read) => Ops.L2Normalize(read(Embeddings));

    /// <summary>The multinomial likelihood's loss: mean over rows of −Σ_j x_j·log_softmax(logits)_j.</summary>
    public static Variable MultinomialLoss(Variable logits, Variable x) =>
        Ops.Scale(Ops.Sum(Ops.Mul(Ops.LogSoftmax(logits), x)), -1f / x.Rows);
}
