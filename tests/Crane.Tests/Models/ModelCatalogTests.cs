using Crane.Models;
using Crane.Tests.Autograd;

namespace Crane.Tests.Models;

public class ModelCatalogTests
{
    [Fact]
    public void Lists_and_builds_every_model()
    {
        Assert.Equal(["bpr", "lightgcn", "crane", "crane-released", "freedom", "vbpr", "mmgcn", "slmrec", "lattice", "lgmrec", "dgvae", "lpic"], ModelCatalog.Names);
        foreach (var name in ModelCatalog.Names)
        {
            // crane-released and FREEDOM read two named modalities and need k ≤ 6 neighbours on 6 items.
            var (data, settings) = name switch
            {
                "crane" => (CraneData.Create(), new ModelSettings()),
                "crane-released" or "freedom" => (ModalData.Create(), ModelSettings.Parse(["modalities=image,audio", "knn_k=3"])),
                "lattice" => (ModalData.Create(), ModelSettings.Parse(["knn_k=3"])),
                "dgvae" => (ModalData.Create(), ModelSettings.Parse(["modalities=image,audio", "knn_k=3", "word_codes=2"])),
                _ => (ModalData.Create(), new ModelSettings()),
            };
            Assert.Equal(name, ModelCatalog.Create(name, data, settings, 1).Kind);
        }
    }

    [Fact]
    public void Names_match_ignoring_case()
    {
        Assert.IsType<LightGcn>(ModelCatalog.Create("LightGCN", TinyData.Create(), new ModelSettings(), 1));
        Assert.IsType<Bpr>(ModelCatalog.Create("BPR", TinyData.Create(), new ModelSettings(), 1));
    }

    [Fact]
    public void An_unknown_name_lists_the_known_ones() =>
        Reference.AssertRejected<ArgumentException>(() => ModelCatalog.Create("lightgnc", TinyData.Create(), new ModelSettings(), 1),
            "'lightgnc'", "bpr, lightgcn, crane");

    [Fact]
    public void Settings_of_another_model_are_rejected() =>
        Reference.AssertRejected<ArgumentException>(() => ModelCatalog.Create("bpr", TinyData.Create(), ModelSettings.Parse(["n_layers=3"]), 1),
            "bpr", "'n_layers'");
}
